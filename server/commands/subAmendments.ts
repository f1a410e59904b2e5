import type { Amendment, CreateAmendmentRequest } from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { type DecisionTrace, replaceProposedWords } from '../amendments/decisionTrace.js';
import { type SectionSteps, announceAmendment } from '../amendments/lifecycle.js';
import { SubAmendmentError, applySubAmendment, formTextProblem } from '../amendments/subAmendments.js';
import { auditAmendment } from '../audit/record.js';
import { badRequest } from '../errors.js';
import { whyCannotSubAmend } from '../policies/drafts.js';
import { roundTiming } from '../rounds/deadlines.js';
import type { AppServices } from '../services.js';
import type { StoreTransaction, UserRecord } from '../storage/Store.js';
import { commitPlacing, findAmendment } from './amendmentSteps.js';
import { conflictBecause, refusalError, throwIfRefused } from '../policies/refusal.js';

/**
 * Sub-amendments: amendments to a pending amendment's proposed words. They are records only — the text
 * holds their parent's words — until the Office accepts one, which rewrites the parent's proposal in the
 * text (a server change) and in its record, in the same step as the decision.
 */

/** Tables (or drafts, with `draft: true`) a sub-amendment to `request.parentId`, in its parent's section queue. */
export async function createSubAmendment(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  request: CreateAmendmentRequest,
): Promise<Amendment> {
  const located = await findAmendment(services, request.parentId ?? '', documentId, user);
  const amendment = await services.lifecycle.inSection(located.documentId, located.sectionId, async (steps) => {
    const parent = await findAmendment(services, located.id, documentId, user);
    throwIfRefused(whyCannotSubAmend(user, parent));
    const text = request.text ?? '';
    const problem = formTextProblem(request.op, text);
    if (problem) throw badRequest(problem);
    try {
      applySubAmendment(parent.proposedText, { op: request.op, find: request.find, text });
    } catch (err) {
      if (err instanceof SubAmendmentError) throw badRequest(err.message);
      throw err;
    }
    // Tabled now: the rule again, with the deadline (the amendment deadline when the parent is the user's own).
    if (!request.draft) throwIfRefused(whyCannotSubAmend(user, parent, await roundTiming(services, documentId)));
    return steps.commit(null, {
      actor: user,
      claimed: [],
      async write(tx) {
        const now = services.clock.now();
        const created = await tx.amendments.create({
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
        await auditAmendment(tx.audit, services.clock.now(), user, request.draft ? 'drafted' : 'created', created, {
          via: 'form',
        });
        return created;
      },
    });
  });
  announceAmendment(services, amendment);
  return amendment;
}

/** A parent's proposal rewritten by a decision on one of its sub-amendments, to commit with that decision. */
export interface ParentRewrite {
  parent: Amendment;
  words: string;
  /** Writes the parent's new content; call inside the decision's transaction. */
  write(
    tx: StoreTransaction,
    derivedParent: Pick<Amendment, 'paragraphs' | 'type' | 'originalText' | 'proposedText' | 'sectionId'> | undefined,
  ): Promise<Amendment>;
}

/**
 * Checks that the parent (same section, read in its queue) can take `words` in place of `expect`:
 * 409 if it is no longer proposed or its words changed since.
 */
async function parentRewrite(
  services: AppServices,
  parentId: string,
  expect: string,
  words: string,
): Promise<ParentRewrite> {
  const parent = await services.store.amendments.get(parentId);
  if (parent?.status !== 'proposed') {
    const reason = `The amended amendment is ${parent?.status ?? 'gone'}; its proposal can no longer change.`;
    throw refusalError(
      parent
        ? conflictBecause('sub_parent_decided', reason, { ref: parent.ref, status: parent.status })
        : conflictBecause('sub_parent_gone', reason),
    );
  }
  if (parent.proposedText !== expect) {
    throw refusalError(
      conflictBecause(
        'sub_parent_changed',
        `Amendment ${parent.ref}'s proposed words changed since; look at them again before deciding.`,
        { ref: parent.ref },
      ),
    );
  }
  return {
    parent,
    words,
    async write(tx, found) {
      if (!found) throw new Error(`amendment ${parent.id} is no longer in the text`);
      const updated = await tx.amendments.updateContent(parent.id, found, services.clock.now());
      if (!updated) throw new Error(`amendment ${parent.id} could not be updated`);
      return updated;
    },
  };
}

/**
 * Commits a decision on a sub-amendment that changes its parent: the parent's words in the text, the
 * parent's record and the sub-amendment's (`write`) in one step. Resolves with both records.
 */
export async function commitWithParent<R>(
  services: AppServices,
  steps: SectionSteps,
  user: UserRecord,
  sub: Amendment,
  rewrite: ParentRewrite,
  write: (tx: StoreTransaction) => Promise<R>,
): Promise<{ result: R; parent: Amendment }> {
  return commitPlacing(services, steps, (doc) => replaceProposedWords(doc, rewrite.parent.id, rewrite.words), {
    actor: user,
    claimed: [sub.id, rewrite.parent.id],
    async write(tx, derived) {
      const parent = await rewrite.write(tx, derived.get(rewrite.parent.id));
      return { result: await write(tx), parent };
    },
  });
}

/**
 * Accepting a sub-amendment: its parent's proposal becomes the parent's words with the sub-amendment
 * applied (with `modified` as its new words when the Office changed them). Returns the rewrite and the
 * trace to undo it.
 */
export async function acceptSubAmendment(
  services: AppServices,
  sub: Amendment,
  modified: string | null,
): Promise<{ rewrite: ParentRewrite; trace: DecisionTrace }> {
  const parent = await findAmendment(services, sub.parentId ?? '');
  if (!sub.form) {
    throw refusalError(
      conflictBecause('sub_no_form', `Sub-amendment ${sub.ref} has no form to apply.`, { ref: sub.ref }),
    );
  }
  let words: string;
  try {
    words = applySubAmendment(parent.proposedText, sub.form, modified ?? sub.form.text);
  } catch (err) {
    if (err instanceof SubAmendmentError) {
      throw refusalError(
        conflictBecause(err.code, `${err.message} (amendment ${parent.ref})`, { find: err.find, ref: parent.ref }),
      );
    }
    throw err;
  }
  const rewrite = await parentRewrite(services, parent.id, parent.proposedText, words);
  return {
    rewrite,
    trace: { status: 'accepted', range: null, point: null, words, parentProposal: parent.proposedText },
  };
}

/** Undoing the acceptance of a sub-amendment: the parent's proposal goes back to what it was. */
export async function undoSubAmendment(
  services: AppServices,
  sub: Amendment,
  trace: DecisionTrace | null,
): Promise<ParentRewrite | null> {
  if (sub.status !== 'accepted') return null;
  if (!trace || trace.parentProposal === undefined) {
    throw refusalError(
      conflictBecause('undo_no_trace', `The acceptance of ${sub.ref} left no trace to undo.`, { ref: sub.ref }),
    );
  }
  return parentRewrite(services, sub.parentId ?? '', trace.words, trace.parentProposal);
}
