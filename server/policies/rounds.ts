import type { PublicUser } from '../../shared/roles.js';
import type { Round } from '../../shared/rounds.js';
import { type Speaker, speaksFor } from '../../shared/ownerKey.js';
import { type Refusal, conflictBecause, forbidBecause } from './refusal.js';

/**
 * Rules of consultation rounds and of the Office's consolidation work: opening and closing rounds,
 * naming versions, the desk, the revised text, bulk decisions and the audit log are the Office's alone.
 */
type Actor = Pick<PublicUser, 'role' | 'group'>;

/** The Office only; `what` completes "Only the Office …". */
export function whyNotOffice(actor: Actor, what: string): Refusal | null {
  return actor.role === 'secretariat' ? null : forbidBecause('office_only', `Only the Office ${what}.`);
}

/** Opening a round: the Office, when the document's latest round (if any) is closed. */
export function whyCannotOpenRound(actor: Actor, latest: Round | null): Refusal | null {
  const refusal = whyNotOffice(actor, 'opens consultation rounds');
  if (refusal || !latest || latest.closedAt !== null) return refusal;
  return conflictBecause('round_still_open', `Round ${latest.number} is still open; close it before opening another.`, {
    n: latest.number,
  });
}

/** Closing a round: the Office, once. */
export function whyCannotCloseRound(actor: Actor, round: Round): Refusal | null {
  const refusal = whyNotOffice(actor, 'closes consultation rounds');
  if (refusal || round.closedAt === null) return refusal;
  return conflictBecause('round_already_closed', `Round ${round.number} is already closed.`, { n: round.number });
}

export type DeadlineKind = 'amendment' | 'subAmendment';

/**
 * Which deadline an amendment answers to when `actor` tables, revives or re-words it. A sub-amendment
 * answers to the later sub-amendment deadline — unless its parent is the actor's own (`parentOwnerKey`:
 * the owner of its parent; a member State speaks for its regional groups): a group sub-amending its own
 * amendment is changing that amendment, which the amendment deadline closes (otherwise it could
 * re-word it until the sub-amendment deadline). The Office is bound by neither.
 */
export function deadlineKindFor(
  actor: Speaker,
  a: { parentId: string | null; parentOwnerKey?: string | null },
): DeadlineKind {
  return a.parentId === null ? 'amendment' : subAmendmentDeadlineKind(actor, a.parentOwnerKey ?? null);
}

/** The deadline of a sub-amendment by `actor` to an amendment of `parentOwnerKey` (see deadlineKindFor). */
export function subAmendmentDeadlineKind(actor: Speaker, parentOwnerKey: string | null): DeadlineKind {
  if (actor.role === 'secretariat') return 'subAmendment';
  return parentOwnerKey !== null && speaksFor(actor, parentOwnerKey) ? 'amendment' : 'subAmendment';
}

/** The document's latest round (null before the first) and the server's time: what deadlines are judged by. */
export interface RoundTiming {
  round: Round | null;
  now: number;
}

const pastDeadline = (
  why: 'deadline_passed' | 'deadline_round_closed',
  reason: string,
  params: Refusal['params'],
): Refusal => ({
  code: 'deadline_passed',
  reason,
  params,
  why,
});

const when = (at: number) => new Date(at).toISOString().replace('.000Z', 'Z');

/**
 * Whether a new amendment (or sub-amendment) may be tabled now under the document's latest round.
 * The Office's own work goes on after the deadlines; so do comments, votes and drafts, which are not
 * new amendments. Null: allowed.
 */
export function whyPastDeadline(actor: Actor, round: Round | null, kind: DeadlineKind, now: number): Refusal | null {
  if (!round || actor.role === 'secretariat') return null;
  const what = kind === 'amendment' ? 'amendments' : 'sub-amendments';
  if (round.closedAt !== null) {
    return pastDeadline(
      'deadline_round_closed',
      `Round ${round.number} is closed, so new ${what} are not accepted until the Office opens another round. Comments remain open.`,
      { n: round.number, kind },
    );
  }
  const deadline = kind === 'amendment' ? round.amendmentDeadline : round.subAmendmentDeadline;
  if (now < deadline) return null;
  return pastDeadline(
    'deadline_passed',
    `The deadline for ${what} in round ${round.number} passed at ${when(deadline)}; new ${what} are refused. Comments remain open.`,
    { n: round.number, kind, deadline },
  );
}
