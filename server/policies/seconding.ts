import { type Amendment, needsSeconder } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import { ownerKeyOf } from '../../shared/suggestions.js';
import { ownerLabel } from './amendments.js';
import { type Refusal, conflictBecause, forbidBecause } from './refusal.js';

/**
 * Seconding, as the Governing Body's rules require: an amendment tabled by one State is considered only
 * once a delegate of another member (another State, the Employers or the Workers) seconds it. Groups',
 * regional groups' and the Office's amendments need no seconder.
 */
type Actor = Pick<PublicUser, 'role' | 'group' | 'memberState'>;
type Target = Pick<Amendment, 'ref' | 'ownerKey' | 'status' | 'seconder'>;

/** Seconding: a delegate of another member, once, while the amendment is pending. */
export function whyCannotSecond(actor: Actor, a: Target): Refusal | null {
  if (actor.role === 'observer') return forbidBecause('second_observer', 'Observers cannot second amendments.');
  if (actor.role === 'secretariat') {
    return forbidBecause(
      'second_office',
      'The Office does not second amendments; it records a seconding made in the room when it accepts.',
    );
  }
  if (!actor.group)
    return forbidBecause('second_no_group', 'Your account belongs to no group, so it cannot second amendments.');
  if (!needsSeconder(a)) {
    return conflictBecause(
      'second_not_needed',
      `Amendment ${a.ref} is tabled by ${ownerLabel(a.ownerKey)} and needs no seconder.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  }
  if (ownerKeyOf(actor) === a.ownerKey) {
    return forbidBecause(
      'second_own',
      `Amendment ${a.ref} is ${ownerLabel(a.ownerKey)}’s own; another member must second it.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  }
  if (a.status !== 'proposed') {
    return conflictBecause(
      'second_status',
      `Amendment ${a.ref} is ${a.status}; only a proposed amendment can be seconded.`,
      { ref: a.ref, status: a.status },
    );
  }
  if (a.seconder) {
    return conflictBecause('second_already', `Amendment ${a.ref} is already seconded by ${a.seconder.byName}.`, {
      ref: a.ref,
      name: a.seconder.byName,
    });
  }
  return null;
}

/**
 * Accepting one State's amendment that nobody seconded: only when the Office confirms that it was
 * seconded in the room (`secondedInRoom`), which is then recorded as its seconding.
 */
export function whyCannotAcceptUnseconded(a: Target, secondedInRoom: boolean): Refusal | null {
  if (!needsSeconder(a) || a.seconder !== null || secondedInRoom) return null;
  return {
    code: 'not_seconded',
    reason: `Amendment ${a.ref} of ${ownerLabel(a.ownerKey)} has not been seconded. Confirm that it was seconded in the room to accept it.`,
    params: { ref: a.ref, ownerKey: a.ownerKey },
    why: 'not_seconded',
  };
}
