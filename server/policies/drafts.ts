import type { Amendment, DraftCircleChoice } from '../../shared/amendments.js';
import {
  type Speaker,
  canonicalOwnerKey,
  ownerKeyOf,
  parseOwnerKey,
  regionOwnerKey,
  speaksFor,
} from '../../shared/ownerKey.js';
import { ownerLabel, whyCannotCreate, whyCannotEditRationale } from './amendments.js';
import { type Refusal, conflictBecause, forbidBecause } from './refusal.js';
import { type RoundTiming, deadlineKindFor, subAmendmentDeadlineKind, whyPastDeadline } from './rounds.js';

/**
 * Rules about group drafts, co-sponsors and sub-amendments. A draft is read, until a member tables it,
 * by its circle: its group (the default: the Government group for a government's), the author's
 * delegation (their State's delegates), a regional group (its member States' delegates) or everyone.
 * The Office reads every draft but a delegation's; the Office's own drafts are the Office's alone. Only
 * the owner's members edit and table it, whoever reads it.
 */
type Actor = Speaker;
type Seen = Pick<Amendment, 'ownerKey' | 'group' | 'status' | 'draftCircle'>;
type Target = Pick<Amendment, 'ref' | 'ownerKey' | 'status' | 'group' | 'parentId' | 'proposedText' | 'draftCircle'> & {
  /** The owner of a sub-amendment's parent, which decides the deadline that governs it (deadlineKindFor). */
  parentOwnerKey?: string | null;
};

/** Whether the actor belongs to the group a draft is private to. */
function inDraftGroup(actor: Actor, a: Pick<Amendment, 'ownerKey' | 'group'>): boolean {
  if (a.ownerKey === 'secretariat') return actor.role === 'secretariat';
  return actor.role === 'delegate' && actor.group !== null && actor.group === a.group;
}

/** Whether the actor reads a draft: see the module's comment. */
function inDraftCircle(actor: Actor, a: Seen): boolean {
  const circle = a.draftCircle ?? null;
  if (circle === 'all') return true;
  if (a.ownerKey === 'secretariat') return actor.role === 'secretariat';
  const kind = circle === null ? 'group' : parseOwnerKey(circle).kind;
  // A delegation's draft is its State's alone, until tabled: not even the Office reads it.
  if (kind === 'government') return actor.role === 'delegate' && speaksFor(actor, circle as string);
  if (actor.role === 'secretariat') return true;
  if (kind === 'region') return actor.role === 'delegate' && speaksFor(actor, circle as string);
  return inDraftGroup(actor, a);
}

/**
 * Whether a thread may name the amendment: any amendment the actor sees, but a draft only within its
 * own group (the Office reads groups' drafts, yet a thread of its own would tell of one).
 */
export function mayDiscussAmendment(actor: Actor, a: Seen): boolean {
  return canSeeAmendment(actor, a) && (a.status !== 'draft' || inDraftGroup(actor, a));
}

/** Null when the actor may see the amendment: everyone sees tabled ones; a draft only its circle. */
export function whyCannotSeeAmendment(actor: Actor, a: Seen): Refusal | null {
  if (a.status !== 'draft' || inDraftCircle(actor, a)) return null;
  return forbidBecause('draft_private', 'This draft is private to another group.');
}

export function canSeeAmendment(actor: Actor, a: Seen): boolean {
  return whyCannotSeeAmendment(actor, a) === null;
}

/**
 * The circle a new draft is kept in (stored as `draftCircle`), or the refusal: a delegation's needs a
 * government delegate's State; a regional group's, a group the author's State belongs to.
 */
export function circleOfNewDraft(
  actor: Actor,
  choice: DraftCircleChoice | undefined,
  region: string | undefined,
): { circle: string | null } | Refusal {
  const ofAState = actor.role === 'delegate' && actor.group === 'government' && Boolean(actor.memberState);
  switch (choice ?? 'group') {
    case 'group':
      return { circle: null };
    case 'all':
      return { circle: 'all' };
    case 'delegation':
      if (!ofAState)
        return forbidBecause(
          'draft_delegation_only',
          'Only a government delegate speaks for a delegation, so only they keep a draft to their delegation.',
        );
      return { circle: canonicalOwnerKey(ownerKeyOf(actor)) };
    case 'region':
      if (!ofAState || region === undefined || !speaksFor(actor, regionOwnerKey(region)))
        return forbidBecause('draft_region_not_member', 'Keep a draft to a regional group your State belongs to.');
      return { circle: regionOwnerKey(region) };
  }
}

/** What a user may see of a list of amendments: the only way amendment lists leave the server. */
export function visibleAmendments<T extends Seen>(actor: Actor, list: T[]): T[] {
  return list.filter((a) => canSeeAmendment(actor, a));
}

function draftOnly(a: Target, verb: string): Refusal | null {
  if (a.status === 'draft') return null;
  return conflictBecause('draft_only', `Amendment ${a.ref} is ${a.status}, not a draft; only a draft can be ${verb}.`, {
    ref: a.ref,
    status: a.status,
  });
}

/**
 * Keeping a draft for `ownerKey`: only where its own author can see it. The Office speaks for a regional
 * group only to table its amendment (a draft of the region would be private to a group the Office is not
 * in, and to no group at all: seen by nobody, tabled by nobody, never deleted).
 */
export function whyCannotDraftFor(actor: Actor, ownerKey: string): Refusal | null {
  if (inDraftGroup(actor, { ownerKey, group: actor.group })) return null;
  return forbidBecause(
    'draft_on_behalf',
    `Nobody could see a draft kept for ${ownerLabel(ownerKey)}; table the amendment instead.`,
    { ownerKey },
  );
}

