import { z } from 'zod';
import type { PMNode } from './schema/index.js';

/** How the document prints a section; the outline and the API use these. */
export const SECTION_KINDS = ['part', 'outcome', 'enabler', 'output', 'decision'] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** A section's place in the document; its text lives in its own Yjs document. */
export const SectionMeta = z.object({
  /** Stable slug, unique in its document: `part-1`, `outcome-1`, `output-1-1`, `enabler-a`, `decision`. */
  id: z.string(),
  kind: z.enum(SECTION_KINDS),
  /** As printed: `I`, `Résultat 1`, `Produit 1.1`, `Catalyseur A`, `Projet de décision`. */
  label: z.string(),
  title: z.string(),
  parentId: z.string().nullable(),
  /** Numbers of the numbered paragraphs it holds, in order. */
  paragraphs: z.array(z.number()),
});
export type SectionMeta = z.infer<typeof SectionMeta>;

/**
 * The document's own date (the exports' FRBR dates, the compilation's cover): as given at import
 * (`npm run import -- … --date YYYY-MM-DD`, `name: 'document'`), else the day it was imported (`'import'`).
 */
export const DocumentDate = z.object({
  /** `YYYY-MM-DD` */
  value: z.string(),
  name: z.enum(['document', 'import']),
});
export type DocumentDate = z.infer<typeof DocumentDate>;

export const DocumentSummary = z.object({
  id: z.string(),
  symbol: z.string(),
  title: z.string(),
  language: z.string(),
  /** Absent for documents stored before dates were recorded. */
  date: DocumentDate.nullable().optional(),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const DocumentOutline = DocumentSummary.extend({ sections: z.array(SectionMeta) });
export type DocumentOutline = z.infer<typeof DocumentOutline>;

/** A footnote as the API lists it: the paragraph whose marker it belongs to. */
export const FootnoteInfo = z.object({
  marker: z.string(),
  text: z.string(),
  paragraph: z.number().nullable(),
});
export type FootnoteInfo = z.infer<typeof FootnoteInfo>;

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
