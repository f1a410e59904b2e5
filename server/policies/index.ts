import type { Abilities, PublicUser } from '../../shared/roles.js';

/**
 * Every permission rule of Concord lives here. Routes, the collaboration server and socket.io ask these
 * functions; the client receives their answers as `abilities` and only reads them.
 */
type Actor = Pick<PublicUser, 'role' | 'group'>;

/** Anyone signed in may read a published document. */
export function canReadDocument(_actor: Actor): boolean {
  return true;
}

/**
 * Who may write to a section's text at all. Observers never. Delegates only as suggestions (the
 * collaboration server checks every update of theirs); the Office directly or as suggestions.
 */
export function canEditSection(actor: Actor): boolean {
  return actor.role === 'secretariat' || actor.role === 'delegate';
}

/** Who may change the official text without going through an amendment. */
export function canEditDirectly(actor: Actor): boolean {
  return actor.role === 'secretariat';
}

/** Who proposes amendments: delegates (and the Office when it chooses to suggest). */
export function canSuggest(actor: Actor): boolean {
  return actor.role === 'delegate' || actor.role === 'secretariat';
}

/** Who accepts or rejects amendments. */
export function canDecideAmendments(actor: Actor): boolean {
  return actor.role === 'secretariat';
}

/** Whose presence (caret, selection) is relayed to others: observers follow silently. */
export function canBroadcastPresence(actor: Actor): boolean {
  return actor.role !== 'observer';
}

export function canComment(actor: Actor): boolean {
  return actor.role !== 'observer';
}

/** Versions are read-only and public to the document's readers: anyone who reads it compares them. */
export function canCompareVersions(actor: Actor): boolean {
  return canReadDocument(actor);
}

/** Only the Office imports documents and manages accounts. */
export function canManageDocuments(actor: Actor): boolean {
  return actor.role === 'secretariat';
}

export function abilitiesFor(actor: Actor): Abilities {
  return {
    read: canReadDocument(actor),
    edit: canEditSection(actor),
    editDirectly: canEditDirectly(actor),
    suggest: canSuggest(actor) && !canEditDirectly(actor),
    comment: canComment(actor),
    decide: canDecideAmendments(actor),
  };
}
