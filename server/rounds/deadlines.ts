import type { Amendment } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import { type Speaker, speaksFor } from '../../shared/ownerKey.js';
import type { NewSuggestionCheck } from '../collab/gatekeeper.js';
import { type Refusal, throwIfRefused } from '../policies/refusal.js';
import { type DeadlineKind, type RoundTiming, whyPastDeadline } from '../policies/rounds.js';
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

/**
 * Which deadline an amendment answers to when `actor` tables, revives or re-words it. A sub-amendment
 * answers to the later sub-amendment deadline — unless its parent is the actor's own: a group
 * sub-amending its own amendment is changing that amendment, which the amendment deadline closes
 * (otherwise it could re-word it until the sub-amendment deadline).
 */
export async function deadlineKindOf(
  services: Pick<AppServices, 'store'>,
  actor: Speaker,
  amendment: Pick<Amendment, 'parentId'>,
): Promise<DeadlineKind> {
  if (amendment.parentId === null) return 'amendment';
  if (actor.role === 'secretariat') return 'subAmendment';
  const parent = await services.store.amendments.get(amendment.parentId);
  return parent && speaksFor(actor, parent.ownerKey) ? 'amendment' : 'subAmendment';
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