/** Editing a draft: members of its group (of a regional group's: its member States') in its circle, while a draft. */
export function whyCannotEditDraft(actor: Actor, a: Target): Refusal | null {
  if (!inDraftGroup(actor, a) || (a.status === 'draft' && !inDraftCircle(actor, a)))
    return forbidBecause(
      'draft_not_group',
      `Only members of ${ownerLabel(a.ownerKey)}’s group can edit draft ${a.ref}.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  // A regional group's draft is its member States' to edit and table (others co-sponsor it).
  if (parseOwnerKey(a.ownerKey).kind === 'region' && !speaksFor(actor, a.ownerKey))
    return forbidBecause(
      'draft_not_region_member',
      `Only the delegates of ${ownerLabel(a.ownerKey)}’s member States can edit draft ${a.ref}.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  return draftOnly(a, 'edited');
}

/**
 * The deadline that governs tabling `a` (again) or changing what was tabled: sub-amendments have their
 * own, except of the actor's own amendment (deadlineKindFor).
 */
function deadlineFor(actor: Actor, a: Target, timing: RoundTiming | undefined): Refusal | null {
  if (!timing) return null;
  return whyPastDeadline(actor, timing.round, deadlineKindFor(actor, a), timing.now);
}

/**
 * Changing a tabled amendment's rationale now: its own group or State, while it is pending, and — since
 * the justification is part of what was tabled (the compilation prints it) — before the deadline that
 * closes its words. A draft's rationale is edited with the draft (whyCannotEditDraft).
 */
export function whyCannotEditRationaleNow(actor: Actor, a: Target, timing: RoundTiming): Refusal | null {
  return whyCannotEditRationale(actor, a) ?? deadlineFor(actor, a, timing);
}

/**
 * Tabling a draft: a member of its group who may table amendments, while it is a draft, before the
 * deadline when `timing` is given (the presenter gives it; the command checks the deadline itself).
 */
export function whyCannotTable(actor: Actor, a: Target, timing?: RoundTiming): Refusal | null {
  return (
    whyCannotCreate(actor) ?? whyCannotEditDraft(actor, a) ?? draftOnly(a, 'tabled') ?? deadlineFor(actor, a, timing)
  );
}

/** Co-sponsoring: delegates of another group or State, on a proposed amendment or a draft they can see. */
export function whyCannotCosponsor(actor: Actor, a: Target): Refusal | null {
  if (actor.role === 'observer') return forbidBecause('cosponsor_observer', 'Observers cannot co-sponsor amendments.');
  if (actor.role === 'secretariat')
    return forbidBecause('cosponsor_office', 'The Office decides on amendments; it does not co-sponsor them.');
  if (!actor.group)
    return forbidBecause('cosponsor_no_group', 'Your account belongs to no group, so it cannot co-sponsor amendments.');
  if (speaksFor(actor, a.ownerKey))
    return forbidBecause('cosponsor_own', `Amendment ${a.ref} is already ${ownerLabel(a.ownerKey)}’s own.`, {
      ref: a.ref,
      ownerKey: a.ownerKey,
    });
  if (a.status === 'proposed' || a.status === 'draft') return null;
  return conflictBecause(
    'cosponsor_status',
    `Amendment ${a.ref} is ${a.status}; only a pending amendment or a draft can be co-sponsored.`,
    { ref: a.ref, status: a.status },
  );
}

/**
 * A sub-amendment to `parent`: whoever may table amendments, to a proposed amendment that proposes words;
 * with `timing`, before the sub-amendment deadline — the amendment deadline when the parent is the
 * actor's own (deadlineKindFor) — (a draft sub-amendment is not bound by it, but the form the client
 * offers tables at once).
 */
export function whyCannotSubAmend(actor: Actor, parent: Target, timing?: RoundTiming): Refusal | null {
  const refusal = whyCannotCreate(actor);
  if (refusal) return refusal;
  if (parent.parentId !== null)
    return conflictBecause(
      'sub_of_sub',
      `${parent.ref} is itself a sub-amendment; amend ${parent.ref}'s parent instead.`,
      {
        ref: parent.ref,
      },
    );
  if (parent.status !== 'proposed') {
    return conflictBecause(
      'sub_status',
      `Amendment ${parent.ref} is ${parent.status}; only a proposed amendment can be sub-amended.`,
      { ref: parent.ref, status: parent.status },
    );
  }
  if (parent.proposedText === '') {
    return conflictBecause(
      'sub_no_words',
      `Amendment ${parent.ref} proposes no new words, so there is nothing to sub-amend.`,
      { ref: parent.ref },
    );
  }
  if (!timing) return null;
  return whyPastDeadline(actor, timing.round, subAmendmentDeadlineKind(actor, parent.ownerKey), timing.now);
}

/**
 * Undoing a decision: the Office for acceptances and rejections; the own group or the Office for
 * withdrawals. Undoing a withdrawal tables the amendment again, so the deadline closes it to delegates
 * (never to the Office); the command and the presenter both pass the document's latest round.
 */
export function whyCannotUndo(actor: Actor, a: Target, timing: RoundTiming): Refusal | null {
  if (a.status === 'accepted' || a.status === 'rejected') {
    if (actor.role !== 'secretariat')
      return forbidBecause('undo_office_only', 'Only the Office can undo its decisions.');
    return null;
  }
  if (a.status === 'withdrawn') {
    if (actor.role === 'secretariat' || speaksFor(actor, a.ownerKey)) return deadlineFor(actor, a, timing);
    return forbidBecause(
      'undo_withdrawal',
      `Only ${ownerLabel(a.ownerKey)} or the Office can undo the withdrawal of ${a.ref}.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  }
  return conflictBecause('undo_nothing', `Amendment ${a.ref} is ${a.status}: there is no decision to undo.`, {
    ref: a.ref,
    status: a.status,
  });
}
