import type { Amendment } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import { type Speaker, ownerKeyOf, speaksFor } from '../../shared/ownerKey.js';
import type { Thread } from '../../shared/threads.js';
import { ownerLabel, whyCannotCreate } from './amendments.js';
import type { ImportPreview } from '../../shared/imports.js';
import { type Refusal, conflictBecause, forbidBecause } from './refusal.js';
import { type RoundTiming, whyPastDeadline } from './rounds.js';
import { type ThreadActor, visibleThreads } from './threads.js';

/**
 * Every rule about exports and Word imports, in one place.
 *
 * - Exports (DOCX, compilation, Akoma Ntoso) are readable by everyone signed in. What they hold is what
 *   the reader may see anyway: the text and the amendments are public; comment threads pass the same
 *   visibility policy as the threads API, so a group-only thread appears only in the export of that
 *   group's members and the Office's, and observers get public material only.
 * - Imports: a delegate imports amendments for their own group or State; the Office imports on behalf of
 *   a named group or State (or its own). Tabling an import's amendments: whoever may speak for the
 *   import's owner (its members, or the Office for an Office import).
 */

type Actor = Pick<PublicUser, 'id'> & Speaker;

/** Anyone signed in may export what they can read. */
export function whyCannotExport(_actor: Actor): Refusal | null {
  return null;
}

/**
 * The comment threads an export may carry for this reader: exactly those the threads API shows them;
 * `publicOnly` (a copy for circulation): the threads everyone sees, even in the Office's copy.
 */
export function threadsForExport<T extends Pick<Thread, 'visibility' | 'group'>>(
  actor: ThreadActor,
  threads: T[],
  options: { publicOnly?: boolean } = {},
): T[] {
  const visible = visibleThreads(actor, threads);
  return options.publicOnly ? visible.filter((t) => t.visibility === 'all') : visible;
}

/**
 * The amendments a compilation or an Akoma Ntoso export publishes: every tabled amendment, whatever
 * became of it; never a draft, which is its group's alone until tabled (not even its own group's
 * export publishes it).
 */
export function publishedAmendments<T extends Pick<Amendment, 'status'>>(amendments: T[]): T[] {
  return amendments.filter((a) => (a.status as string) !== 'draft');
}

/** Owner keys an import may name: a State of the Government group, a regional group, a group, or the Office. */
export const OWNER_KEY_PATTERN =
  /^(?:employers|workers|secretariat|government:[^:\n]{1,80}|region:[A-Z][A-Z0-9_-]{1,19})$/;

/**
 * Uploading a Word file of amendments on behalf of `onBehalfOf` (an owner key; absent: the uploader's
 * own group or State). Returns the owner key the amendments will be tabled for, or the refusal.
 */
export function importOwner(actor: Actor, onBehalfOf: string | undefined): { ownerKey: string } | Refusal {
  const refusal = whyCannotCreate(actor);
  if (refusal) {
    return actor.role === 'observer'
      ? forbidBecause('import_observer', 'Observers follow the text but cannot import amendments.')
      : refusal;
  }
  const own = ownerKeyOf(actor);
  if (onBehalfOf === undefined || onBehalfOf === own) return { ownerKey: own };
  // A government delegate imports for a regional group of their State as they would type for it.
  if (actor.role === 'delegate' && speaksFor(actor, onBehalfOf)) return { ownerKey: onBehalfOf };
  if (actor.role !== 'secretariat') {
    return forbidBecause(
      'import_on_behalf',
      `You table amendments for ${ownerLabel(own)} only; the Office imports on behalf of ${ownerLabel(onBehalfOf)}.`,
      { ownerKey: own, onBehalfOf },
    );
  }
  return { ownerKey: onBehalfOf };
}

/** Seeing an import's preview and tabling its amendments. */
export function whyCannotAccessImport(actor: Actor, record: { userId: string; ownerKey: string }): Refusal | null {
  if (actor.id === record.userId) return null;
  if (actor.role === 'secretariat') return null;
  if (actor.role === 'delegate' && speaksFor(actor, record.ownerKey)) return null;
  return forbidBecause('import_not_yours', `This import belongs to ${ownerLabel(record.ownerKey)}.`, {
    ownerKey: record.ownerKey,
  });
}

/**
 * Tabling (more of) an import's amendments: whoever may see it, while some are left to table, before the
 * amendment deadline — judged for the import's owner, since the Office tables a group's import as that
 * group (commands/imports.ts `actingFor`); an Office import of its own is never late.
 */
export function whyCannotTableImport(
  actor: Actor,
  record: Pick<ImportPreview, 'userId' | 'ownerKey' | 'amendments'>,
  timing: RoundTiming,
): Refusal | null {
  const refusal = whyCannotAccessImport(actor, record);
  if (refusal) return refusal;
  if (record.amendments.every((a) => a.tabled !== null)) {
    return conflictBecause('import_all_tabled', 'Every amendment this import could place is tabled already.');
  }
  const owner = record.ownerKey === 'secretariat' ? 'secretariat' : 'delegate';
  return whyPastDeadline({ role: owner, group: null }, timing.round, 'amendment', timing.now);
}

/** Whether an import result is a refusal. */
export function isRefusal(value: { ownerKey: string } | Refusal): value is Refusal {
  return 'reason' in value;
}
