import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { type Amendment, CreateAmendmentRequest } from '../../shared/amendments.js';
import type { ImportPreview, TableImportResult, UnplacedRevision } from '../../shared/imports.js';
import type { Group } from '../../shared/roles.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { newSuggestionId } from '../../shared/suggestions.js';
import { PlacementError, placeByForm } from '../amendments/textEdits.js';
import { HttpError, badRequest, notFound } from '../errors.js';
import { officialBlocks } from '../exports/model.js';
import { readSection } from '../exports/readSection.js';
import { ImportReadError } from '../imports/readErrors.js';
import type { DocxContent } from '../imports/docxReader.js';
import { readDocxInWorker } from '../imports/readInWorker.js';
import { englishReason, reason } from '../imports/reasons.js';
import { type Plan, type TargetParagraph, planImport } from '../imports/plan.js';
import { ownerLabel } from '../policies/amendments.js';
import { importOwner, isRefusal, whyCannotAccessImport } from '../policies/exports.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { createAmendmentByForm } from './amendments.js';
import { refusalError } from '../policies/refusal.js';

/**
 * Word imports: read the tracked changes of an uploaded .docx, locate them in the live official text,
 * check that each could be placed (on a copy of the text), and keep the preview; then table the chosen
 * ones through the same command as an amendment by form, so the record, the text and the live event
 * happen exactly as for a typed amendment.
 */

/** Reads the document's numbered paragraphs (official text) and a copy of each section's Yjs state. */
async function readTargets(
  services: AppServices,
  documentId: string,
): Promise<{ paragraphs: TargetParagraph[]; states: Map<string, Uint8Array> }> {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  const paragraphs: TargetParagraph[] = [];
  const states = new Map<string, Uint8Array>();
  for (const meta of outline.sections) {
    await services.collab.withSectionDoc(documentId, meta.id, (room) => {
      const { model } = readSection(room.doc, meta, []);
      for (const node of model.nodes) {
        if (node.type !== 'numbered' || node.proposed) continue;
        const number = Number.parseInt(node.number, 10);
        if (!Number.isNaN(number)) {
          paragraphs.push({ sectionId: meta.id, number, official: officialBlocks(node.blocks).join('\n') });
        }
      }
      states.set(meta.id, Y.encodeStateAsUpdate(room.doc));
    });
  }
  return { paragraphs, states };
}

/**
 * Places every planned amendment on a copy of its section, in order, as tabling would: what would be
 * refused (words under another amendment…) moves to `unplaced` with the reason; what repeats a pending
 * amendment of the same paragraph too.
 */
function dryRun(
  plan: Plan,
  states: Map<string, Uint8Array>,
  existing: Amendment[],
  ownerKey: string,
  userId: string,
): Plan {
  const copies = new Map<string, Y.Doc>();
  const kept: Plan['amendments'] = [];
  const unplaced: UnplacedRevision[] = [...plan.unplaced];
  for (const item of plan.amendments) {
    const base = {
      id: item.id,
      kind: item.op,
      inserted: item.text,
      deleted: item.op === 'insert' ? '' : item.find,
      wordAuthor: item.wordAuthor,
      wordDate: item.wordDate,
      paragraph: item.paragraph,
    } satisfies Omit<UnplacedRevision, 'reason' | 'why'>;
    const twin = existing.find(
      (a) =>
        a.status === 'proposed' &&
        a.sectionId === item.sectionId &&
        a.paragraphs.includes(item.paragraph) &&
        a.type === item.op &&
        a.proposedText === item.text &&
        a.originalText === (item.op === 'insert' ? '' : item.find),
    );
    if (twin) {
      const why = reason('alreadyTabled', { ref: twin.ref, owner: ownerLabel(twin.ownerKey), ownerKey: twin.ownerKey });
      unplaced.push({ ...base, reason: englishReason(why), why });
      continue;
    }
    let copy = copies.get(item.sectionId);
    if (!copy) {
      copy = new Y.Doc();
      const state = states.get(item.sectionId);
      if (state) Y.applyUpdate(copy, state);
      copies.set(item.sectionId, copy);
    }
    try {
      const doc = copy;
      doc.transact(() =>
        placeByForm(doc, {
          paragraph: item.paragraph,
          op: item.op,
          find: item.find,
          text: item.op === 'delete' ? undefined : item.text,
          at: item.at,
          attrs: { id: newSuggestionId(), by: ownerKey, author: userId },
        }),
      );
      kept.push(item);
    } catch (err) {
      if (!(err instanceof PlacementError)) throw err;
      const other = err.conflictingId ? existing.find((a) => a.id === err.conflictingId) : undefined;
      const why = other
        ? reason('underAmendment', { ref: other.ref, detail: err.message })
        : reason('notPlaceable', { detail: err.message });
      unplaced.push({ ...base, reason: englishReason(why), why });
    }
  }
  for (const copy of copies.values()) copy.destroy();
  unplaced.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
  return { amendments: kept, unplaced };
}

