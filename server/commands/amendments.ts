import type {
  Amendment,
  AmendmentAction,
  AmendmentStatus,
  CreateAmendmentRequest,
  Stance,
} from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { deriveSuggestions } from '../amendments/derive.js';
import { withAmendmentLock } from '../amendments/locks.js';
import { announceAmendment } from '../amendments/sync.js';
import { PlacementError, acceptSuggestion, placeByForm, removeSuggestion } from '../amendments/textEdits.js';
import type * as Y from 'yjs';
import type { Room } from '../collab/Room.js';
import { HttpError, badRequest, notFound } from '../errors.js';
import { type Refusal, refuseAction, refuseCreate, refuseRationale } from '../policies/amendments.js';
import type { AppServices } from '../routes/context.js';
import type { UserRecord } from '../storage/Store.js';

/**
 * Actions on amendments that span the record and the text. Each checks the policy, changes the text
 * through the section's room (in order with everyone's edits) and only then the record, and announces
 * the result to the document.
 */

function refuse(refusal: Refusal | null): void {
  if (refusal) throw new HttpError(refusal.status, refusal.status === 403 ? 'forbidden' : 'conflict', refusal.reason);
}

/** The amendment, or a 404; with `documentId`, it must belong to that document. */
export async function findAmendment(services: AppServices, id: string, documentId?: string): Promise<Amendment> {
  const amendment = await services.store.amendments.get(id);
  if (!amendment || (documentId !== undefined && amendment.documentId !== documentId)) {
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
async function changeText(room: Room, change: (doc: Y.Doc) => boolean): Promise<boolean> {
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

async function placementFailure(services: AppServices, err: PlacementError): Promise<HttpError> {
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
  refuse(refuseCreate(user));
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  const section = outline.sections.find((s) => s.id === request.sectionId);
  if (!section) throw notFound(`There is no section "${request.sectionId}" in document "${documentId}".`);
  if (!section.paragraphs.includes(request.paragraph)) {
    const holder = outline.sections.find((s) => s.paragraphs.includes(request.paragraph));
    throw badRequest(
      holder
        ? `Paragraph ${request.paragraph} is in section "${holder.id}", not in "${section.id}".`
        : `There is no paragraph ${request.paragraph} in document "${documentId}".`,
    );
  }
  const id = newSuggestionId();
  const attrs = { id, by: ownerKeyOf(user), author: user.id };
  return withAmendmentLock(id, async () => {
    const found = await services.collab.withSectionDoc(documentId, section.id, async (room) => {
      try {
        await changeText(room, (doc) =>
          placeByForm(doc, {
            paragraph: request.paragraph,
            op: request.op,
            find: request.find,
            text: request.text,
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
    });
    announceAmendment(services, amendment);
    return amendment;
  });
}

const STATUS_OF: Record<'accept' | 'reject' | 'withdraw', AmendmentStatus> = {
  accept: 'accepted',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

/**
 * Accepts, rejects or withdraws: the text first (accept applies the amendment to the official text,
 * reject and withdraw take it out), then the status with its history entry. If the text cannot be
 * changed, the record stays as it was.
 */
async function decide(
  services: AppServices,
  user: UserRecord,
  id: string,
  action: 'accept' | 'reject' | 'withdraw',
  documentId?: string,
): Promise<Amendment> {
  return withAmendmentLock(id, async () => {
    const amendment = await findAmendment(services, id, documentId);
    refuse(refuseAction(action, user, amendment));
    const edit = action === 'accept' ? acceptSuggestion : removeSuggestion;
    await services.collab.withSectionDoc(amendment.documentId, amendment.sectionId, (room) =>
      changeText(room, (doc) => edit(doc, id)),
    );
    const updated = await services.store.amendments.setStatus(id, {
      status: STATUS_OF[action],
      byUserId: user.id,
      byName: user.name,
      at: Date.now(),
    });
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    announceAmendment(services, updated);
    return updated;
  });
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
    const amendment = await findAmendment(services, id, documentId);
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
  return decide(services, user, id, action, documentId);
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
    const amendment = await findAmendment(services, id, documentId);
    refuse(refuseRationale(user, amendment));
    const updated = await services.store.amendments.updateRationale(id, rationale, Date.now());
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    announceAmendment(services, updated);
    return updated;
  });
}
