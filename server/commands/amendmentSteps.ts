import type * as Y from 'yjs';
import type { Amendment } from '../../shared/amendments.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { stateName } from '../../shared/states.js';
import type { PublicUser } from '../../shared/roles.js';
import type { CommandStep, SectionSteps } from '../amendments/lifecycle.js';
import { PlacementError } from '../amendments/textEdits.js';
import { type HttpError, badRequest, notFound } from '../errors.js';
import { ownerLabel } from '../policies/amendments.js';
import { canSeeAmendment } from '../policies/drafts.js';
import { conflictBecause, refusalError } from '../policies/refusal.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';

/**
 * The steps every amendment command shares (amendments, drafts, decisions, sub-amendments): finding the
 * record, running in its section's queue, committing a placement. In their own module so that the
 * commands import it and not each other.
 */

/**
 * The amendment, or a 404; with `documentId`, it must belong to that document; with `viewer`, the viewer
 * must be allowed to see it (another group's draft is a 404, as if it did not exist).
 */
export async function findAmendment(
  services: AppServices,
  id: string,
  documentId?: string,
  viewer?: Pick<PublicUser, 'role' | 'group' | 'memberState'>,
): Promise<Amendment> {
  const amendment = await services.store.amendments.get(id);
  if (
    !amendment ||
    (documentId !== undefined && amendment.documentId !== documentId) ||
    (viewer !== undefined && !canSeeAmendment(viewer, amendment))
  ) {
    throw notFound(
      documentId ? `There is no amendment "${id}" in document "${documentId}".` : `There is no amendment "${id}".`,
    );
  }
  return amendment;
}

/** How an amendment's owner is named in a sentence: "Government of France", "Workers' group". */
export function ownerName(ownerKey: string): string {
  const owner = parseOwnerKey(ownerKey);
  if (owner.kind === 'government') return `Government of ${stateName(owner.memberState, 'en')}`;
  if (owner.kind === 'secretariat') return 'the Office';
  return ownerLabel(ownerKey).replace(/^the /, '');
}

/**
 * A placement the text refuses: a 400, or a 409 that names the amendment already holding the words —
 * `reason: { code: "overlaps", params: { amendmentId, ref, ownerKey } }` as every coded refusal, and the
 * same in `details` (the older contract) — so that the author can co-sponsor or support it instead.
 */
export async function placementFailure(services: AppServices, err: PlacementError): Promise<HttpError> {
  if (err.status === 400) return badRequest(err.message);
  if (err.why) return refusalError(conflictBecause(err.why.code, err.message, err.why.params));
  const other = err.conflictingId ? await services.store.amendments.get(err.conflictingId) : null;
  if (!other) return refusalError(conflictBecause('words_taken', err.message));
  const params = { amendmentId: other.id, ref: other.ref, ownerKey: other.ownerKey };
  return refusalError(
    conflictBecause(
      'overlaps',
      `${err.message} They are already under ${other.ref}, ${ownerName(other.ownerKey)}: co-sponsor or support it instead.`,
      params,
    ),
    params,
  );
}

/** Commits a command's step, turning a placement the text refuses into its 400 or 409 answer. */
export async function commitPlacing<R>(
  services: AppServices,
  steps: SectionSteps,
  change: ((doc: Y.Doc) => boolean) | null,
  command: CommandStep<R>,
): Promise<R> {
  try {
    return await steps.commit(change, command);
  } catch (err) {
    throw err instanceof PlacementError ? await placementFailure(services, err) : err;
  }
}

/**
 * Runs `work` on an amendment alone in its section's queue, where it is read again (it may have
 * changed while the queue was busy) and checked before anything is written.
 */
export async function onAmendment<R>(
  services: AppServices,
  user: UserRecord,
  id: string,
  documentId: string | undefined,
  work: (amendment: Amendment, steps: SectionSteps) => Promise<R>,
): Promise<R> {
  const located = await findAmendment(services, id, documentId, user);
  return services.lifecycle.inSection(located.documentId, located.sectionId, async (steps) =>
    work(await findAmendment(services, id, documentId, user), steps),
  );
}

/** The section and paragraph an amendment by form names: 404 for an unknown section, 400 for a paragraph elsewhere. */
export async function sectionOfParagraph(
  services: AppServices,
  documentId: string,
  sectionId: string | undefined,
  paragraph: number | undefined,
) {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  if (sectionId === undefined || paragraph === undefined)
    throw badRequest('paragraph: Give the section and paragraph to amend.');
  const section = outline.sections.find((s) => s.id === sectionId);
  if (!section) throw notFound(`There is no section "${sectionId}" in document "${documentId}".`);
  if (!section.paragraphs.includes(paragraph)) {
    const holder = outline.sections.find((s) => s.paragraphs.includes(paragraph));
    throw badRequest(
      holder
        ? `Paragraph ${paragraph} is in section "${holder.id}", not in "${section.id}".`
        : `There is no paragraph ${paragraph} in document "${documentId}".`,
    );
  }
  return { outline, section, paragraph };
}
