import type { PMNode } from './schema/index.js';

/** How the document prints a section; the outline and the API use these. */
export const SECTION_KINDS = ['part', 'outcome', 'enabler', 'output', 'decision'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** A section's place in the document; its text lives in its own Yjs document. */
export interface SectionMeta {
  /** Stable slug, unique in its document: `part-1`, `outcome-1`, `output-1-1`, `enabler-a`, `decision`. */
  id: string;
  kind: SectionKind;
  /** As printed: `I`, `Résultat 1`, `Produit 1.1`, `Catalyseur A`, `Projet de décision`. */
  label: string;
  title: string;
  parentId: string | null;
  /** Numbers of the numbered paragraphs it holds, in order. */
  paragraphs: number[];
}

/**
 * The document's own date (the exports' FRBR dates, the compilation's cover): as given at import
 * (`npm run import -- … --date YYYY-MM-DD`, `name: 'document'`), else the day it was imported (`'import'`).
 */
export interface DocumentDate {
  /** `YYYY-MM-DD` */
  value: string;
  name: 'document' | 'import';
}

export interface DocumentSummary {
  id: string;
  symbol: string;
  title: string;
  language: string;
  /** Absent for documents stored before dates were recorded. */
  date?: DocumentDate | null;
}

export interface DocumentOutline extends DocumentSummary {
  sections: SectionMeta[];
}

/** A footnote as the API lists it: the paragraph whose marker it belongs to. */
export interface FootnoteInfo {
  marker: string;
  text: string;
  paragraph: number | null;
}

/** The importer's output: a whole document, each section with its initial ProseMirror content. */
export interface ImportedDocument extends DocumentSummary {
  sections: (SectionMeta & { content: PMNode })[];
}

/** `GB.346/PFA/1` → `gb-346-pfa-1`: the document id used in URLs. */
export function documentIdFromSymbol(symbol: string): string {
  return symbol
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The y-websocket room of a section: `<documentId>/<sectionId>`. */
export function roomName(documentId: string, sectionId: string): string {
  return `${documentId}/${sectionId}`;
}
