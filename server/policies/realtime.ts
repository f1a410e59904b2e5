import { type Speaker, ownerKeysOf } from '../../shared/ownerKey.js';
import type { Group, PublicUser } from '../../shared/roles.js';
import { type Refusal, forbidBecause } from './refusal.js';

/**
 * Rules of the live channel (socket.io): which of a document's event rooms a user joins, and who
 * presents. What reaches a room is decided by who joined it, so these rules are the visibility of every
 * group-only event (drafts, group-only threads) on the wire.
 */
type Actor = Pick<PublicUser, 'role' | 'group'> & Partial<Speaker>;

/**
 * A group's room (its drafts and group-only threads) for its members; the Office's room for the Office;
 * for a government delegate, a room per circle they speak for — their State's and each regional group's
 * (delegation- and region-only threads).
 */
export function liveRoomsOf(actor: Actor): { group: Group | null; office: boolean; circles: string[] } {
  const ofAState = actor.role === 'delegate' && actor.group === 'government' && Boolean(actor.memberState);
  const circles = ofAState ? ownerKeysOf({ ...actor, memberState: actor.memberState ?? null }) : [];
  return { group: actor.group, office: actor.role === 'secretariat', circles };
}

/** Presenting (everyone follows the presenter's position): the Office, which speaks with one voice. */
export function whyCannotPresent(actor: Actor): Refusal | null {
  return actor.role === 'secretariat' ? null : forbidBecause('present_office_only', 'Only the Office can present.');
}
