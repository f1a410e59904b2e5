import { type ImportedDocument, documentIdFromSymbol } from '../../shared/document.js';
import { cleanLines, detectSymbol } from './clean.js';
import { settleFigures } from './figure.js';
import { extractFootnotes, placeFootnotes } from './footnotes.js';
import { segment } from './segment.js';
import { buildSections } from './structure.js';
import { detectTitle } from './title.js';

/** Options of {@link importGbDocument}; each overrides what the importer would detect. */
export interface ImportOptions {
  /** Language of the text (`fr`, `en`, `es`); detected from the headings, French by default. */
  language?: string;
  /** Title, for extractions without a cover page whose title cannot be inferred. */
  title?: string;
  /** Symbol, for extractions without page headers. */
  symbol?: string;
}

/** The language of a GB document, from the words of its structural headings. */
export function detectLanguage(text: string): string {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  const fr = count(/^\s*(?:Résultat|Produit|Catalyseur) [\dA-Z]+\./gm);
  const en = count(/^\s*(?:Outcome|Output|Enabler) [\dA-Z]+\./gm);
  const es = count(/^\s*(?:Resultado|Producto|Facilitador) [\dA-Z]+\./gm);
  if (en > fr && en >= es) return 'en';
  if (es > fr && es > en) return 'es';
  return 'fr';
}

/**
 * Turns the text of a Governing Body document extracted from PDF into a structured document: one section
 * per part, outcome, enabler, output and draft decision, each with its ProseMirror content (numbered
 * paragraphs with their bulleted lists, footnotes at their markers, boxed text, the results framework as
 * one figure), with page headers, stray URLs and other PDF noise removed. Pure: no I/O.
 *
 * The title comes from `options.title`, else the cover page, else the document's description of itself,
 * else the symbol. Throws when no symbol is found and none is given.
 */
export function importGbDocument(text: string, options: ImportOptions = {}): ImportedDocument {
  const symbol = options.symbol ?? detectSymbol(text);
  if (!symbol) throw new Error('importGbDocument: no GB document symbol found in the text; pass options.symbol');
  const language = options.language ?? detectLanguage(text);
  const lines = extractFootnotes(cleanLines(text, symbol));
  const { units, notes } = segment(lines, language);
  placeFootnotes(units, notes);
  settleFigures(units, language);
  const title = options.title ?? detectTitle(lines, units) ?? symbol;
  return {
    id: documentIdFromSymbol(symbol),
    symbol,
    title,
    language,
    sections: buildSections(units, title),
  };
}

export type { ImportedDocument } from '../../shared/document.js';
