import type * as Y from 'yjs';
import { type Amendment, type AmendmentEvent, type AmendmentStatus, needsSeconder } from '../../shared/amendments.js';
import { type DecisionTrace, acceptTraced, removeTraced, restoreTraced } from '../amendments/decisionTrace.js';
import type { DerivedContent } from '../amendments/derive.js';
import { announceAmendment } from '../amendments/lifecycle.js';
import { placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import { HttpError, notFound } from '../errors.js';
import { whyCannotAct } from '../policies/amendments.js';
import { whyCannotUndo } from '../policies/drafts.js';
import { whyCannotAcceptUnseconded } from '../policies/seconding.js';
import type { AppServices } from '../services.js';
import { roundTiming, withParentOwner } from '../rounds/deadlines.js';
import type { StoreTransaction, UserRecord } from '../storage/Store.js';
import { commitPlacing, onAmendment } from './amendmentSteps.js';
import { acceptSubAmendment, commitWithParent, undoSubAmendment } from './subAmendments.js';
import { conflictBecause, refusalError, throwIfRefused } from '../policies/refusal.js';

/**
 * The Office's decisions and their undoing, each one step of the section's lifecycle: the text, the
 * record and the audit line together, then the live event.
 */

const STATUS_OF: Record<'accept' | 'reject' | 'withdraw', 'accepted' | 'rejected' | 'withdrawn'> = {
  accept: 'accepted',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

/**
 * The Office's words in place of a proposal keep the proposal's word boundaries: they begin (end) with
 * one space exactly when the proposal did, so that accepting " et prioritaire" as "et hautement
 * prioritaire" after "fondamentale" cannot glue two words, nor a stray space double one; runs of
 * spaces inside become one.
 */
export function keepWordBoundaries(proposal: string, modified: string): string {
  const core = modified.replace(/[ \t\u00a0]+/g, (run) => (run.includes('\u00a0') ? '\u00a0' : ' ')).trim();
  if (core === '') return modified;
  const lead = /^[ \t\u00a0]/.test(proposal) ? ' ' : '';
  const trail = /[ \t\u00a0]$/.test(proposal) ? ' ' : '';
  return `${lead}${core}${trail}`;
}

/**
 * Accepts (optionally with the Office's `text` in place of the proposal), rejects or withdraws: the
 * text, the record (status, history, the Office's words, the trace that undoing needs) and the audit
 * line in one step. If the text cannot be changed, the record stays as it was.
 */
export async function decideAmendment(
  services: AppServices,
  user: UserRecord,
  id: string,
  action: 'accept' | 'reject' | 'withdraw',
  options: { documentId?: string; text?: string; secondedInRoom?: boolean } = {},
): Promise<Amendment> {
  const decided = await onAmendment(services, user, id, options.documentId, async (amendment, steps) => {
    throwIfRefused(whyCannotAct(action, user, amendment));
    if (action === 'accept') throwIfRefused(whyCannotAcceptUnseconded(amendment, options.secondedInRoom === true));
    // The Office's confirmation is the seconding on record: who confirmed it, when, and that it was in the room.
    const inRoom = action === 'accept' && needsSeconder(amendment) && amendment.seconder === null;
    const status = STATUS_OF[action];
    const proposal =
      amendment.parentId !== null ? (amendment.form?.text ?? amendment.proposedText) : amendment.proposedText;
    const words = action === 'accept' && options.text !== undefined ? keepWordBoundaries(proposal, options.text) : null;
    const modified = words !== null && words !== proposal ? words : null;
    const event: AmendmentEvent = { status, byUserId: user.id, byName: user.name, at: services.clock.now() };
    if (modified !== null) event.note = 'accepted with modifications';
    const record = async (tx: StoreTransaction, trace: DecisionTrace | null) => {
      if (inRoom) {
        const seconder = { ownerKey: 'secretariat', byUserId: user.id, byName: user.name, at: event.at, inRoom: true };
        if (!(await tx.amendments.second(id, seconder))) throw notFound(`There is no amendment "${id}".`);
      }
      const updated = await tx.amendments.decide(id, event, { modifiedText: modified, trace });
      if (!updated) throw notFound(`There is no amendment "${id}".`);
      await auditAmendment(tx.audit, services.clock.now(), user, status, updated, {
        ...(modified !== null ? { modifiedText: modified, originalProposal: amendment.proposedText } : {}),
        ...(inRoom ? { secondedInRoom: true } : {}),
      });
      return updated;
    };
    if (amendment.parentId !== null) {
      // A sub-amendment is not in the text: only its acceptance changes it, through its parent.
      if (action !== 'accept')
        return {
          amendment: await steps.commit(null, { actor: user, claimed: [id], write: (tx) => record(tx, null) }),
          parent: null,
        };
      const { rewrite, trace } = await acceptSubAmendment(services, amendment, modified);
      const { result, parent } = await commitWithParent(services, steps, user, amendment, rewrite, (tx) =>
        record(tx, trace),
      );
      return { amendment: result, parent };
    }
    let trace: DecisionTrace | null = null;
    const updated = await commitPlacing(
      services,
      steps,
      (doc) => {
        const result =
          action === 'accept' ? acceptTraced(doc, id, modified) : removeTraced(doc, id, status as 'rejected');
        trace = result.trace;
        return result.changed;
      },
      { actor: user, claimed: [id], write: (tx) => record(tx, trace) },
    );
    return { amendment: updated, parent: null };
  });
  if (decided.parent) announceAmendment(services, decided.parent);
  announceAmendment(services, decided.amendment);
  return decided.amendment;
}

/**
 * Undoes the last decision on an amendment: it is proposed again, with its suggestion marks back in
 * the text where the decision left its words (or, for an amendment by form without a trace, placed
 * again from its form). 409 when the text around it changed too much to put it back.
 */
export async function undoDecision(
  services: AppServices,
  user: UserRecord,
  id: string,
  documentId?: string,
): Promise<Amendment> {
  const undone = await onAmendment(services, user, id, documentId, async (amendment, steps) => {
    // The rule knows the deadline (undoing a withdrawal tables the amendment again), including that a
    // group's sub-amendment of its own amendment answers to the amendment deadline: the ability
    // presented with the amendment is this same rule, so the two agree.
    throwIfRefused(
      whyCannotUndo(
        user,
        await withParentOwner(services, amendment),
        await roundTiming(services, amendment.documentId),
      ),
    );
    const previous: AmendmentStatus = amendment.status;
    const trace = await services.store.amendments.getTrace(id);
    const event: AmendmentEvent = {
      status: 'proposed',
      byUserId: user.id,
      byName: user.name,
      at: services.clock.now(),
      note: 'undo',
    };
    const record = async (tx: StoreTransaction, found: DerivedContent | undefined) => {
      let updated = await tx.amendments.decide(id, event, { modifiedText: null, trace: null });
      if (!updated) throw notFound(`There is no amendment "${id}".`);
      // The record says again what the text now holds.
      if (found) updated = (await tx.amendments.updateContent(id, found, event.at)) ?? updated;
      await auditAmendment(tx.audit, services.clock.now(), user, 'undone', updated, { undid: previous });
      return updated;
    };
    if (amendment.parentId !== null) {
      const rewrite = await undoSubAmendment(services, amendment, trace);
      if (!rewrite)
        return {
          amendment: await steps.commit(null, { actor: user, claimed: [id], write: (tx) => record(tx, undefined) }),
          parent: null,
        };
      const { result, parent } = await commitWithParent(services, steps, user, amendment, rewrite, (tx) =>
        record(tx, undefined),
      );
      return { amendment: result, parent };
    }
    const updated = await commitPlacing(services, steps, restoreInText(amendment, trace), {
      actor: user,
      claimed: [id],
      write: (tx, derived) => record(tx, derived.get(id)),
    });
    return { amendment: updated, parent: null };
  });
  if (undone.parent) announceAmendment(services, undone.parent);
  announceAmendment(services, undone.amendment);
  return undone.amendment;
}

/** The change of the text that puts an amendment's marks back where its decision left its words. */
function restoreInText(amendment: Amendment, trace: DecisionTrace | null): (doc: Y.Doc) => boolean {
  const attrs = { id: amendment.id, by: amendment.ownerKey, author: amendment.authorId };
  if (trace) return (doc) => restoreTraced(doc, amendment, trace);
  const { form } = amendment;
  if (amendment.status !== 'accepted' && form) {
    return (doc) =>
      placeByForm(doc, { paragraph: form.paragraph, op: form.op, find: form.find, text: form.text, attrs });
  }
  throw refusalError(
    conflictBecause(
      'undo_scattered',
      `Amendment ${amendment.ref} was in several places of the text, so its ${amendment.status === 'accepted' ? 'acceptance' : 'decision'} cannot be undone automatically.`,
      { ref: amendment.ref, status: amendment.status },
    ),
  );
}

/** One answer of a bulk decision. */
export interface BulkResult {
  id: string;
  ok: boolean;
  status?: number;
  error?: string;
  message?: string;
  amendment?: Amendment;
}

/** Accepts or rejects several amendments, one after another; each answers on its own. */
export async function bulkDecide(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  action: 'accept' | 'reject',
  ids: string[],
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const amendment = await decideAmendment(services, user, id, action, { documentId });
      results.push({ id, ok: true, amendment });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      results.push({ id, ok: false, status: err.status, error: err.error, message: err.message });
    }
  }
  return results;
}