/** Reads an uploaded Word file and keeps the preview of the amendments it holds. */
export async function previewImport(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  file: { name: string; bytes: Uint8Array },
  onBehalfOf: string | undefined,
): Promise<ImportPreview> {
  const owner = importOwner(user, onBehalfOf);
  if (isRefusal(owner)) throw refusalError(owner);
  let words: DocxContent;
  try {
    words = await readDocxInWorker(file.bytes, services.config.importTimeoutMs);
  } catch (err) {
    if (err instanceof ImportReadError) {
      throw err.status === 413 ? new HttpError(413, 'payload_too_large', err.message) : badRequest(err.message);
    }
    throw err;
  }
  const { paragraphs, states } = await readTargets(services, documentId);
  const existing = await services.store.amendments.list(documentId);
  const plan = dryRun(
    planImport(words.paragraphs, paragraphs, words.comments),
    states,
    existing,
    owner.ownerKey,
    user.id,
  );
  return services.store.imports.create({
    id: randomUUID(),
    documentId,
    fileName: file.name,
    ownerKey: owner.ownerKey,
    userId: user.id,
    createdAt: services.clock.now(),
    amendments: plan.amendments,
    unplaced: plan.unplaced,
  });
}

/** An import the user may see (its uploader, members of its owner, the Office); 404 otherwise. */
export async function findImport(services: AppServices, user: UserRecord, importId: string): Promise<ImportPreview> {
  const preview = await services.store.imports.get(importId);
  if (!preview || whyCannotAccessImport(user, preview)) throw notFound(`There is no import "${importId}".`);
  return preview;
}

/**
 * Who tables the amendments: the user, or — for the Office on a group's behalf — the user speaking for
 * that group or State, so the amendment is theirs (owner, colour, who may withdraw it) while the record
 * keeps the Office member as its author.
 */
function actingFor(user: UserRecord, ownerKey: string): UserRecord {
  if (user.role !== 'secretariat' || ownerKey === 'secretariat') return user;
  const owner = parseOwnerKey(ownerKey);
  // A regional group has no single State to act as: the Office tables for it as itself (onBehalfOf).
  if (owner.kind === 'region') return user;
  // A key naming no group was refused where the import was read; keep the old reading for it all the same.
  const group: Group = owner.group ?? (ownerKey as Group);
  return { ...user, role: 'delegate', group, memberState: owner.memberState };
}

/** Tables the chosen amendments of an import, one after the other, as amendments by form. */
export async function tableImport(
  services: AppServices,
  user: UserRecord,
  importId: string,
  ids: string[],
  /** Rationales edited in the preview, by import amendment id. */
  rationales?: Record<string, string>,
): Promise<TableImportResult> {
  let preview = await findImport(services, user, importId);
  const actor = actingFor(user, preview.ownerKey);
  const result: TableImportResult = { tabled: [], failed: [], preview };
  const order = new Map(preview.amendments.map((a, i) => [a.id, i]));
  const chosen = [...new Set(ids)].sort((a, b) => (order.get(a) ?? -1) - (order.get(b) ?? -1));
  for (const id of chosen) {
    const item = preview.amendments.find((a) => a.id === id);
    if (!item) {
      const left = preview.unplaced.find((u) => u.id === id);
      if (left) {
        const why = left.why ?? reason('notPlaceable', { detail: left.reason });
        result.failed.push({ id, status: 404, message: `${id} could not be placed: ${left.reason}`, why });
      } else {
        const why = reason('notInImport', { id });
        result.failed.push({ id, status: 404, message: englishReason(why), why });
      }
      continue;
    }
    if (item.tabled) {
      const why = reason('tabledHere', { id, ref: item.tabled.ref });
      result.failed.push({ id, status: 409, message: englishReason(why), why });
      continue;
    }
    const request = CreateAmendmentRequest.parse({
      sectionId: item.sectionId,
      paragraph: item.paragraph,
      op: item.op,
      find: item.find,
      text: item.op === 'delete' ? undefined : item.text,
      at: item.at,
      rationale: rationales?.[id] ?? item.rationale ?? '',
      onBehalfOf: preview.ownerKey,
    });
    try {
      const amendment = await createAmendmentByForm(services, actor, preview.documentId, request);
      result.tabled.push({ id, amendmentId: amendment.id, ref: amendment.ref });
      preview =
        (await services.store.imports.markTabled(importId, id, { id: amendment.id, ref: amendment.ref })) ?? preview;
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      result.failed.push({
        id,
        status: err.status,
        message: err.message,
        why: reason('refused', { detail: err.message }),
      });
    }
  }
  result.preview = preview;
  return result;
}
