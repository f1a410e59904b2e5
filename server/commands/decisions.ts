import type * as Y from 'yjs';
import type { Amendment, AmendmentEvent, AmendmentStatus } from '../../shared/amendments.js';
import { type DecisionTrace, acceptTraced, removeTraced, restoreTraced } from '../amendments/decisionTrace.js';
import { deriveSuggestions } from '../amendments/derive.js';
import { withAmendmentLock } from '../amendments/locks.js';
import { announceAmendment } from '../amendments/sync.js';
import { PlacementError, placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import { HttpError, notFound } from '../errors.js';
import { refuseAction } from '../policies/amendments.js';
import { refuseUndo } from '../policies/drafts.js';
import type { AppServices } from '../routes/context.js';
import type { UserRecord } from '../storage/Store.js';
import { changeText, findAmendment, placementFailure, refuse } from './amendments.js';
import { acceptSubAmendment, undoSubAmendment } from './subAmendments.js';

/**
 * The Office's decisions and their undoing. Each changes the text first (through the section's room,
 * in order with everyone's edits), then the record — status, history, the Office's words when it
 * accepted with modifications, and the trace that undoing needs — and then announces and audits it.
 */

const STATUS_OF: Record<'accept' | 'reject' | 'withdraw', 'accepted' | 'rejected' | 'withdrawn'> = {
  accept: 'accepted',
  reject: 'rejected',
  withdraw: 'withdrawn',
};

/** Runs a text change of the amendment's section, turning placement problems into 400/409 answers. */
async function inSection<T>(
  services: AppServices,
  amendment: Amendment,
  edit: (doc: Y.Doc, out: { value: T | null }) => boolean,
): Promise<T | null> {
  const out: { value: T | null } = { value: null };
  await services.collab.withSectionDoc(amendment.documentId, amendment.sectionId, async (room) => {
    try {
      await changeText(room, (doc) => edit(doc, out));
    } catch (err) {
      throw err instanceof PlacementError ? await placementFailure(services, err) : err;
    }
  });
  return out.value;
}

/**
 * Accepts (optionally with the Office's `text` in place of the proposal), rejects or withdraws. If the
 * text cannot be changed, the record stays as it was.
 */
export async function decideAmendment(
  services: AppServices,
  user: UserRecord,
  id: string,
  action: 'accept' | 'reject' | 'withdraw',
  options: { documentId?: string; text?: string } = {},
): Promise<Amendment> {
  return withAmendmentLock(id, async () => {
    const amendment = await findAmendment(services, id, options.documentId, user);
    refuse(refuseAction(action, user, amendment));
    const status = STATUS_OF[action];
    const modified =
      action === 'accept' && options.text !== undefined && options.text !== amendment.proposedText
        ? options.text
        : null;
    let trace: DecisionTrace | null = null;
    if (amendment.parentId !== null) {
      // A sub-amendment is not in the text: only its acceptance changes it, through its parent.
      if (action === 'accept') trace = await acceptSubAmendment(services, amendment, modified);
    } else {
      trace = await inSection<DecisionTrace>(services, amendment, (doc, out) => {
        const result =
          action === 'accept' ? acceptTraced(doc, id, modified) : removeTraced(doc, id, status as 'rejected');
        out.value = result.trace;
        return result.changed;
      });
    }
    const event: AmendmentEvent = { status, byUserId: user.id, byName: user.name, at: Date.now() };
    if (modified !== null) event.note = 'accepted with modifications';
    const updated = await services.store.amendments.decide(id, event, { modifiedText: modified, trace });
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    announceAmendment(services, updated);
    await auditAmendment(
      services,
      user,
      status,
      updated,
      modified !== null ? { modifiedText: modified, originalProposal: amendment.proposedText } : {},
    );
    return updated;
  });
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
  return withAmendmentLock(id, async () => {
    const amendment = await findAmendment(services, id, documentId, user);
    refuse(refuseUndo(user, amendment));
    const previous: AmendmentStatus = amendment.status;
    const trace = await services.store.amendments.getTrace(id);
    if (amendment.parentId !== null) await undoSubAmendment(services, amendment, trace);
    else await restoreInText(services, amendment, trace);
    const event: AmendmentEvent = {
      status: 'proposed',
      byUserId: user.id,
      byName: user.name,
      at: Date.now(),
      note: 'undo',
    };
    let updated = await services.store.amendments.decide(id, event, { modifiedText: null, trace: null });
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    if (amendment.parentId === null) {
      // The record says again what the text now holds.
      const found = await services.collab.withSectionDoc(amendment.documentId, amendment.sectionId, (room) =>
        deriveSuggestions(room.doc, amendment.sectionId).get(id),
      );
      if (found) updated = (await services.store.amendments.updateContent(id, found, event.at)) ?? updated;
    }
    announceAmendment(services, updated);
    await auditAmendment(services, user, 'undone', updated, { undid: previous });
    return updated;
  });
}

async function restoreInText(services: AppServices, amendment: Amendment, trace: DecisionTrace | null): Promise<void> {
  const attrs = { id: amendment.id, by: amendment.ownerKey, author: amendment.authorId };
  if (trace) {
    await inSection(services, amendment, (doc) => restoreTraced(doc, amendment, trace));
    return;
  }
  const { form } = amendment;
  if (amendment.status !== 'accepted' && form) {
    await inSection(services, amendment, (doc) =>
      placeByForm(doc, { paragraph: form.paragraph, op: form.op, find: form.find, text: form.text, attrs }),
    );
    return;
  }
  throw new HttpError(
    409,
    'conflict',
    `Amendment ${amendment.ref} was in several places of the text, so its ${amendment.status === 'accepted' ? 'acceptance' : 'decision'} cannot be undone automatically.`,
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
