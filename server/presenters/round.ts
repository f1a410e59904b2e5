import type { PublicUser } from '../../shared/roles.js';
import { type Round, type RoundView, phaseOf } from '../../shared/rounds.js';
import { whyCannotCloseRound } from '../policies/rounds.js';

/**
 * A round with where it stands at `now` (the server's clock), for counting down without clock skew;
 * with `viewer`, what that reader may do with it (absent in broadcasts, which are the same for everyone).
 */
export function presentRound(round: Round, now: number, viewer?: Pick<PublicUser, 'role' | 'group'>): RoundView {
  const phase = phaseOf(round, now);
  const open = round.closedAt === null;
  return {
    ...(viewer ? { abilities: { close: whyCannotCloseRound(viewer, round) === null } } : {}),
    ...round,
    phase,
    amendmentsOpen: open && now < round.amendmentDeadline,
    subAmendmentsOpen: open && now < round.subAmendmentDeadline,
    now,
    amendmentMsLeft: open ? Math.max(0, round.amendmentDeadline - now) : 0,
    subAmendmentMsLeft: open ? Math.max(0, round.subAmendmentDeadline - now) : 0,
  };
}
