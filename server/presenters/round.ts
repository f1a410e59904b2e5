import { type Round, type RoundView, phaseOf } from '../../shared/rounds.js';

/** A round with where it stands at `now` (the server's clock), for counting down without clock skew. */
export function presentRound(round: Round, now: number): RoundView {
  const phase = phaseOf(round, now);
  const open = round.closedAt === null;
  return {
    ...round,
    phase,
    amendmentsOpen: open && now < round.amendmentDeadline,
    subAmendmentsOpen: open && now < round.subAmendmentDeadline,
    now,
    amendmentMsLeft: open ? Math.max(0, round.amendmentDeadline - now) : 0,
    subAmendmentMsLeft: open ? Math.max(0, round.subAmendmentDeadline - now) : 0,
  };
}
