import type { Amendment, AmendmentAction, CreateAmendmentRequest, Stance } from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import type { PublicUser } from '../../shared/roles.js';
import { deriveSuggestions } from '../amendments/derive.js';
import { withAmendmentLock } from '../amendments/locks.js';
import { announceAmendment } from '../amendments/sync.js';
import { PlacementError, placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import type * as Y from 'yjs';
import type { Room } from '../collab/Room.js';
import { HttpError, badRequest, notFound } from '../errors.js';
import { type Refusal, refuseAction, refuseCreate, refuseRationale } from '../policies/amendments.js';
import { canSeeAmendment } from '../policies/drafts.js';
import { assertBeforeDeadline } from '../rounds/deadlines.js';
import type { AppServices } from '../routes/context.js';
import type { UserRecord } from '../storage/Store.js';
import { decideAmendment } from './decisions.js';
import { createDraft } from './drafts.js';
import { createSubAmendment } from './subAmendments.js';

/**
 * Actions on amendments that span the record and the text. Each checks the policy, changes the text
 * through the section's room (in order with everyone's edits) and only then the record, and announces
 * the result to the document.
 */

export function refuse(refusal: Refusal | null): void {
  if (refusal) throw new HttpError(refusal.status, refusal.status === 403 ? 'forbidden' : 'conflict', refusal.reason);
}

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

/**
 * Runs `change` on the section's text as a server change. Resolves with whether it changed anything;
 * rethrows what `change` threw; a change that could not be stored is a 503, and nothing was changed.
 */
export async function changeText(room: Room, change: (doc: Y.Doc) => boolean): Promise<boolean> {
  const outcome: { ran: boolean; changed: boolean; error: unknown } = { ran: false, changed: false, error: null };
  const update = await room.submitServerChange((doc) => {
    outcome.ran = true;
    try {
      outcome.changed = change(doc);
    } catch (err) {
      outcome.error = err;
      outcome.changed = false;
    }
    return outcome.changed;
  });
  if (outcome.error) throw outcome.error;
  if (!outcome.ran || (outcome.changed && update === null)) {
    throw new HttpError(
      503,
      'text_unavailable',
      'The text could not be changed just now, so nothing was recorded. Try again.',
    );
  }
  return outcome.changed;
}

export async function placementFailure(services: AppServices, err: PlacementError): Promise<HttpError> {
  if (err.status === 400) return badRequest(err.message);
  const other = err.conflictingId ? await services.store.amendments.get(err.conflictingId) : null;
  return new HttpError(409, 'conflict', other ? `${err.message} (amendment ${other.ref})` : err.message);
}

/**
 * Tables an amendment by form: places it in the text exactly as if its author had typed it, then
 * records it with its rationale. Returns the new record.
 */
export async function createAmendmentByForm(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  request: CreateAmendmentRequest,
): Promise<Amendment> {
  if (request.parentId !== undefined) return createSubAmendment(services, user, documentId, request);
  refuse(refuseCreate(user));
  const { section, paragraph } = await sectionOfParagraph(services, documentId, request.sectionId, request.paragraph);
  if (request.draft) return createDraft(services, user, documentId, section.id, paragraph, request);
  await assertBeforeDeadline(services, user, documentId, 'amendment');
  const id = newSuggestionId();
  const attrs = { id, by: ownerKeyOf(user), author: user.id };
  return withAmendmentLock(id, async () => {
    const found = await services.collab.withSectionDoc(documentId, section.id, async (room) => {
      try {
        await changeText(room, (doc) =>
          placeByForm(doc, {
            paragraph,
            op: request.op,
            find: request.find,
            text: request.text,
            at: request.at,
            attrs,
          }),
        );
      } catch (err) {
        throw err instanceof PlacementError ? await placementFailure(services, err) : err;
      }
      return deriveSuggestions(room.doc, section.id).get(id);
    });
    if (!found) throw new Error(`amendment ${id} was placed but is not in the text`);
    const now = Date.now();
    const amendment = await services.store.amendments.create({
      id,
      documentId,
      sectionId: section.id,
      paragraphs: found.paragraphs,
      type: found.type,
      originalText: found.originalText,
      proposedText: found.proposedText,
      authorId: user.id,
      authorName: user.name,
      ownerKey: attrs.by,
      group: user.group,
      memberState: user.memberState,
      rationale: request.rationale,
      status: 'proposed',
      createdAt: now,
      updatedAt: now,
      form: { paragraph, op: request.op, find: request.find, text: request.text ?? '', anchor: null },
    });
    announceAmendment(services, amendment);
    await auditAmendment(services, user, 'created', amendment, { via: 'form' });
    return amendment;
  });
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

/** Support or opposition: one voice per group or State; a second vote of the same owner replaces the first. */
async function vote(
  services: AppServices,
  user: UserRecord,
  id: string,
  stance: Stance,
  documentId?: string,
): Promise<Amendment> {
  return withAmendmentLock(id, async () => {
    const amendment = await findAmendment(services, id, documentId, user);
    refuse(refuseAction(stance, user, amendment));
    const updated = await services.store.amendments.setVote(id, {
      ownerKey: ownerKeyOf(user),
      stance,
      byUserId: user.id,
      byName: user.name,
      at: Date.now(),
    });
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    announceAmendment(services, updated);
    await auditAmendment(services, user, stance === 'support' ? 'supported' : 'opposed', updated);
    return updated;
  });
}

/** Runs one action on an amendment for `user`, or refuses with the reason (403, 409). */
export function runAmendmentAction(
  services: AppServices,
  user: UserRecord,
  id: string,
  action: AmendmentAction,
  documentId?: string,
): Promise<Amendment> {
  if (action === 'support' || action === 'oppose') return vote(services, user, id, action, documentId);
  return decideAmendment(services, user, id, action, { documentId });
}

/** Changes the rationale: the amendment's own group or State, while it is pending. */
export async function updateAmendmentRationale(
  services: AppServices,
  user: UserRecord,
  id: string,
  rationale: string,
  documentId?: string,
): Promise<Amendment> {
  return withAmendmentLock(id, async () => {
    const amendment = await findAmendment(services, id, documentId, user);
    refuse(refuseRationale(user, amendment));
    const updated = await services.store.amendments.updateRationale(id, rationale, Date.now());
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    announceAmendment(services, updated);
    await auditAmendment(services, user, 'rationale', updated, { rationale });
    return updated;
  });
}
