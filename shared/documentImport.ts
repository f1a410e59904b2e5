import { z } from 'zod';
import { SECTION_KINDS } from './document.js';

/**
 * The Office imports a GB document in the browser (issue 13, item 7): the text extracted from its PDF,
 * read by the importer `npm run import` uses, checked as an outline, then published.
 */
export const ImportTextRequest = z
  .object({
    /** The text extracted from the PDF (`pdftotext -layout`), as pasted or read from a .txt file. */
    text: z
      .string()
      .min(1, 'Paste the text of the document.')
      .max(900_000, 'The text is longer than 900,000 characters.'),
    /** The document's language; detected from its headings when absent. */
    language: z.enum(['fr', 'en', 'es']).optional(),
  })
  .strict();
export type ImportTextRequest = z.infer<typeof ImportTextRequest>;

/** What the importer found, for the Office to check before publishing. */
export const ImportOutline = z.object({
  id: z.string(),
  symbol: z.string(),
  title: z.string(),
  language: z.string(),
  /** A document with this id is already published: publishing refreshes its outline, never its text. */
  exists: z.boolean(),
  counts: z.object({
    parts: z.number().int(),
    outcomes: z.number().int(),
    enablers: z.number().int(),
    outputs: z.number().int(),
    paragraphs: z.number().int(),
    footnotes: z.number().int(),
  }),
  sections: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(SECTION_KINDS),
      label: z.string(),
      title: z.string(),
      paragraphs: z.number().int(),
    }),
  ),
});
export type ImportOutline = z.infer<typeof ImportOutline>;

/** Published: the outline, and how many sections got their text (the others kept what delegates wrote). */
export const PublishedImport = ImportOutline.extend({ created: z.number().int(), kept: z.number().int() });
export type PublishedImport = z.infer<typeof PublishedImport>;
