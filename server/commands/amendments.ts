import type { Amendment, AmendmentAction, CreateAmendmentRequest, Stance } from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import type { PublicUser } from '../../shared/roles.js';
import { type CommandStep, type SectionSteps, announceAmendment, normaliseSpace } from '../amendments/lifecycle.js';
import { PlacementError, placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import type * as Y from 'yjs';
import { HttpError, badRequest, notFound } from '../errors.js';
import { type Refusal, ownerLabel, refuseAction, refuseCreate, refuseRationale } from '../policies/amendments.js';
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

/** How an amendment's owner is named in a sentence: "Government of France", "Workers' group". */
export function ownerName(ownerKey: string): string {
  if (ownerKey.startsWith('government:')) return `Government of ${ownerKey.slice('government:'.length)}`;
  if (ownerKey === 'secretariat') return 'the Office';
  return ownerLabel(ownerKey).replace(/^the /, '');
}

/**
 * A placement the text refuses: a 400, or a 409 that names the amendment already holding the words
 * (`details: { amendmentId, ref, ownerKey }`), so that the author can co-sponsor or support it instead.
 */
export async function placementFailure(services: AppServices, err: PlacementError): Promise<HttpError> {
  if (err.status === 400) return badRequest(err.message);
  const other = err.conflictingId ? await services.store.amendments.get(err.conflictingId) : null;
  if (!other) return new HttpError(409, 'conflict', err.message);
  return new HttpError(
    409,
    'conflict',
    `${err.message} They are already under ${other.ref}, ${ownerName(other.ownerKey)}: co-sponsor or support it instead.`,
    { amendmentId: other.id, ref: other.ref, ownerKey: other.ownerKey },
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

/** The 400 of an amendment by form that would change nothing: the same words in place of themselves. */
function refuseNoOp(request: CreateAmendmentRequest): void {
  const text = request.text ?? '';
  // Empty words are for the placement's own sentence ("needs the new words").
  const same =
    (request.op === 'replace' && text !== '' && normaliseSpace(text) === normaliseSpace(request.find)) ||
    (request.op === 'insert' && text !== '' && normaliseSpace(text) === '');
  if (same) {
    throw badRequest(
      request.op === 'insert'
        ? 'text: These words add nothing to the text; write the words to insert.'
        : `text: The new words are the words already there (“${normaliseSpace(request.find)}”), so this amendment would change nothing.`,
    );
  }
}

/**
 * Tables an amendment by form: places it in the text exactly as if its author had typed it, and records
 * it with its rationale, in one step. Returns the new record.
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
  refuseNoOp(request);
  if (request.draft) return createDraft(services, user, documentId, section.id, paragraph, request);
  await assertBeforeDeadline(services, user, documentId, 'amendment');
  const id = newSuggestionId();
  const attrs = { id, by: ownerKeyOf(user), author: user.id };
  const amendment = await services.lifecycle.inSection(documentId, section.id, (steps) =>
    commitPlacing(
      services,
      steps,
      (doc) =>
        placeByForm(doc, { paragraph, op: request.op, find: request.find, text: request.text, at: request.at, attrs }),
      {
        actor: user,
        claimed: [id],
        async write(tx, derived) {
          const found = derived.get(id);
          if (!found) throw new Error(`amendment ${id} was placed but is not in the text`);
          const now = Date.now();
          const created = await tx.amendments.create({
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
          await auditAmendment(tx.audit, user, 'created', created, { via: 'form' });
          return created;
        },
      },
    ),
  );
  announceAmendment(services, amendment);
  return amendment;
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
  const updated = await onAmendment(services, user, id, documentId, (amendment, steps) => {
    refuse(refuseAction(stance, user, amendment));
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const voted = await tx.amendments.setVote(id, {
          ownerKey: ownerKeyOf(user),
          stance,
          byUserId: user.id,
          byName: user.name,
          at: Date.now(),
        });
        if (!voted) throw notFound(`There is no amendment "${id}".`);
        await auditAmendment(tx.audit, user, stance === 'support' ? 'supported' : 'opposed', voted);
        return voted;
      },
    });
  });
  announceAmendment(services, updated);
  return updated;
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
  const updated = await onAmendment(services, user, id, documentId, (amendment, steps) => {
    refuse(refuseRationale(user, amendment));
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const changed = await tx.amendments.updateRationale(id, rationale, Date.now());
        if (!changed) throw notFound(`There is no amendment "${id}".`);
        await auditAmendment(tx.audit, user, 'rationale', changed, { rationale });
        return changed;
      },
    });
  });
  announceAmendment(services, updated);
  return updated;
}
