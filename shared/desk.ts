import { z } from 'zod';
import { AmendmentView } from './amendments.js';
import { RoundView } from './rounds.js';
import { ParagraphText } from './versions.js';

/**
 * The Office's desk: paragraph by paragraph, the official text and every pending amendment to it side
 * by side, rivals flagged as alternatives, sub-amendments nested under their parent.
 */
export const DeskSubAmendment = AmendmentView.extend({
  comments: z.number().int(),
  /** The parent's proposal as it would read with this sub-amendment accepted (null if it no longer applies). */
  proposalIfAccepted: z.string().nullable(),
});
export type DeskSubAmendment = z.infer<typeof DeskSubAmendment>;

export const DeskAmendment = AmendmentView.extend({
  /** Ids of rival pending amendments: other owners acting on the same words. */
  alternatives: z.array(z.string()),
  comments: z.number().int(),
  subAmendments: z.array(DeskSubAmendment),
});
export type DeskAmendment = z.infer<typeof DeskAmendment>;

export const DeskParagraph = z.object({
  /** As printed: `27`, `27bis`. */
  number: z.string(),
  sectionId: z.string(),
  sectionLabel: z.string(),
  officialText: z.string(),
  /** Comments on threads anchored to this paragraph (not to one of its amendments). */
  comments: z.number().int(),
  amendments: z.array(DeskAmendment),
});
export type DeskParagraph = z.infer<typeof DeskParagraph>;

export const DeskResponse = z.object({
  documentId: z.string(),
  symbol: z.string(),
  /** The document's language, for `lang` on the quoted text (optional: older servers did not send it). */
  language: z.string().optional(),
  generatedAt: z.number(),
  round: RoundView.nullable(),
  counts: z.object({
    pending: z.number().int(),
    /** Pending amendments of one State that nobody has seconded yet (among `pending` and `subAmendments`). */
    awaitingSeconder: z.number().int(),
    subAmendments: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    withdrawn: z.number().int(),
  }),
  paragraphs: z.array(DeskParagraph),
});
export type DeskResponse = z.infer<typeof DeskResponse>;

/** `GET …/revised`: the text as it would read, paragraph by paragraph. */
export const RevisedResponse = z.object({
  documentId: z.string(),
  include: z.enum(['accepted', 'pending']),
  generatedAt: z.number(),
  paragraphs: z.array(ParagraphText),
});
export type RevisedResponse = z.infer<typeof RevisedResponse>;
