import { z } from 'zod';
import { RATIONALE_MAX } from './amendments.js';

/**
 * Word imports of amendments: a delegate (or the Office on a group's behalf) uploads a .docx edited in
 * track changes; the server locates each revision in the official text and answers with this preview.
 */

/** A revision that was located and can be tabled as an amendment by form. */
export interface ImportedAmendment {
  /** Stable within the import: `r1`, `r2`, … in the order of the file. */
  id: string;
  sectionId: string;
  paragraph: number;
  op: 'insert' | 'delete' | 'replace';
  /** Official words acted on: deleted or replaced, or (insert) those the new words follow. */
  find: string;
  /** New words ('' for a deletion). */
  text: string;
  /** Where `find` starts in the paragraph's official text (it may occur more than once). */
  at: number;
  /** Official words just before and after, for the preview. */
  before: string;
  after: string;
  /** The revision's author and date as Word recorded them. */
  wordAuthor: string;
  wordDate: string;
  /** The Word comments anchored on the revision, as its rationale (editable when tabling); absent in older previews. */
  rationale?: string;
  /** Set once tabled: the amendment's id and reference. */
  tabled: { id: string; ref: string } | null;
}

/**
 * Why a revision could not be placed or tabled, as a code and its parameters, so that the preview reads
 * in the reader's language (the client words each code); `reason` keeps the English sentence for API
 * readers.
 */
export type ImportReasonCode =
  | 'heading'
  | 'newParagraph'
  | 'proposedParagraph'
  | 'paragraphNumber'
  | 'startOfParagraph'
  | 'startOfBullet'
  | 'spacesOnly'
  | 'noWords'
  | 'repeatedInParagraph'
  | 'inSeveralParagraphs'
  | 'notInParagraph'
  | 'notFound'
  | 'alreadyTabled'
  | 'underAmendment'
  | 'notPlaceable'
  | 'notInImport'
  | 'tabledHere'
  | 'refused';

export interface ImportReason {
  code: ImportReasonCode;
  params: Record<string, string | number>;
}

/** A revision that could not be placed, with the reason. */
export interface UnplacedRevision {
  id: string;
  kind: 'insert' | 'delete' | 'replace' | 'paragraph';
  /** Words the revision inserts and deletes, as Word has them. */
  inserted: string;
  deleted: string;
  wordAuthor: string;
  wordDate: string;
  /** The paragraph number it seems to be in, if any. */
  paragraph: number | null;
  reason: string;
  /** The reason as a code for the client to word; absent in older previews. */
  why?: ImportReason;
}

export interface ImportPreview {
  id: string;
  documentId: string;
  fileName: string;
  /** On whose behalf the amendments are tabled (owner key: `government:France`, `workers`, …). */
  ownerKey: string;
  userId: string;
  createdAt: number;
  amendments: ImportedAmendment[];
  unplaced: UnplacedRevision[];
}

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

export interface TableImportResult {
  /** Tabled now, in order: the import amendment id and the new amendment's id and reference. */
  tabled: { id: string; amendmentId: string; ref: string }[];
  /** Refused, with the status and the reason (a 409 when the words are already under an amendment…). */
  failed: { id: string; status: number; message: string; why?: ImportReason }[];
  preview: ImportPreview;
}

/** Largest Word file accepted for import. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
