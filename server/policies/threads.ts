import type { Amendment } from '../../shared/amendments.js';
import { type Speaker, ownerKeyOf, regionOwnerKey, speaksFor } from '../../shared/ownerKey.js';
import type { PublicUser } from '../../shared/roles.js';
import type { Comment, Thread, ThreadVisibility } from '../../shared/threads.js';
import { mayDiscussAmendment } from './drafts.js';
import { canComment } from './index.js';
import { type Refusal, forbidBecause } from './refusal.js';

/**
 * Every rule about comment threads, in one place. Each function answers with the reason for a refusal,
 * or null when the action is allowed: commands turn a refusal into its 403 (or a 404 when the thread
 * must not even be known to exist), presenters turn null into an ability, socket.io sends a thread only to
 * rooms whose members pass `whyCannotSeeThread`.
 */
export type ThreadActor = Pick<PublicUser, 'id'> & Speaker;
type Seen = Pick<Thread, 'visibility' | 'group' | 'circle'>;

export type { Refusal } from './refusal.js';

const isOffice = (actor: ThreadActor) => actor.role === 'secretariat';

/**
 * Public threads: everyone signed in (observers read). Group-only threads: that group's members and the
 * Office; a group-only thread of the Office (group null) is the Office's alone. Delegation- and
 * region-only threads: the delegates who speak for their circle (a State's, or a regional group's
 * member States') and the Office.
 */
export function whyCannotSeeThread(actor: ThreadActor, thread: Seen): Refusal | null {
  if (thread.visibility === 'all') return null;
  if (isOffice(actor)) return null;
  if (thread.visibility === 'delegation' || thread.visibility === 'region') {
    if (actor.role === 'delegate' && thread.circle && speaksFor(actor, thread.circle)) return null;
    return forbidBecause('thread_private_circle', 'This thread is private to another delegation or regional group.');
  }
  if (thread.group !== null && actor.role === 'delegate' && actor.group === thread.group) return null;
  return forbidBecause('thread_private', 'This thread is private to another group.');
}

export function canSeeThread(actor: ThreadActor, thread: Seen): boolean {
  return whyCannotSeeThread(actor, thread) === null;
}

/** What a user may see of a list of threads: the only way threads leave the server (API, exports). */
export function visibleThreads<T extends Seen>(actor: ThreadActor, threads: T[]): T[] {
  return threads.filter((t) => canSeeThread(actor, t));
}

/** Delegates and the Office write comments; observers follow. */
export function whyCannotComment(actor: ThreadActor): Refusal | null {
  if (canComment(actor)) return null;
  return forbidBecause('thread_observer', 'Observers can read comments but not write them.');
}

/**
 * Opening a thread; a group-only one needs a group to be private to (delegates) or the Office; a
 * delegation-only one a State; a region-only one a regional group the author's State belongs to.
 */
export function whyCannotCreateThread(
  actor: ThreadActor,
  visibility: ThreadVisibility,
  region?: string,
): Refusal | null {
  const refusal = whyCannotComment(actor);
  if (refusal) return refusal;
  if (visibility === 'group' && !isOffice(actor) && actor.group === null) {
    return forbidBecause('thread_no_group', 'You belong to no group, so you cannot open a group-only thread.');
  }
  const ofAState = actor.role === 'delegate' && actor.group === 'government' && Boolean(actor.memberState);
  if (visibility === 'delegation' && !ofAState) {
    return forbidBecause(
      'thread_delegation_only',
      'Only a government delegate speaks for a delegation, so only they open delegation-only threads.',
    );
  }
  if (visibility === 'region') {
    if (!ofAState || region === undefined || !speaksFor(actor, regionOwnerKey(region))) {
      return forbidBecause(
        'thread_region_not_member',
        'Open a region-only thread for a regional group your State belongs to.',
      );
    }
  }
  return null;
}

