import type { Amendment, AmendmentAction, CreateAmendmentRequest, Stance } from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { announceAmendment, normaliseSpace } from '../amendments/lifecycle.js';
import { placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import { badRequest, notFound } from '../errors.js';
import { proposingOwner, whyCannotAct } from '../policies/amendments.js';
import { whyCannotDraftFor, whyCannotEditRationaleNow } from '../policies/drafts.js';
import { assertBeforeDeadline, roundTiming, withParentOwner } from '../rounds/deadlines.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { decideAmendment } from './decisions.js';
import { createDraft } from './drafts.js';
import { createSubAmendment } from './subAmendments.js';
import { commitPlacing, onAmendment, sectionOfParagraph } from './amendmentSteps.js';
import { refusalError, throwIfRefused } from '../policies/refusal.js';

/**
 * Actions on amendments that span the record and the text. Each checks the policy, changes the text
 * through the section's room (in order with everyone's edits) and only then the record, and announces
 * the result to the document.
 */

export { findAmendment } from './amendmentSteps.js';

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
  const owner = proposingOwner(user, request.onBehalfOf);
  if (!('ownerKey' in owner)) throw refusalError(owner);
  const { ownerKey } = owner;
  const { section, paragraph } = await sectionOfParagraph(services, documentId, request.sectionId, request.paragraph);
  refuseNoOp(request);
  if (request.draft) {
    throwIfRefused(whyCannotDraftFor(user, ownerKey));
    return createDraft(services, user, documentId, section.id, paragraph, request, ownerKey);
  }
  await assertBeforeDeadline(services, user, documentId, 'amendment');
  const id = newSuggestionId();
  const attrs = { id, by: ownerKey, author: user.id };
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
          const now = services.clock.now();
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
          await auditAmendment(tx.audit, services.clock.now(), user, 'created', created, { via: 'form' });
          return created;
        },
      },
    ),
  );
  announceAmendment(services, amendment);
  return amendment;
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
    throwIfRefused(whyCannotAct(stance, user, amendment));
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const voted = await tx.amendments.setVote(id, {
          ownerKey: ownerKeyOf(user),
          stance,
          byUserId: user.id,
          byName: user.name,
          at: services.clock.now(),
        });
        if (!voted) throw notFound(`There is no amendment "${id}".`);
        await auditAmendment(
          tx.audit,
          services.clock.now(),
          user,
          stance === 'support' ? 'supported' : 'opposed',
          voted,
        );
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
  const updated = await onAmendment(services, user, id, documentId, async (amendment, steps) => {
    // The same rule as the presented ability: owner, pending, and before the deadline of its words.
    throwIfRefused(
      whyCannotEditRationaleNow(
        user,
        await withParentOwner(services, amendment),
        await roundTiming(services, amendment.documentId),
      ),
    );
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const changed = await tx.amendments.updateRationale(id, rationale, services.clock.now());
        if (!changed) throw notFound(`There is no amendment "${id}".`);
        await auditAmendment(tx.audit, services.clock.now(), user, 'rationale', changed, { rationale });
        return changed;
      },
    });
  });
  announceAmendment(services, updated);
  return updated;
}
