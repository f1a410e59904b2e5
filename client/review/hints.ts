import type { AmendmentAction } from '../../shared/amendments.js';
import type { Abilities, PublicUser } from '../../shared/roles.js';
import { ownerKeyOf } from '../../shared/suggestions.js';
import type { CommentView as CommentRecord } from '../../shared/threads.js';
import type { AmendmentRecord } from './amendmentsStore';
import type { ThreadRecord } from './threadsStore';

/**
 * Which buttons to offer. These are hints for the interface only: the server decides every action and
 * its refusal (403/409) is shown as it says it. They follow the server's rules so that people are not
 * offered what will be refused; socket.io events carry no per-reader abilities, hence the local copy.
 */
export function amendmentActions(user: PublicUser, abilities: Abilities, a: AmendmentRecord): AmendmentAction[] {
  if (a.status !== 'proposed') return [];
  const mine = user.role !== 'observer' && ownerKeyOf(user) === a.ownerKey;
  const out: AmendmentAction[] = [];
  if (user.role === 'delegate' && user.group && !mine) out.push('support', 'oppose');
  if (mine) out.push('withdraw');
  if (abilities.decide) out.push('accept', 'reject');
  return out;
}

export function myVote(user: PublicUser, a: AmendmentRecord): 'support' | 'oppose' | null {
  if (user.role !== 'delegate') return null;
  const key = ownerKeyOf(user);
  return a.votes.find((v) => v.ownerKey === key)?.stance ?? null;
}

export function mayEditRationale(user: PublicUser, a: AmendmentRecord): boolean {
  return a.status === 'proposed' && user.role !== 'observer' && ownerKeyOf(user) === a.ownerKey;
}

const writes = (user: PublicUser) => user.role === 'delegate' || user.role === 'secretariat';

export function threadHints(user: PublicUser, thread: ThreadRecord): { reply: boolean; resolve: boolean } {
  if (thread.abilities) return thread.abilities;
  const first = thread.comments[0];
  const resolve =
    writes(user) &&
    (user.role === 'secretariat' ||
      first?.authorId === user.id ||
      (user.group !== null && first?.authorRole === 'delegate' && first.authorGroup === user.group));
  return { reply: writes(user), resolve };
}

export function commentHints(user: PublicUser, comment: CommentRecord): { edit: boolean; delete: boolean } {
  if (comment.abilities) return comment.abilities;
  if (!writes(user) || comment.deleted) return { edit: false, delete: false };
  return { edit: comment.authorId === user.id, delete: comment.authorId === user.id || user.role === 'secretariat' };
}

/** Whether the user may table amendments at all (the server's refuseCreate). */
export function mayCreate(user: PublicUser): boolean {
  if (user.role === 'secretariat') return true;
  if (user.role !== 'delegate' || !user.group) return false;
  return user.group !== 'government' || user.memberState !== null;
}

/** A draft's group: its members edit and table it (the Office's drafts: the Office). */
export function inDraftGroup(user: PublicUser, a: AmendmentRecord): boolean {
  if (a.ownerKey === 'secretariat') return user.role === 'secretariat';
  return user.role === 'delegate' && user.group !== null && user.group === a.group;
}

export interface WorkflowHints {
  table: boolean;
  edit: boolean;
  /** Co-sponsoring is offered (`cosponsored`: the user's group or State already is a co-sponsor). */
  cosponsor: boolean;
  cosponsored: boolean;
  undo: boolean;
  subAmend: boolean;
}

/** The consolidation actions on an amendment, mirroring server/policies/drafts.ts (hints only). */
export function workflowHints(user: PublicUser, a: AmendmentRecord): WorkflowHints {
  const key = user.role === 'observer' ? null : ownerKeyOf(user);
  const draft = a.status === 'draft';
  const cosponsorable =
    user.role === 'delegate' && user.group !== null && key !== a.ownerKey && (a.status === 'proposed' || draft);
  const undo =
    a.status === 'accepted' || a.status === 'rejected'
      ? user.role === 'secretariat'
      : a.status === 'withdrawn'
        ? user.role === 'secretariat' || key === a.ownerKey
        : false;
  return {
    table: draft && mayCreate(user) && inDraftGroup(user, a),
    edit: draft && inDraftGroup(user, a),
    cosponsor: cosponsorable,
    cosponsored: key !== null && (a.cosponsors ?? []).some((c) => c.ownerKey === key),
    undo,
    subAmend: mayCreate(user) && (a.parentId ?? null) === null && a.status === 'proposed' && a.proposedText !== '',
  };
}
