import { z } from 'zod';

/**
 * A direct edit of the official text by the Office (a typo, numbering), outside the amendment
 * workflow. The server coalesces a burst of typing into one correction per paragraph per 10 s, writes it
 * to the audit log (`text.corrected`) and shows it to delegates as a quiet "corrected by the Office"
 * marker on the paragraph, with the words before and after on hover.
 */
export const Correction = z.object({
  id: z.string(),
  documentId: z.string(),
  sectionId: z.string(),
  /** Printed paragraph number; null for a block without one (a heading). */
  paragraph: z.number().int().nullable(),
  before: z.string(),
  after: z.string(),
  byUserId: z.string(),
  byName: z.string(),
  /** Epoch ms of the first and the last keystroke of the burst. */
  startedAt: z.number(),
  at: z.number(),
});
export type Correction = z.infer<typeof Correction>;

/** `GET /api/documents/:documentId/corrections?section=` answers `{ corrections: Correction[] }`, oldest first. */
export const CorrectionList = z.object({ corrections: z.array(Correction) });
export type CorrectionList = z.infer<typeof CorrectionList>;

/** The query of `GET …/corrections`: `section` narrows the list to one section. */
export const CorrectionQuery = z.object({ section: z.string().min(1).max(100).optional() }).strict();
export type CorrectionQuery = z.infer<typeof CorrectionQuery>;