/** The circle a delegation- or region-only thread is visible to (null for the other visibilities). */
export function circleOfNewThread(actor: ThreadActor, visibility: ThreadVisibility, region?: string): string | null {
  if (visibility === 'delegation') return ownerKeyOf(actor);
  if (visibility === 'region' && region !== undefined) return regionOwnerKey(region);
  return null;
}

/** The group a new thread is private to: the author's group, null for the Office (Office only). */
export function groupOfNewThread(actor: ThreadActor, visibility: ThreadVisibility): Thread['group'] {
  // A delegation's or a region's thread is of the Government group too (the circle narrows it).
  if (visibility === 'all' || isOffice(actor)) return null;
  return actor.group;
}

/** Replying: whoever may comment, on a thread they can see. */
export function whyCannotReply(actor: ThreadActor, thread: Seen): Refusal | null {
  return whyCannotSeeThread(actor, thread) ?? whyCannotComment(actor);
}

/** Editing a comment: its author only (still allowed to write), never a deleted one. */
export function whyCannotEditComment(
  actor: ThreadActor,
  comment: Pick<Comment, 'authorId' | 'deleted'>,
): Refusal | null {
  const refusal = whyCannotComment(actor);
  if (refusal) return refusal;
  if (comment.authorId !== actor.id) return forbidBecause('comment_not_author', 'Only its author can edit a comment.');
  if (comment.deleted) return forbidBecause('comment_deleted', 'This comment was deleted.');
  return null;
}

/** Deleting a comment: its author, or the Office to moderate. */
export function whyCannotDeleteComment(actor: ThreadActor, comment: Pick<Comment, 'authorId'>): Refusal | null {
  const refusal = whyCannotComment(actor);
  if (refusal) return refusal;
  if (comment.authorId === actor.id || isOffice(actor)) return null;
  return forbidBecause('comment_cannot_delete', 'Only its author or the Office can delete a comment.');
}

/**
 * Resolving and reopening: the thread's first author, members of that author's group, or the Office.
 * (Governments form one group: any government delegate may resolve another's thread.)
 */
export function whyCannotResolve(actor: ThreadActor, thread: Pick<Thread, 'comments'>): Refusal | null {
  const refusal = whyCannotComment(actor);
  if (refusal) return refusal;
  if (isOffice(actor)) return null;
  const first = thread.comments[0];
  if (!first) return forbidBecause('thread_no_author', 'This thread has no author.');
  if (first.authorId === actor.id) return null;
  if (actor.group !== null && first.authorRole === 'delegate' && first.authorGroup === actor.group) return null;
  return forbidBecause(
    'thread_cannot_resolve',
    "Only the thread's author, their group or the Office can resolve or reopen it.",
  );
}

/** What the user may do with a thread, for the client to read (never to decide). */
export interface ThreadAbilities {
  reply: boolean;
  resolve: boolean;
}

export interface CommentAbilities {
  edit: boolean;
  delete: boolean;
}

export function threadAbilities(actor: ThreadActor, thread: Thread): ThreadAbilities {
  return { reply: whyCannotReply(actor, thread) === null, resolve: whyCannotResolve(actor, thread) === null };
}

export function commentAbilities(actor: ThreadActor, comment: Comment): CommentAbilities {
  return {
    edit: whyCannotEditComment(actor, comment) === null,
    delete: !comment.deleted && whyCannotDeleteComment(actor, comment) === null,
  };
}

/**
 * A thread may be attached only to an amendment of its document that its author may see: another
 * group's draft must answer exactly like an unknown id (the route's 404), or a thread would confirm it.
 */
export function canAttachThreadTo(
  actor: ThreadActor & Pick<PublicUser, 'memberState'>,
  documentId: string,
  amendment: Pick<Amendment, 'documentId' | 'ownerKey' | 'group' | 'status' | 'draftCircle'> | null,
): boolean {
  return amendment !== null && amendment.documentId === documentId && mayDiscussAmendment(actor, amendment);
}
