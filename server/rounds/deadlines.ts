import type { Amendment } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import type { Speaker } from '../../shared/ownerKey.js';
import type { NewSuggestionCheck } from '../collab/gatekeeper.js';
import { type Refusal, throwIfRefused } from '../policies/refusal.js';
import { type DeadlineKind, type RoundTiming, deadlineKindFor, whyPastDeadline } from '../policies/rounds.js';
import type { AppServices } from '../services.js';
import { latestRound } from './latestRounds.js';

/**
 * The one place deadlines are enforced. Every path that creates an amendment asks it: amendments by
 * form, sub-amendments, tabling a draft, imports (`assertBeforeDeadline`), and amendments typed in the
 * text (`deadlineCheckForCollab`, the collaboration gatekeeper's hook for new suggestion ids). The time
 * is `services.clock.now()`, read at each check.
 */

/** The document's latest round and the server's time now, for policies that judge a deadline. */
export async function roundTiming(
  services: Pick<AppServices, 'store' | 'clock'>,
  documentId: string,
): Promise<RoundTiming> {
  const round = await services.store.rounds.latest(documentId);
  return { round, now: services.clock.now() };
}

/** Why a new amendment (or sub-amendment) by `actor` would be refused now; null when it may be tabled. */
export async function deadlineRefusal(
  services: Pick<AppServices, 'store' | 'clock'>,
  actor: Pick<PublicUser, 'role' | 'group'>,
  documentId: string,
  kind: DeadlineKind,
): Promise<Refusal | null> {
  const round = await services.store.rounds.latest(documentId);
  return whyPastDeadline(actor, round, kind, services.clock.now());
}

/** The owner of a sub-amendment's parent (null for an amendment, or a parent that is gone). */
export async function parentOwnerKeyOf(
  services: Pick<AppServices, 'store'>,
  amendment: Pick<Amendment, 'parentId'>,
): Promise<string | null> {
  if (amendment.parentId === null) return null;
  return (await services.store.amendments.get(amendment.parentId))?.ownerKey ?? null;
}

/** The amendment with its parent's owner, as the deadline rules need it (deadlineKindFor). */
export async function withParentOwner<T extends Pick<Amendment, 'parentId'>>(
  services: Pick<AppServices, 'store'>,
  amendment: T,
): Promise<T & { parentOwnerKey: string | null }> {
  return { ...amendment, parentOwnerKey: await parentOwnerKeyOf(services, amendment) };
}

/** Which deadline an amendment answers to when `actor` tables, revives or re-words it (deadlineKindFor). */
export async function deadlineKindOf(
  services: Pick<AppServices, 'store'>,
  actor: Speaker,
  amendment: Pick<Amendment, 'parentId'>,
): Promise<DeadlineKind> {
  return deadlineKindFor(actor, await withParentOwner(services, amendment));
}

/** Throws `409 deadline_passed` with the reason when a new amendment would be refused now. */
export async function assertBeforeDeadline(
  services: Pick<AppServices, 'store' | 'clock'>,
  actor: Pick<PublicUser, 'role' | 'group'>,
  documentId: string,
  kind: DeadlineKind,
): Promise<void> {
  throwIfRefused(await deadlineRefusal(services, actor, documentId, kind));
}

/**
 * The gatekeeper's hook: after the amendment deadline a delegate may no longer table amendments by
 * typing, nor change the words of pending ones (growing, replacing, reviving a withdrawn one under its
 * old id): any update that creates or changes a suggestion of the sender's and leaves it in the text is
 * refused. Deleting all of an amendment's words withdraws it, which stays allowed (the gatekeeper does
 * not list those ids). The Office (direct writers) is never refused.
 */
export function deadlineCheckForCollab(services: Pick<AppServices, 'store' | 'clock'>): NewSuggestionCheck {
  return async (documentId, author, ids) => {
    if (author.direct || ids.length === 0) return null;
    // Cached: this runs on most keystrokes of a delegate, and rounds change a few times a session.
    const round = await latestRound(services.store, documentId);
    // Typed suggestions are amendments: sub-amendments live outside the text.
    return whyPastDeadline({ role: 'delegate', group: null }, round, 'amendment', services.clock.now())?.reason ?? null;
  };
}
