import type { Amendment, CreateAmendmentRequest, EditDraftRequest } from '../../shared/amendments.js';
import { speaksFor } from '../../shared/ownerKey.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { anchorForFind, placementOfDraft } from '../amendments/anchoring.js';
import type * as Y from 'yjs';
import { announceAmendment } from '../amendments/lifecycle.js';
import { SubAmendmentError, applySubAmendment, formTextProblem } from '../amendments/subAmendments.js';
import { PlacementError, placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import { badRequest, notFound } from '../errors.js';
import { circleOfNewDraft, whyCannotCosponsor, whyCannotEditDraft, whyCannotTable } from '../policies/drafts.js';
import { roundTiming, withParentOwner } from '../rounds/deadlines.js';
import type { AppServices } from '../services.js';
import type { StoreTransaction, UserRecord } from '../storage/Store.js';
import { commitPlacing, findAmendment, onAmendment, placementFailure, sectionOfParagraph } from './amendmentSteps.js';
import { refusalError, throwIfRefused } from '../policies/refusal.js';

/**
 * Group drafting: a delegate drafts an amendment for their group, which only that group sees; any
 * member edits it; a member tables it, which places it in the shared text in one audited step. Drafts
 * are records only — never in the Yjs text — anchored to the words they act on so they follow the text.
 */

/** The anchor of a draft's words, checked against the live text (400 when the words do not fit). */
async function anchorOf(services: AppServices, doc: Y.Doc, paragraph: number, find: string) {
  try {
    return anchorForFind(doc, paragraph, find);
  } catch (err) {
    throw err instanceof PlacementError ? await placementFailure(services, err) : err;
  }
}

/** Creates a draft of the user's group (the caller checked that the user may table amendments). */
export async function createDraft(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  sectionId: string,
  paragraph: number,
  request: CreateAmendmentRequest,
  ownerKey: string = ownerKeyOf(user),
): Promise<Amendment> {
  const text = request.text ?? '';
  const problem = formTextProblem(request.op, text);
  if (problem) throw badRequest(problem);
  const circle = circleOfNewDraft(user, request.circle, request.region);
  if (!('circle' in circle)) throw refusalError(circle);
  const draft = await services.lifecycle.inSection(documentId, sectionId, async (steps) => {
    const anchor = await anchorOf(services, steps.room.doc, paragraph, request.find);
    return steps.commit(null, {
      actor: user,
      claimed: [],
      async write(tx) {
        const now = services.clock.now();
        const created = await tx.amendments.create({
          id: newSuggestionId(),
          documentId,
          sectionId,
          paragraphs: [paragraph],
          type: request.op,
          originalText: request.op === 'insert' ? '' : request.find,
          proposedText: text,
          authorId: user.id,
          authorName: user.name,
          ownerKey,
          group: user.group,
          memberState: user.memberState,
          rationale: request.rationale,
          status: 'draft',
          createdAt: now,
          updatedAt: now,
          form: { paragraph, op: request.op, find: request.find, text, anchor },
          draftCircle: circle.circle,
        });
        await auditAmendment(tx.audit, services.clock.now(), user, 'drafted', created);
        return created;
      },
    });
  });
  announceAmendment(services, draft);
  return draft;
}

/** Edits a draft: any member of its group, while it is a draft. */
export async function editDraft(
  services: AppServices,
  user: UserRecord,
  id: string,
  patch: EditDraftRequest,
  documentId?: string,
): Promise<Amendment> {
  const updated = await onAmendment(services, user, id, documentId, async (draft, steps) => {
    throwIfRefused(whyCannotEditDraft(user, draft));
    const form = draft.form ?? { paragraph: draft.paragraphs[0] ?? 0, op: 'insert', find: '', text: '', anchor: null };
    const next = {
      paragraph: patch.paragraph ?? form.paragraph,
      op: patch.op ?? form.op,
      find: patch.find ?? form.find,
      text: patch.text ?? (patch.op === 'delete' ? '' : form.text),
      anchor: form.anchor,
    };
    const problem = formTextProblem(next.op, next.text);
    if (problem) throw badRequest(problem);
    if (draft.parentId !== null) {
      const parent = await findAmendment(services, draft.parentId);
      try {
        applySubAmendment(parent.proposedText, next);
      } catch (err) {
        throw err instanceof SubAmendmentError ? badRequest(err.message) : err;
      }
    } else if (next.paragraph !== form.paragraph || next.find !== form.find || !form.anchor) {
      // Within the draft's own section: the section (and so its queue) of a draft never changes.
      await sectionOfParagraph(services, draft.documentId, draft.sectionId, next.paragraph);
      next.anchor = await anchorOf(services, steps.room.doc, next.paragraph, next.find);
    }
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const edited = await tx.amendments.updateDraft(
          id,
          {
            paragraphs: draft.parentId !== null ? draft.paragraphs : [next.paragraph],
            type: next.op,
            originalText: next.op === 'insert' ? '' : next.find,
            proposedText: next.text,
            rationale: patch.rationale ?? draft.rationale,
            form: next,
          },
          services.clock.now(),
        );
        if (!edited) throw notFound(`There is no draft "${id}".`);
        await auditAmendment(tx.audit, services.clock.now(), user, 'draft.edited', edited);
        return edited;
      },
    });
  });
  announceAmendment(services, updated);
  return updated;
}

