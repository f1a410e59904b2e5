import type { PublicUser } from '../../shared/roles.js';
import { ownerKeyOf, sameOwner } from '../../shared/ownerKey.js';
import type { AmendmentRecord } from './amendmentsStore';

/**
 * What on an amendment is the reader's own — their group's or State's vote, their co-sponsorship — to
 * show it pressed. Presentation only: what the reader may do comes from the server's `abilities`.
 */
export function myVote(user: PublicUser, a: AmendmentRecord): 'support' | 'oppose' | null {
  const key = ownerKeyOf(user);
  return a.votes.find((v) => sameOwner(v.ownerKey, key))?.stance ?? null;
}

export function cosponsoredByMe(user: PublicUser, a: AmendmentRecord): boolean {
  const key = ownerKeyOf(user);
  return a.cosponsors.some((c) => sameOwner(c.ownerKey, key));
}
