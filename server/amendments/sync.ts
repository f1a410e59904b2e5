import type { Amendment, AmendmentEvent } from '../../shared/amendments.js';
import { ServerEvent } from '../../shared/events.js';
import type { Group } from '../../shared/roles.js';
import type { ChangeOrigin, Room, RoomOptions } from '../collab/Room.js';
import { auditAmendment } from '../audit/record.js';
import { presentAmendment } from '../presenters/amendment.js';
import type { AppServices } from '../routes/context.js';
import type { UserRecord } from '../storage/Store.js';
import { type DerivedSuggestion, deriveSuggestions, sameContent } from './derive.js';
import { isAmendmentBusy } from './locks.js';

/** Changes to a section are gathered this long before its records are brought up to date. */
export const SYNC_DELAY_MS = 100;

const SUGGESTION_BYTES = Buffer.from('suggestion');

interface RoomState {
  timer: NodeJS.Timeout | null;
  /** Amendments present at the last sync; null before the first. */
  known: Map<string, DerivedSuggestion> | null;
  /** Who last changed the section over a connection: credited when an amendment disappears. */
  lastActor: UserRecord | null;
  running: Promise<void>;
}

/**
 * Tells everyone in the document that an amendment was created or changed — except a draft, which
 * goes to its own group's members only (the Office's for the Office's drafts), never further.
 */
export function announceAmendment(services: AppServices, amendment: Amendment): void {
  const payload = { amendment: presentAmendment(amendment) };
  if (amendment.status === 'draft') {
    const group = amendment.ownerKey === 'secretariat' ? null : amendment.group;
    services.events.toGroupOnly(amendment.documentId, group, ServerEvent.DraftChanged, payload);
    return;
  }
  services.events.toDocument(amendment.documentId, ServerEvent.AmendmentChanged, payload);
}

function ownerFromKey(ownerKey: string): { group: Group | null; memberState: string | null } {
  if (ownerKey.startsWith('government:')) return { group: 'government', memberState: ownerKey.slice(11) };
  if (ownerKey === 'employers' || ownerKey === 'workers') return { group: ownerKey, memberState: null };
  return { group: null, memberState: null };
}

/**
 * Keeps amendment records in step with the suggestions in the text, after every applied change: a new
 * id becomes a record, changed words update it, and an amendment whose author deleted all of it is
 * withdrawn. Changes are gathered per section for {@link SYNC_DELAY_MS}; a section that holds no
 * suggestion skips any change that carries none without reading the text.
 */
export function createAmendmentSync(services: AppServices): NonNullable<RoomOptions['onApplied']> {
  const rooms = new WeakMap<Room, RoomState>();

  async function derive(room: Room): Promise<Map<string, DerivedSuggestion>> {
    if (services.collab.getRoom(room.documentId, room.sectionId) === room)
      return deriveSuggestions(room.doc, room.sectionId);
    // The section was unloaded meanwhile: read it again rather than a destroyed document.
    return services.collab.withSectionDoc(room.documentId, room.sectionId, (live) =>
      deriveSuggestions(live.doc, room.sectionId),
    );
  }

  async function create(documentId: string, found: DerivedSuggestion): Promise<Amendment | null> {
    const author = await services.store.findUserById(found.author);
    const owner = ownerFromKey(found.by);
    const now = Date.now();
    try {
      return await services.store.amendments.create({
        id: found.id,
        documentId,
        sectionId: found.sectionId,
        paragraphs: found.paragraphs,
        type: found.type,
        originalText: found.originalText,
        proposedText: found.proposedText,
        authorId: found.author,
        authorName: author?.name ?? 'Unknown author',
        ownerKey: found.by,
        group: author ? author.group : owner.group,
        memberState: author ? author.memberState : owner.memberState,
        rationale: '',
        status: 'proposed',
        createdAt: now,
        updatedAt: now,
      });
    } catch {
      // Created meanwhile by a command of this or another process: nothing to do.
      return null;
    }
  }

  async function reconcile(
    room: Room,
    present: Map<string, DerivedSuggestion>,
    actor: UserRecord | null,
  ): Promise<void> {
    const { documentId, sectionId } = room;
    const store = services.store.amendments;
    const records = new Map((await store.list(documentId, { sectionId })).map((a) => [a.id, a]));
    const changed: Amendment[] = [];
    /** What the audit log records of these changes (content changes are not logged one by one). */
    const audited = new Map<string, string>();
    const now = Date.now();
    for (const found of present.values()) {
      if (isAmendmentBusy(found.id)) continue;
      const record = records.get(found.id) ?? (await store.get(found.id));
      if (!record) {
        const created = await create(documentId, found);
        if (created) {
          changed.push(created);
          audited.set(created.id, 'created');
        }
        continue;
      }
      if (record.documentId !== documentId) continue;
      if (record.status === 'withdrawn') {
        // Its words are back (its author undid the deletion that withdrew it): it is proposed again.
        const by = { byUserId: actor?.id ?? record.authorId, byName: actor?.name ?? record.authorName };
        await store.setStatus(record.id, { status: 'proposed', ...by, at: now });
        const reopened = await store.updateContent(record.id, found, now);
        if (reopened) {
          changed.push(reopened);
          audited.set(reopened.id, 'reopened');
        }
        continue;
      }
      if (record.status !== 'proposed' || sameContent(found, record)) continue;
      const updated = await store.updateContent(record.id, found, now);
      if (updated) changed.push(updated);
    }
    for (const record of records.values()) {
      // Sub-amendments live outside the text: their absence from it withdraws nothing.
      if (record.parentId !== null) continue;
      if (record.status !== 'proposed' || present.has(record.id) || isAmendmentBusy(record.id)) continue;
      // Every word of it is gone: its own group deleted it, which withdraws it.
      const event: AmendmentEvent = {
        status: 'withdrawn',
        byUserId: actor?.id ?? record.authorId,
        byName: actor?.name ?? record.authorName,
        at: now,
      };
      const withdrawn = await store.setStatus(record.id, event);
      if (withdrawn) {
        changed.push(withdrawn);
        audited.set(withdrawn.id, 'withdrawn');
      }
    }
    for (const amendment of changed) {
      announceAmendment(services, amendment);
      const action = audited.get(amendment.id);
      if (action) await auditAmendment(services, actor, action, amendment, { via: 'typed' }, 'collab');
    }
  }

  function schedule(room: Room, state: RoomState): void {
    if (state.timer) return;
    state.timer = setTimeout(() => {
      state.timer = null;
      const actor = state.lastActor;
      state.running = state.running
        .then(async () => {
          const present = await derive(room);
          await reconcile(room, present, actor);
          state.known = present;
        })
        .catch((err: unknown) => {
          // A closing store ends pending syncs; the next change after a restart syncs again.
          if (!String(err).includes('database connection is not open'))
            console.warn(`amendment sync ${room.key}: ${String(err)}`);
        });
    }, SYNC_DELAY_MS);
    state.timer.unref();
  }

  return (room: Room, update: Uint8Array, origin: ChangeOrigin) => {
    let state = rooms.get(room);
    if (!state) {
      state = { timer: null, known: null, lastActor: null, running: Promise.resolve() };
      rooms.set(room, state);
    }
    if (typeof origin !== 'symbol') state.lastActor = origin.user;
    const quiet = state.known !== null && state.known.size === 0;
    if (quiet && !Buffer.from(update.buffer, update.byteOffset, update.byteLength).includes(SUGGESTION_BYTES)) return;
    schedule(room, state);
  };
}
