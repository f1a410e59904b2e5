import type { Amendment, CreateAmendmentRequest, EditDraftRequest } from '../../shared/amendments.js';
import { newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { anchorForFind, placementOfDraft } from '../amendments/anchoring.js';
import { deriveSuggestions } from '../amendments/derive.js';
import { withAmendmentLock } from '../amendments/locks.js';
import { SubAmendmentError, applySubAmendment, formTextProblem } from '../amendments/subAmendments.js';
import { announceAmendment } from '../amendments/sync.js';
import { PlacementError, placeByForm } from '../amendments/textEdits.js';
import { auditAmendment } from '../audit/record.js';
import { badRequest, notFound } from '../errors.js';
import { refuseCosponsor, refuseEditDraft, refuseTable } from '../policies/drafts.js';
import { assertBeforeDeadline } from '../rounds/deadlines.js';
import type { AppServices } from '../routes/context.js';
import type { UserRecord } from '../storage/Store.js';
import { changeText, findAmendment, placementFailure, refuse, sectionOfParagraph } from './amendments.js';

/**
 * Group drafting: a delegate drafts an amendment for their group, which only that group sees; any
 * member edits it; a member tables it, which places it in the shared text in one audited step. Drafts
 * are records only — never in the Yjs text — anchored to the words they act on so they follow the text.
 */

/** The anchor of a draft's words, checked against the live text (400 when the words do not fit). */
async function anchorOf(services: AppServices, documentId: string, sectionId: string, paragraph: number, find: string) {
  return services.collab.withSectionDoc(documentId, sectionId, async (room) => {
    try {
      return anchorForFind(room.doc, paragraph, find);
    } catch (err) {
      throw err instanceof PlacementError ? await placementFailure(services, err) : err;
    }
  });
}

/** Creates a draft of the user's group (the caller checked that the user may table amendments). */
export async function createDraft(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  sectionId: string,
  paragraph: number,
  request: CreateAmendmentRequest,
): Promise<Amendment> {
  const text = request.text ?? '';
  const problem = formTextProblem(request.op, text);
  if (problem) throw badRequest(problem);
  const anchor = await anchorOf(services, documentId, sectionId, paragraph, request.find);
  const now = Date.now();
  const draft = await services.store.amendments.create({
    id: newSuggestionId(),
    documentId,
    sectionId,
    paragraphs: [paragraph],
    type: request.op,
    originalText: request.op === 'insert' ? '' : request.find,
    proposedText: text,
    authorId: user.id,
    authorName: user.name,
    ownerKey: ownerKeyOf(user),
    group: user.group,
    memberState: user.memberState,
    rationale: request.rationale,
    status: 'draft',
    createdAt: now,
    updatedAt: now,
    form: { paragraph, op: request.op, find: request.find, text, anchor },
  });
  announceAmendment(services, draft);
  await auditAmendment(services, user, 'drafted', draft);
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
  return withAmendmentLock(id, async () => {
    const draft = await findAmendment(services, id, documentId, user);
    refuse(refuseEditDraft(user, draft));
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
      const { section } = await sectionOfParagraph(services, draft.documentId, draft.sectionId, next.paragraph);
      next.anchor = await anchorOf(services, draft.documentId, section.id, next.paragraph, next.find);
    }
    const updated = await services.store.amendments.updateDraft(
      id,
      {
        paragraphs: draft.parentId !== null ? draft.paragraphs : [next.paragraph],
        type: next.op,
        originalText: next.op === 'insert' ? '' : next.find,
        proposedText: next.text,
        rationale: patch.rationale ?? draft.rationale,
        form: next,
      },
      Date.now(),
    );
    if (!updated) throw notFound(`There is no draft "${id}".`);
    announceAmendment(services, updated);
    await auditAmendment(services, user, 'draft.edited', updated);
    return updated;
  });
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
  return withAmendmentLock(id, async () => {
    const draft = await findAmendment(services, id, documentId, user);
    refuse(refuseTable(user, draft));
    await assertBeforeDeadline(services, user, draft.documentId, draft.parentId ? 'subAmendment' : 'amendment');
    const owner = {
      ownerKey: ownerKeyOf(user),
      authorId: user.id,
      authorName: user.name,
      group: user.group,
      memberState: user.memberState,
    };
    let content: Pick<Amendment, 'paragraphs' | 'type' | 'originalText' | 'proposedText' | 'sectionId'> = draft;
    const form = draft.form;
    if (draft.parentId === null) {
      if (!form) throw badRequest(`Draft ${draft.ref} has no form to table.`);
      const found = await services.collab.withSectionDoc(draft.documentId, draft.sectionId, async (room) => {
        try {
          await changeText(room, (doc) => {
            const placement = placementOfDraft(doc, form);
            return placeByForm(doc, {
              ...placement,
              op: form.op,
              text: form.text,
              attrs: { id, by: owner.ownerKey, author: user.id },
            });
          });
        } catch (err) {
          throw err instanceof PlacementError ? await placementFailure(services, err) : err;
        }
        return deriveSuggestions(room.doc, draft.sectionId).get(id);
      });
      if (!found) throw new Error(`draft ${id} was placed but is not in the text`);
      content = found;
    }
    const tabled = await services.store.amendments.table(
      id,
      { ...owner, ...content },
      {
        status: 'proposed',
        byUserId: user.id,
        byName: user.name,
        at: Date.now(),
        note: 'tabled',
      },
    );
    if (!tabled) throw notFound(`There is no draft "${id}".`);
    announceAmendment(services, tabled);
    await auditAmendment(services, user, 'tabled', tabled, { draftedBy: draft.authorName });
    return tabled;
  });
}

/** Co-sponsors an amendment (or a draft the user can see) for the user's group or State, or (`on` false) stops. */
export async function cosponsorAmendment(
  services: AppServices,
  user: UserRecord,
  id: string,
  on: boolean,
  documentId?: string,
): Promise<Amendment> {
  return withAmendmentLock(id, async () => {
    const amendment = await findAmendment(services, id, documentId, user);
    refuse(refuseCosponsor(user, amendment));
    const updated = await services.store.amendments.setCosponsor(
      id,
      { ownerKey: ownerKeyOf(user), byUserId: user.id, byName: user.name, at: Date.now() },
      on,
    );
    if (!updated) throw notFound(`There is no amendment "${id}".`);
    announceAmendment(services, updated);
    await auditAmendment(services, user, on ? 'cosponsored' : 'cosponsor.withdrawn', updated, {
      cosponsor: ownerKeyOf(user),
    });
    return updated;
  });
}
