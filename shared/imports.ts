import { z } from 'zod';
import { RATIONALE_MAX } from './amendments.js';
import { RefusalReason } from './refusals.js';

/**
 * Word imports of amendments: a delegate (or the Office on a group's behalf) uploads a .docx edited in
 * track changes; the server locates each revision in the official text and answers with this preview.
 */

/** A revision that was located and can be tabled as an amendment by form. */
export const ImportedAmendment = z.object({
  /** Stable within the import: `r1`, `r2`, … in the order of the file. */
  id: z.string(),
  sectionId: z.string(),
  paragraph: z.number(),
  op: z.enum(['insert', 'delete', 'replace']),
  /** Official words acted on: deleted or replaced, or (insert) those the new words follow. */
  find: z.string(),
  /** New words ('' for a deletion). */
  text: z.string(),
  /** Where `find` starts in the paragraph's official text (it may occur more than once). */
  at: z.number(),
  /** Official words just before and after, for the preview. */
  before: z.string(),
  after: z.string(),
  /** The revision's author and date as Word recorded them. */
  wordAuthor: z.string(),
  wordDate: z.string(),
  /** The Word comments anchored on the revision, as its rationale (editable when tabling); absent in older previews. */
  rationale: z.string().optional(),
  /** Set once tabled: the amendment's id and reference. */
  tabled: z.object({ id: z.string(), ref: z.string() }).nullable(),
});
export type ImportedAmendment = z.infer<typeof ImportedAmendment>;

/**
 * Why a revision could not be placed or tabled, as a code and its parameters, so that the preview reads
 * in the reader's language (the client words each code); `reason` keeps the English sentence for API
 * readers.
 */
export const ImportReason = z.object({
  code: z.enum([
    'heading',
    'newParagraph',
    'proposedParagraph',
    'paragraphNumber',
    'startOfParagraph',
    'startOfBullet',
    'spacesOnly',
    'noWords',
    'repeatedInParagraph',
    'inSeveralParagraphs',
    'notInParagraph',
    'notFound',
    'alreadyTabled',
    'underAmendment',
    'notPlaceable',
    'notInImport',
    'tabledHere',
    'refused',
  ]),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ImportReason = z.infer<typeof ImportReason>;
export type ImportReasonCode = ImportReason['code'];

/** A revision that could not be placed, with the reason. */
export const UnplacedRevision = z.object({
  id: z.string(),
  kind: z.enum(['insert', 'delete', 'replace', 'paragraph']),
  /** Words the revision inserts and deletes, as Word has them. */
  inserted: z.string(),
  deleted: z.string(),
  wordAuthor: z.string(),
  wordDate: z.string(),
  /** The paragraph number it seems to be in, if any. */
  paragraph: z.number().nullable(),
  reason: z.string(),
  /** The reason as a code for the client to word; absent in older previews. */
  why: ImportReason.optional(),
});
export type UnplacedRevision = z.infer<typeof UnplacedRevision>;

export const ImportPreview = z.object({
  id: z.string(),
  documentId: z.string(),
  fileName: z.string(),
  /** On whose behalf the amendments are tabled (owner key: `government:France`, `workers`, …). */
  ownerKey: z.string(),
  userId: z.string(),
  createdAt: z.number(),
  amendments: z.array(ImportedAmendment),
  unplaced: z.array(UnplacedRevision),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

/** What the reader may do with an import, as the server's policies decide it. */
export const ImportAbilities = z.object({ table: z.boolean() });
export type ImportAbilities = z.infer<typeof ImportAbilities>;

/**
 * An import as the API answers it: the preview, what the reader may do with it, and for an action the
 * round's deadline refuses, the server's sentence, for the client to show beside the disabled action.
 */
export const ImportPreviewView = ImportPreview.extend({
  abilities: ImportAbilities,
  reasons: z.object({ table: z.string() }).partial(),
  /** The same refusal as a code and parameters, for the client to word in the reader's language. */
  reasonCodes: z.object({ table: RefusalReason }).partial().optional(),
});
export type ImportPreviewView = z.infer<typeof ImportPreviewView>;

/** `POST /api/imports/:importId/table`. */
export const TableImportRequest = z.object({
  amendments: z
    .array(z.string().regex(/^r\d{1,5}$/, 'Import amendment ids look like r1, r2, …'))
    .min(1, 'Choose at least one amendment to table.')
    .max(2000),
  /** Rationales edited in the preview, by import amendment id; the others keep the Word comments'. */
  rationales: z.record(z.string().regex(/^r\d{1,5}$/), z.string().max(RATIONALE_MAX)).optional(),
});
export type TableImportRequest = z.infer<typeof TableImportRequest>;

export const TableImportResult = z.object({
  /** Tabled now, in order: the import amendment id and the new amendment's id and reference. */
  tabled: z.array(z.object({ id: z.string(), amendmentId: z.string(), ref: z.string() })),
  /** Refused, with the status and the reason (a 409 when the words are already under an amendment…). */
  failed: z.array(
    z.object({ id: z.string(), status: z.number().int(), message: z.string(), why: ImportReason.optional() }),
  ),
  preview: ImportPreview,
});
export type TableImportResult = z.infer<typeof TableImportResult>;

/** The answer of `POST /api/imports/:importId/table`: the result, with the preview as the reader sees it. */
export const TableImportResponse = TableImportResult.extend({ preview: ImportPreviewView });
export type TableImportResponse = z.infer<typeof TableImportResponse>;

/** Largest Word file accepted for import. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
