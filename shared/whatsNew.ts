import { z } from 'zod';
import { AMENDMENT_STATUSES } from './amendments.js';
import { RoundView } from './rounds.js';

/** `POST …/sections/:sectionId/visit`: the section's view is recorded at the server's time. */
export const SectionVisitResponse = z.object({
  documentId: z.string(),
  sectionId: z.string(),
  visitedAt: z.number(),
});
export type SectionVisitResponse = z.infer<typeof SectionVisitResponse>;

/** Why an item concerns the reader; the "Since your last visit" view filters on these. */
export const WHATS_NEW_TAGS = ['myGroup', 'myVote', 'myThread'] as const;
export type WhatsNewTag = (typeof WHATS_NEW_TAGS)[number];

/**
 * One thing that happened in a section after the reader last viewed it: an amendment tabled, an
 * amendment's status changed (withdrawn, accepted, rejected, proposed again), or a comment written.
 */
export const WhatsNewItem = z.object({
  kind: z.enum(['amendment', 'status', 'comment']),
  at: z.number(),
  sectionId: z.string(),
  /** The paragraph it is in, when it is in one: the link goes there. */
  paragraph: z.number().nullable(),
  /** Who did it. */
  byName: z.string(),
  amendmentId: z.string().nullable(),
  /** `A-12` for amendments and status changes (and comments on an amendment). */
  ref: z.string().nullable(),
  ownerKey: z.string().nullable(),
  /** The status an amendment took (kind `status`). */
  status: z.enum(AMENDMENT_STATUSES).nullable(),
  threadId: z.string().nullable(),
  /** The first words of a comment. */
  excerpt: z.string().nullable(),
  tags: z.array(z.enum(WHATS_NEW_TAGS)),
});
export type WhatsNewItem = z.infer<typeof WhatsNewItem>;

export const SectionNews = z.object({
  amendments: z.number().int().nonnegative(),
  statusChanges: z.number().int().nonnegative(),
  comments: z.number().int().nonnegative(),
});
export type SectionNews = z.infer<typeof SectionNews>;

/**
 * `GET …/since`: per section, what is new since the reader last viewed it (a section never viewed counts
 * from the reader's first visit of the document; before any visit nothing is "new"), and the items
 * themselves, newest first, as far as the reader may see them.
 */
export const WhatsNewResponse = z.object({
  documentId: z.string(),
  now: z.number(),
  /** The reader's first recorded visit of the document; null before any. */
  firstVisitAt: z.number().nullable(),
  sections: z.record(z.string(), SectionNews),
  items: z.array(WhatsNewItem),
});
export type WhatsNewResponse = z.infer<typeof WhatsNewResponse>;

/** The document list's line for one document: its round, its amendments, what the reader has not read. */
export const DocumentOverview = z.object({
  documentId: z.string(),
  /** The open round (null when none is open). */
  round: RoundView.nullable(),
  counts: z.object({
    pending: z.number().int().nonnegative(),
    accepted: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
  }),
  /** Comments the reader may see and has not read. */
  unread: z.number().int().nonnegative(),
});
export type DocumentOverview = z.infer<typeof DocumentOverview>;

export const DocumentOverviewResponse = z.object({ now: z.number(), documents: z.array(DocumentOverview) });
export type DocumentOverviewResponse = z.infer<typeof DocumentOverviewResponse>;

/** One of the Office's last decisions at the desk, still standing (not undone since). */
export const RecentDecision = z.object({
  amendmentId: z.string(),
  ref: z.string(),
  decision: z.enum(['accepted', 'rejected']),
  at: z.number(),
  byName: z.string(),
  ownerKey: z.string(),
  paragraph: z.number().nullable(),
  modified: z.boolean(),
  /** Whether the reader may undo it now (the same rule as `POST …/undo`). */
  undo: z.boolean(),
});
export type RecentDecision = z.infer<typeof RecentDecision>;

export const RecentDecisionsResponse = z.object({ documentId: z.string(), decisions: z.array(RecentDecision) });
export type RecentDecisionsResponse = z.infer<typeof RecentDecisionsResponse>;