/**
 * Tables a draft: places it in the shared text as a tracked suggestion on behalf of the tabling
 * member's group (for a government, their State), where its anchor says its words are now, and makes
 * the record a proposed amendment with the same id and reference — in one step, under the amendment's
 * lock, audited. A sub-amendment draft just becomes proposed. The deadlines apply.
 */
export async function tableDraft(
  services: AppServices,
  user: UserRecord,
  id: string,
  documentId?: string,
): Promise<Amendment> {
  const tabled = await onAmendment(services, user, id, documentId, async (draft, steps) => {
    // The rule the presented ability asks, deadline included (of a sub-amendment of one's own amendment:
    // the amendment deadline).
    throwIfRefused(
      whyCannotTable(user, await withParentOwner(services, draft), await roundTiming(services, draft.documentId)),
    );
    const owner = {
      // A regional group's draft stays the region's whichever member State tables it.
      ownerKey: speaksFor(user, draft.ownerKey) ? draft.ownerKey : ownerKeyOf(user),
      authorId: user.id,
      authorName: user.name,
      group: user.group,
      memberState: user.memberState,
    };
    const event = {
      status: 'proposed' as const,
      byUserId: user.id,
      byName: user.name,
      at: services.clock.now(),
      note: 'tabled',
    };
    const write = async (
      tx: StoreTransaction,
      content: Pick<Amendment, 'paragraphs' | 'type' | 'originalText' | 'proposedText' | 'sectionId'> | undefined,
    ) => {
      if (!content) throw new Error(`draft ${id} was placed but is not in the text`);
      const done = await tx.amendments.table(id, { ...owner, ...content }, event);
      if (!done) throw notFound(`There is no draft "${id}".`);
      await auditAmendment(tx.audit, services.clock.now(), user, 'tabled', done, { draftedBy: draft.authorName });
      return done;
    };
    const form = draft.form;
    if (draft.parentId !== null)
      return steps.commit(null, { actor: user, claimed: [id], write: (tx) => write(tx, draft) });
    if (!form) throw badRequest(`Draft ${draft.ref} has no form to table.`);
    return commitPlacing(
      services,
      steps,
      (doc) => {
        const placement = placementOfDraft(doc, form);
        return placeByForm(doc, {
          ...placement,
          op: form.op,
          text: form.text,
          attrs: { id, by: owner.ownerKey, author: user.id },
        });
      },
      { actor: user, claimed: [id], write: (tx, derived) => write(tx, derived.get(id)) },
    );
  });
  announceAmendment(services, tabled);
  return tabled;
}

/** Co-sponsors an amendment (or a draft the user can see) for the user's group or State, or (`on` false) stops. */
export async function cosponsorAmendment(
  services: AppServices,
  user: UserRecord,
  id: string,
  on: boolean,
  documentId?: string,
): Promise<Amendment> {
  const updated = await onAmendment(services, user, id, documentId, (amendment, steps) => {
    throwIfRefused(whyCannotCosponsor(user, amendment));
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const changed = await tx.amendments.setCosponsor(
          id,
          { ownerKey: ownerKeyOf(user), byUserId: user.id, byName: user.name, at: services.clock.now() },
          on,
        );
        if (!changed) throw notFound(`There is no amendment "${id}".`);
        await auditAmendment(
          tx.audit,
          services.clock.now(),
          user,
          on ? 'cosponsored' : 'cosponsor.withdrawn',
          changed,
          {
            cosponsor: ownerKeyOf(user),
          },
        );
        return changed;
      },
    });
  });
  announceAmendment(services, updated);
  return updated;
}
