import type { DocumentAbilities, PublicUser } from '../../shared/roles.js';
import { whyCannotCreate } from '../policies/amendments.js';
import { importOwner, isRefusal } from '../policies/exports.js';
import { abilitiesFor } from '../policies/index.js';
import { type RoundTiming, whyNotOffice, whyPastDeadline } from '../policies/rounds.js';

/**
 * What a user may do in a document, each answer taken from the policy that enforces it, so the client
 * has nothing to decide: it shows what is allowed and explains the rest.
 */
export function presentAbilities(
  user: Pick<PublicUser, 'id' | 'role' | 'group' | 'memberState'>,
  /** A document's round: after its amendment deadline `amend` says no. Without it (the session), the role's answer. */
  timing?: RoundTiming,
): DocumentAbilities {
  const office = whyNotOffice(user, '') === null;
  const late = timing ? whyPastDeadline(user, timing.round, 'amendment', timing.now) : null;
  return {
    ...abilitiesFor(user),
    amend: whyCannotCreate(user) === null && late === null,
    import: !isRefusal(importOwner(user, undefined)),
    importOnBehalf: !isRefusal(importOwner(user, 'workers')) && !isRefusal(importOwner(user, 'employers')),
    consolidate: office,
    // The presenter hub lets the Office present (server/realtime/presenter.ts).
    present: office,
  };
}
