import type { Amendment } from '../../shared/amendments.js';
import { ownerKeyOf, sameOwner } from '../../shared/ownerKey.js';
import type { PublicUser } from '../../shared/roles.js';
import type { Thread } from '../../shared/threads.js';
import type { WhatsNewTag } from '../../shared/whatsNew.js';
import { visibleAmendments } from './drafts.js';
import { visibleThreads } from './threads.js';

/**
 * What "new since my last visit" may show a reader: the amendments and threads the read policies let
 * them see, and of amendments only tabled ones (a draft is its group's working copy, not news). A
 * group-only thread or a draft that another group may not see never reaches this list.
 */
type Reader = Pick<PublicUser, 'id' | 'role' | 'group' | 'memberState'>;

export function newsAmendments(reader: Reader, all: Amendment[]): Amendment[] {
  return visibleAmendments(reader, all).filter((a) => a.status !== 'draft');
}

export function newsThreads(reader: Reader, all: Thread[]): Thread[] {
  return visibleThreads(reader, all);
}

/** Why an amendment concerns the reader: their group's, or one their group or State voted on. */
export function amendmentTags(reader: Reader, a: Pick<Amendment, 'ownerKey' | 'group' | 'votes'>): WhatsNewTag[] {
  if (reader.role === 'observer') return [];
  const tags: WhatsNewTag[] = [];
  const own = ownerKeyOf(reader);
  const sameGroup =
    reader.role === 'secretariat' ? a.ownerKey === own : reader.group !== null && a.group === reader.group;
  if (sameGroup) tags.push('myGroup');
  if (a.votes.some((v) => sameOwner(v.ownerKey, own) || v.byUserId === reader.id)) tags.push('myVote');
  return tags;
}
