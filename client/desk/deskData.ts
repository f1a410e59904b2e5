import { z } from 'zod';
import { RoundSchema } from '../consolidation/schemas';
import { AmendmentSchema } from '../review/schemas';

/** `GET /api/documents/:documentId/desk`, checked at the door (see server/desk/desk.ts). */
export const DeskSubAmendmentSchema = AmendmentSchema.extend({
  comments: z.number(),
  proposalIfAccepted: z.string().nullable(),
});
export const DeskAmendmentSchema = AmendmentSchema.extend({
  alternatives: z.array(z.string()),
  comments: z.number(),
  subAmendments: z.array(DeskSubAmendmentSchema),
});
export const DeskParagraphSchema = z.object({
  number: z.string(),
  sectionId: z.string(),
  sectionLabel: z.string(),
  officialText: z.string(),
  comments: z.number(),
  amendments: z.array(DeskAmendmentSchema),
});
export const DeskSchema = z.object({
  documentId: z.string(),
  symbol: z.string(),
  generatedAt: z.number(),
  round: RoundSchema.nullable(),
  counts: z.object({
    pending: z.number(),
    subAmendments: z.number(),
    accepted: z.number(),
    rejected: z.number(),
    withdrawn: z.number(),
  }),
  paragraphs: z.array(DeskParagraphSchema),
});
export type Desk = z.infer<typeof DeskSchema>;
export type DeskParagraphData = z.infer<typeof DeskParagraphSchema>;
export type DeskAmendmentData = z.infer<typeof DeskAmendmentSchema>;
export type DeskSubAmendmentData = z.infer<typeof DeskSubAmendmentSchema>;

export const RevisedSchema = z.object({
  documentId: z.string(),
  include: z.enum(['accepted', 'pending']),
  generatedAt: z.number(),
  paragraphs: z.array(z.object({ number: z.string(), sectionId: z.string(), text: z.string() })),
});
export type Revised = z.infer<typeof RevisedSchema>;

/** One line of a bulk answer. */
export const BulkSchema = z.object({
  action: z.enum(['accept', 'reject']),
  done: z.number(),
  failed: z.number(),
  results: z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string().optional() })),
});
