import type { Amendment, AmendmentAbility, AmendmentAction } from '../../shared/amendments.js';
import { ownerKeyOf } from '../../shared/suggestions.js';
import { type Speaker, parseOwnerKey, speaksFor } from '../../shared/ownerKey.js';
import { stateName } from '../../shared/states.js';

import { type Refusal, conflictBecause, forbidBecause } from './refusal.js';

/**
 * Every rule about amendments, in one place. Each rule answers `null` when the action is allowed, or a
 * refusal (server/policies/refusal.ts) with the sentence to show: `forbidden` when the user may never do
 * it, `conflict` when the amendment's state forbids it now. Nothing else decides.
 */

type Actor = Speaker;
type Target = Pick<Amendment, 'ref' | 'ownerKey' | 'status'>;

/** Who an owner key names, for sentences: `government:France` → France. */
export function ownerLabel(ownerKey: string): string {
  if (ownerKey === 'secretariat') return 'the Office';
  const owner = parseOwnerKey(ownerKey);
  if (owner.kind === 'government') return stateName(owner.memberState, 'en');
  if (owner.kind === 'region') return `the ${owner.region} regional group`;
  if (ownerKey === 'employers') return "the Employers' group";
  if (ownerKey === 'workers') return "the Workers' group";
  return ownerKey;
}

function pending(a: Target, verb: string): Refusal | null {
  if (a.status === 'proposed') return null;
  return conflictBecause(
    'not_pending',
    `Amendment ${a.ref} is ${a.status}; only a proposed amendment can be ${verb}.`,
    {
      ref: a.ref,
      status: a.status,
    },
  );
}

/** The amendment's own group or State — for a regional group's, the delegates of every member State. */
function isOwner(actor: Actor, a: Target): boolean {
  return speaksFor(actor, a.ownerKey);
}

/**
 * Proposing on behalf of `onBehalfOf` (absent: the actor's own group or State): a government delegate
 * may also speak for a regional group their State is a member of. Returns the owner key, or the refusal.
 */
export function proposingOwner(actor: Actor, onBehalfOf: string | undefined): { ownerKey: string } | Refusal {
  const refusal = whyCannotCreate(actor);
  if (refusal) return refusal;
  const own = ownerKeyOf(actor);
  if (onBehalfOf === undefined || onBehalfOf === own) return { ownerKey: own };
  if (speaksFor(actor, onBehalfOf)) return { ownerKey: onBehalfOf };
  // The Office tables a regional group's imported amendments for it (commands/imports.ts).
  if (actor.role === 'secretariat' && parseOwnerKey(onBehalfOf).kind === 'region') return { ownerKey: onBehalfOf };
  return forbidBecause(
    'propose_on_behalf',
    `You propose for ${ownerLabel(own)}, or for a regional group your State belongs to; not for ${ownerLabel(onBehalfOf)}.`,
    { ownerKey: own, onBehalfOf },
  );
}

/** Tabling an amendment (typed or by form): delegates of a group, and the Office. Observers never. */
export function whyCannotCreate(actor: Actor): Refusal | null {
  if (actor.role === 'observer')
    return forbidBecause('create_observer', 'Observers follow the text but cannot propose amendments.');
  if (actor.role === 'delegate' && !actor.group) {
    return forbidBecause(
      'create_no_group',
      'Your account belongs to no group, so an amendment could not be tabled on anyone’s behalf.',
    );
  }
  if (actor.role === 'delegate' && actor.group === 'government' && !actor.memberState) {
    return forbidBecause(
      'create_no_state',
      'Your account names no member State, so an amendment could not be tabled on its behalf.',
    );
  }
  return null;
}

/** Support or opposition: delegates of another group or State than the amendment's, while it is pending. */
export function whyCannotVote(actor: Actor, a: Target): Refusal | null {
  if (actor.role === 'observer')
    return forbidBecause('vote_observer', 'Observers cannot support or oppose amendments.');
  if (actor.role === 'secretariat')
    return forbidBecause('vote_office', 'The Office decides on amendments; it does not support or oppose them.');
  if (!actor.group)
    return forbidBecause('vote_no_group', 'Your account belongs to no group, so it has no voice on amendments.');
  if (isOwner(actor, a)) {
    return forbidBecause(
      'vote_own',
      `Amendment ${a.ref} is ${ownerLabel(a.ownerKey)}’s own; support and opposition come from others.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  }
  return pending(a, 'supported or opposed');
}

/** Withdrawal: members of the amendment's own group or State, until the Office decides. */
export function whyCannotWithdraw(actor: Actor, a: Target): Refusal | null {
  if (!isOwner(actor, a))
    return forbidBecause('withdraw_not_owner', `Only ${ownerLabel(a.ownerKey)} can withdraw amendment ${a.ref}.`, {
      ref: a.ref,
      ownerKey: a.ownerKey,
    });
  return pending(a, 'withdrawn');
}

/** Accepting or rejecting: the Office, while the amendment is pending. */
export function whyCannotDecide(actor: Actor, a: Target): Refusal | null {
  if (actor.role !== 'secretariat')
    return forbidBecause('decide_office_only', 'Only the Office accepts or rejects amendments.');
  return pending(a, 'accepted or rejected');
}

/** The rationale: written by the amendment's own group or State, while it is pending. */
export function whyCannotEditRationale(actor: Actor, a: Target): Refusal | null {
  if (!isOwner(actor, a))
    return forbidBecause(
      'rationale_not_owner',
      `Only ${ownerLabel(a.ownerKey)} can change the rationale of amendment ${a.ref}.`,
      { ref: a.ref, ownerKey: a.ownerKey },
    );
  return pending(a, 'changed');
}

/** The rule for one of the actions on an amendment. */
export function whyCannotAct(action: AmendmentAction, actor: Actor, a: Target): Refusal | null {
  switch (action) {
    case 'support':
    case 'oppose':
      return whyCannotVote(actor, a);
    case 'withdraw':
      return whyCannotWithdraw(actor, a);
    case 'accept':
    case 'reject':
      return whyCannotDecide(actor, a);
  }
}

/**
 * What the user may do with one amendment, for the client to read (never to decide). `extra` holds the
 * answers of the draft, co-sponsor, undo and sub-amendment rules (server/policies/drafts.ts).
 */
export function amendmentAbilities(
  actor: Actor,
  a: Target,
  extra: Partial<Record<AmendmentAbility, boolean>> = {},
): Record<AmendmentAbility, boolean> {
  const vote = whyCannotVote(actor, a) === null;
  const decide = whyCannotDecide(actor, a) === null;
  return {
    support: vote,
    oppose: vote,
    withdraw: whyCannotWithdraw(actor, a) === null,
    accept: decide,
    reject: decide,
    editRationale: whyCannotEditRationale(actor, a) === null || (a.status === 'draft' && extra.edit === true),
    table: false,
    cosponsor: false,
    undo: false,
    edit: false,
    subAmend: false,
    second: false,
    ...extra,
  };
}
