import type { Group, PublicUser } from '../../shared/roles.js';
import { type Refusal, forbidBecause } from './refusal.js';

/**
 * Rules of the live channel (socket.io): which of a document's event rooms a user joins, and who
 * presents. What reaches a room is decided by who joined it, so these rules are the visibility of every
 * group-only event (drafts, group-only threads) on the wire.
 */
type Actor = Pick<PublicUser, 'role' | 'group'>;

/** A group's room (its drafts and group-only threads) for its members; the Office's room for the Office. */
export function liveRoomsOf(actor: Actor): { group: Group | null; office: boolean } {
  return { group: actor.group, office: actor.role === 'secretariat' };
}

/** Presenting (everyone follows the presenter's position): the Office, which speaks with one voice. */
export function whyCannotPresent(actor: Actor): Refusal | null {
  return actor.role === 'secretariat' ? null : forbidBecause('present_office_only', 'Only the Office can present.');
}
