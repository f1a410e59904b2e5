import { z } from 'zod';

/**
 * A consultation round on a document: the Office opens it with a deadline for amendments and a later
 * one for sub-amendments (48 h and 24 h before the sitting are usual), and closes it, which takes a named
 * version of the text. The latest round of a document governs: before its amendment deadline new
 * amendments are taken, before its sub-amendment deadline new sub-amendments, and once it is closed
 * neither until the Office opens another. A document that never had a round takes amendments freely.
 */
export const Round = z.object({
  id: z.string(),
  documentId: z.string(),
  /** 1, 2, … per document. */
  number: z.number().int(),
  /** Epoch milliseconds: from this instant new amendments are refused. */
  amendmentDeadline: z.number(),
  /** Epoch milliseconds: from this instant new sub-amendments are refused. */
  subAmendmentDeadline: z.number(),
  openedAt: z.number(),
  openedById: z.string(),
  openedByName: z.string(),
  closedAt: z.number().nullable(),
  closedById: z.string().nullable(),
  closedByName: z.string().nullable(),
  /** The version taken when the round closed. */
  versionId: z.string().nullable(),
});
export type Round = z.infer<typeof Round>;

/** Where a round stands at a given instant. */
export const RoundPhase = z.enum(['amendments', 'subAmendments', 'deadlinesPassed', 'closed']);
export type RoundPhase = z.infer<typeof RoundPhase>;

/** What one reader may do with a round, as the server's policies decide it. */
export const RoundAbilities = z.object({ close: z.boolean() });
export type RoundAbilities = z.infer<typeof RoundAbilities>;

/** A round as the API shows it, with the server's clock so that a client can count down without skew. */
export const RoundView = Round.extend({
  phase: RoundPhase,
  amendmentsOpen: z.boolean(),
  subAmendmentsOpen: z.boolean(),
  /** The server's time when this was computed (epoch ms). */
  now: z.number(),
  /** Milliseconds until each deadline (0 once passed). */
  amendmentMsLeft: z.number(),
  subAmendmentMsLeft: z.number(),
  /** What the reader may do with it; present in HTTP answers, absent in `round:changed` (the same for everyone). */
  abilities: RoundAbilities.optional(),
});
export type RoundView = z.infer<typeof RoundView>;

/**
 * `GET …/rounds/current`: the latest round (null before the first), with the server's clock, and whether
 * the reader may open the next one (`abilities.open`: the Office, when no round is open).
 */
export const CurrentRoundResponse = z.object({
  documentId: z.string(),
  now: z.number(),
  round: RoundView.nullable(),
  abilities: z.object({ open: z.boolean() }),
});
export type CurrentRoundResponse = z.infer<typeof CurrentRoundResponse>;

/** `round:changed`. */
export const RoundChangedPayload = z.object({ round: RoundView });

export function phaseOf(round: Round, now: number): RoundPhase {
  if (round.closedAt !== null) return 'closed';
  if (now < round.amendmentDeadline) return 'amendments';
  if (now < round.subAmendmentDeadline) return 'subAmendments';
  return 'deadlinesPassed';
}

/** The largest instant a JavaScript `Date` holds (±100,000,000 days from 1970). */
const MAX_DATE_MS = 8.64e15;

/** A deadline as epoch milliseconds or an ISO 8601 date-time with a zone (`2024-03-14T18:00:00Z`). */
const Instant = z
  .union([z.number().int().positive(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
  .refine((t) => Number.isFinite(t) && t <= MAX_DATE_MS, { message: 'This is not a date.' });

/** Deadlines further than this from now are typing mistakes (a year 20240, an epoch in µs). */
export const DEADLINE_HORIZON_MS = 10 * 365.25 * 24 * 3600_000;

/** Why a deadline is out of range at `now`, or null: within ten years either side of now. */
export function deadlineOutOfRange(deadline: number, now: number): string | null {
  if (Math.abs(deadline - now) <= DEADLINE_HORIZON_MS) return null;
  return `The deadline ${deadline} is more than ten years from now; give a date such as 2026-12-14T18:00:00Z.`;
}

/** `POST /api/documents/:documentId/rounds`. */
export const OpenRoundRequest = z
  .object({ amendmentDeadline: Instant, subAmendmentDeadline: Instant })
  .strict()
  .refine((r) => r.subAmendmentDeadline >= r.amendmentDeadline, {
    message: 'The sub-amendment deadline must not come before the amendment deadline.',
    path: ['subAmendmentDeadline'],
  });
export type OpenRoundRequest = z.infer<typeof OpenRoundRequest>;

/** `POST /api/rounds/:id/close`: the name of the version it takes (default `Round N — closing`). */
export const CloseRoundRequest = z.object({ name: z.string().trim().min(1).max(200).optional() }).strict();
