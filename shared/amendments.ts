import { z } from 'zod';
import type { Group } from './roles.js';

/** An amendment's life: proposed → withdrawn (own group) | accepted | rejected (the Office). */
export const AMENDMENT_STATUSES = ['proposed', 'withdrawn', 'accepted', 'rejected'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

/** insert / delete / replace words in a paragraph, or add a whole paragraph (27bis). */
export const AMENDMENT_TYPES = ['insert', 'delete', 'replace', 'paragraph'] as const;
export type AmendmentType = (typeof AMENDMENT_TYPES)[number];

export const AMENDMENT_ACTIONS = ['support', 'oppose', 'withdraw', 'accept', 'reject'] as const;
export type AmendmentAction = (typeof AMENDMENT_ACTIONS)[number];

export type Stance = 'support' | 'oppose';

export interface AmendmentEvent {
  status: AmendmentStatus;
  byUserId: string;
  byName: string;
  at: number;
}

/** One voice per group or State: `ownerKey` as in shared/suggestions.ts. */
export interface AmendmentVote {
  ownerKey: string;
  stance: Stance;
  byUserId: string;
  byName: string;
  at: number;
}

export interface Amendment {
  /** The id carried by the suggestion marks in the text. */
  id: string;
  /** Short human reference, per document: `A-12`. */
  ref: string;
  documentId: string;
  sectionId: string;
  /** Numbers of the paragraphs it touches; a new paragraph cites the one it follows. */
  paragraphs: number[];
  type: AmendmentType;
  /** The official words it replaces or deletes (empty for a pure insertion). */
  originalText: string;
  /** The words it proposes (empty for a pure deletion). */
  proposedText: string;
  authorId: string;
  authorName: string;
  /** On whose behalf: `government:France`, `employers`, `workers`, `secretariat`. */
  ownerKey: string;
  group: Group | null;
  memberState: string | null;
  rationale: string;
  status: AmendmentStatus;
  createdAt: number;
  updatedAt: number;
  history: AmendmentEvent[];
  votes: AmendmentVote[];
}

export const RATIONALE_MAX = 2000;

/** `POST /api/documents/:documentId/amendments` — an amendment by form, placed as if typed. */
export const CreateAmendmentRequest = z.object({
  sectionId: z.string().min(1).max(120),
  paragraph: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  op: z.enum(['insert', 'delete', 'replace']),
  /** Words of the paragraph's official text to act on; must occur exactly once there. */
  find: z.string().min(1).max(5000),
  /** New words: inserted after `find` (insert) or in its place (replace); absent for delete. */
  text: z.string().max(5000).optional(),
  rationale: z.string().max(RATIONALE_MAX).default(''),
});
export type CreateAmendmentRequest = z.infer<typeof CreateAmendmentRequest>;

export const AmendmentListQuery = z.object({
  section: z.string().max(120).optional(),
  paragraph: z.string().regex(/^\d+$/).transform(Number).optional(),
  group: z.enum(['government', 'employers', 'workers', 'secretariat']).optional(),
  status: z.enum(AMENDMENT_STATUSES).optional(),
});

export const UpdateRationaleRequest = z.object({ rationale: z.string().max(RATIONALE_MAX) });
