import type { Amendment, CreateAmendmentRequest } from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { type DecisionTrace, replaceProposedWords } from '../amendments/decisionTrace.js';
import { deriveSuggestions } from '../amendments/derive.js';
import { withAmendmentLock } from '../amendments/locks.js';
import { SubAmendmentError, applySubAmendment, formTextProblem } from '../amendments/subAmendments.js';
import { announceAmendment } from '../amendments/sync.js';
import { PlacementError } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import { HttpError, badRequest } from '../errors.js';
import { refuseSubAmend } from '../policies/drafts.js';
import { assertBeforeDeadline } from '../rounds/deadlines.js';
import type { AppServices } from '../routes/context.js';
import type { UserRecord } from '../storage/Store.js';
import { changeText, findAmendment, placementFailure, refuse } from './amendments.js';

/**
 * Sub-amendments: amendments to a pending amendment's proposed words. They are records only — the text
 * holds their parent's words — until the Office accepts one, which rewrites the parent's proposal in the
 * text (a server change) and in its record.
 */

/** Tables (or drafts, with `draft: true`) a sub-amendment to `request.parentId`. */
export async function createSubAmendment(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  request: CreateAmendmentRequest,
): Promise<Amendment> {
  const parent = await findAmendment(services, request.parentId ?? '', documentId, user);
  refuse(refuseSubAmend(user, parent));
  const text = request.text ?? '';
  const problem = formTextProblem(request.op, text);
  if (problem) throw badRequest(problem);
  try {
    applySubAmendment(parent.proposedText, { op: request.op, find: request.find, text });
  } catch (err) {
    if (err instanceof SubAmendmentError) throw badRequest(err.message);
    throw err;
  }
  if (!request.draft) await assertBeforeDeadline(services, user, documentId, 'subAmendment');
  const now = Date.now();
  const amendment = await services.store.amendments.create({
    id: newSuggestionId(),
    documentId,
    sectionId: parent.sectionId,
    paragraphs: parent.paragraphs,
    type: request.op,
    originalText: request.op === 'insert' ? '' : request.find,
    proposedText: text,
    authorId: user.id,
    authorName: user.name,
    ownerKey: ownerKeyOf(user),
    group: user.group,
    memberState: user.memberState,
    rationale: request.rationale,
    status: request.draft ? 'draft' : 'proposed',
    createdAt: now,
    updatedAt: now,
    parentId: parent.id,
    form: { paragraph: parent.paragraphs[0] ?? 0, op: request.op, find: request.find, text, anchor: null },
  });
  announceAmendment(services, amendment);
  await auditAmendment(services, user, request.draft ? 'drafted' : 'created', amendment, { via: 'form' });
  return amendment;
}

/** Rewrites the parent's proposed words in the text and its record, under the parent's lock. */
async function rewriteParent(
  services: AppServices,
  parentId: string,
  expect: string,
  words: string,
): Promise<Amendment> {
  return withAmendmentLock(parentId, async () => {
    const parent = await services.store.amendments.get(parentId);
    if (parent?.status !== 'proposed') {
      throw new HttpError(
        409,
        'conflict',
        `The amended amendment is ${parent?.status ?? 'gone'}; its proposal can no longer change.`,
      );
    }
    if (parent.proposedText !== expect) {
      throw new HttpError(
        409,
        'conflict',
        `Amendment ${parent.ref}'s proposed words changed since; look at them again before deciding.`,
      );
    }
    const found = await services.collab.withSectionDoc(parent.documentId, parent.sectionId, async (room) => {
      try {
        await changeText(room, (doc) => replaceProposedWords(doc, parent.id, words));
      } catch (err) {
        throw err instanceof PlacementError ? await placementFailure(services, err) : err;
      }
      return deriveSuggestions(room.doc, parent.sectionId).get(parent.id);
    });
    const updated = found ? await services.store.amendments.updateContent(parent.id, found, Date.now()) : null;
    if (updated) announceAmendment(services, updated);
    return updated ?? parent;
  });
}

/**
 * Accepting a sub-amendment: its parent's proposal becomes the parent's words with the sub-amendment
 * applied (with `modified` as its new words when the Office changed them). Returns the trace to undo it.
 */
export async function acceptSubAmendment(
  services: AppServices,
  sub: Amendment,
  modified: string | null,
): Promise<DecisionTrace> {
  const parent = await findAmendment(services, sub.parentId ?? '');
  if (!sub.form) throw new HttpError(409, 'conflict', `Sub-amendment ${sub.ref} has no form to apply.`);
  let words: string;
  try {
    words = applySubAmendment(parent.proposedText, sub.form, modified ?? sub.form.text);
  } catch (err) {
    if (err instanceof SubAmendmentError)
      throw new HttpError(409, 'conflict', `${err.message} (amendment ${parent.ref})`);
    throw err;
  }
  await rewriteParent(services, parent.id, parent.proposedText, words);
  return { status: 'accepted', range: null, point: null, words, parentProposal: parent.proposedText };
}

/** Undoing the acceptance of a sub-amendment: the parent's proposal goes back to what it was. */
export async function undoSubAmendment(
  services: AppServices,
  sub: Amendment,
  trace: DecisionTrace | null,
): Promise<void> {
  if (sub.status !== 'accepted') return;
  if (!trace || trace.parentProposal === undefined) {
    throw new HttpError(409, 'conflict', `The acceptance of ${sub.ref} left no trace to undo.`);
  }
  await rewriteParent(services, sub.parentId ?? '', trace.words, trace.parentProposal);
}
