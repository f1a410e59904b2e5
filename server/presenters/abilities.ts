import type { DocumentAbilities, PublicUser } from '../../shared/roles.js';
import { whyCannotCreate } from '../policies/amendments.js';
import { importOwner, isRefusal } from '../policies/exports.js';
import { abilitiesFor } from '../policies/index.js';
import { whyNotOffice } from '../policies/rounds.js';

/**
 * What a user may do in a document, each answer taken from the policy that enforces it, so the client
 * has nothing to decide: it shows what is allowed and explains the rest.
 */
export function presentAbilities(user: Pick<PublicUser, 'id' | 'role' | 'group' | 'memberState'>): DocumentAbilities {
  const office = whyNotOffice(user, '') === null;
  return {
    ...abilitiesFor(user),
    amend: whyCannotCreate(user) === null,
    import: !isRefusal(importOwner(user, undefined)),
    importOnBehalf: !isRefusal(importOwner(user, 'workers')) && !isRefusal(importOwner(user, 'employers')),
    consolidate: office,
    // The presenter hub lets the Office present (server/realtime/presenter.ts).
    present: office,
  };
}
