import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { Amendment } from '../../shared/amendments.js';
import type { Correction } from '../../shared/corrections.js';
import { ServerEvent } from '../../shared/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { Group } from '../../shared/roles.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { auditAmendment } from '../audit/record.js';
import { PEER, type Room, type RoomLifecycle, type RoomStep } from '../collab/Room.js';
import { HttpError } from '../errors.js';
import { presentAmendment } from '../presenters/amendment.js';
import type { Clock } from '../clock.js';
import type { CollabServer } from '../collab/CollabServer.js';
import type { LiveEvents } from '../realtime/socketServer.js';
import type { StoreTransaction, UserRecord } from '../storage/Store.js';
import { type BlockReading, type DerivedSuggestion, mergeReadings, readBlock, sameContent } from './derive.js';

/**
 * The one writer of amendment records. Every change of a record — typed in the text, placed by form,
 * decided, drafted, tabled, voted — is written here, in the section room's queue, in the same store
 * transaction as the Yjs update that carries it and the audit line that records it: if one fails,
 * none stays. Typed changes are credited to the connection that sent them, never to someone else.
 */

/** A burst of the Office's direct typing in one paragraph is one correction for this long. */
export const CORRECTION_WINDOW_MS = 10_000;

/** What a command writes with its change of the text (see {@link SectionSteps.commit}). */
export interface CommandStep<R> {
  /** Who acts; null for the server's own housekeeping (closing the Office's bursts of typing). */
  actor: UserRecord | null;
  /** Ids whose records the command writes itself: the typed-change rules leave them alone. */
  claimed: readonly string[];
  write(tx: StoreTransaction, derived: ReadonlyMap<string, DerivedSuggestion>): Promise<R>;
}

/** A command's view of a section, inside the section's queue. */
export interface SectionSteps {
  room: Room;
  /** The amendments the text holds now. */
  derived(): ReadonlyMap<string, DerivedSuggestion>;
  /**
   * Changes the text with `change` (on a copy; null or false: no change) and writes the command's
   * records in the same transaction. Resolves once both are stored; rejects, with neither, otherwise.
   */
  commit<R>(change: ((doc: Y.Doc) => boolean) | null, command: CommandStep<R>): Promise<R>;
}

interface Burst {
  correction: Correction;
  block: Y.AbstractType<unknown>;
}

interface RoomState {
  root: Y.XmlFragment;
  readings: Map<Y.AbstractType<unknown>, BlockReading>;
  order: Y.AbstractType<unknown>[];
  merged: Map<string, DerivedSuggestion>;
  /** Top-level blocks changed since the last reading; `list` when blocks came or went. */
  dirty: Set<Y.AbstractType<unknown>>;
  listChanged: boolean;
  /** The Office's bursts of direct typing still open, per block; audited when they close. */
  bursts: Map<Y.AbstractType<unknown>, Burst>;
  /** False until the first step after loading has audited the bursts an earlier process left open. */
  recovered: boolean;
  flushTimer: NodeJS.Timeout | null;
}

/** Words that differ only in spacing are the same words. */
export function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * An amendment that would leave the text as it is: the same words put back in place of themselves. Only a
 * replacement can be one: inserting or striking even a lone space joins or splits words.
 */
export function isNoOp(content: Pick<DerivedSuggestion, 'type' | 'originalText' | 'proposedText'>): boolean {
  if (content.type !== 'replace') return false;
  return normaliseSpace(content.originalText) === normaliseSpace(content.proposedText);
}

function ownerFromKey(ownerKey: string): { group: Group | null; memberState: string | null } {
  const { group, memberState } = parseOwnerKey(ownerKey);
  return { group, memberState };
}

/** The top-level block of the section that `type` belongs to; null for the section's fragment itself. */
function topBlock(type: Y.AbstractType<unknown>, root: Y.XmlFragment): Y.AbstractType<unknown> | null {
  let current = type;
  while (current._item && current._item.parent !== root) {
    const parent = current._item.parent;
    if (!(parent instanceof Y.AbstractType)) return null;
    current = parent;
  }
  return current._item ? current : null;
}

/**
 * Tells everyone in the document that an amendment was created or changed — except a draft, which
 * goes to its circle only (server/policies/drafts.ts): its group and the Office, a regional group's
 * member States and the Office, a delegation alone, the Office alone for its own; everyone when it is
 * everyone's. The rooms are the ones policies/realtime.ts lets each user join.
 */
export function announceAmendment(services: { events: LiveEvents }, amendment: Amendment): void {
  const payload = { amendment: presentAmendment(amendment) };
  if (amendment.status === 'draft') {
    const { documentId } = amendment;
    const circle = amendment.draftCircle ?? null;
    if (amendment.ownerKey === 'secretariat')
      services.events.toGroupOnly(documentId, null, ServerEvent.DraftChanged, payload);
    else if (circle === 'all') services.events.toDocument(documentId, ServerEvent.DraftChanged, payload);
    else if (circle === null) services.events.toGroup(documentId, amendment.group, ServerEvent.DraftChanged, payload);
    else if (parseOwnerKey(circle).kind === 'region')
      services.events.toGroup(documentId, circle, ServerEvent.DraftChanged, payload);
    else services.events.toGroupOnly(documentId, circle, ServerEvent.DraftChanged, payload);
    return;
  }
  services.events.toDocument(amendment.documentId, ServerEvent.AmendmentChanged, payload);
}

/** What the lifecycle needs of the running server; declared here so that it does not import the services it is one of. */
export interface LifecycleServices {
  clock: Clock;
  collab: CollabServer;
  events: LiveEvents;
}

export class AmendmentLifecycle implements RoomLifecycle {
  private readonly rooms = new WeakMap<Room, RoomState>();

  constructor(private readonly services: LifecycleServices) {}

  loaded(room: Room): void {
    const root = room.doc.getXmlFragment(SECTION_FRAGMENT);
    const state: RoomState = {
      root,
      readings: new Map(),
      order: [],
      merged: new Map(),
      dirty: new Set(),
      listChanged: true,
      bursts: new Map(),
      recovered: false,
      flushTimer: null,
    };
    this.refresh(state);
    room.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      for (const type of transaction.changed.keys()) {
        const block = topBlock(type as Y.AbstractType<unknown>, root);
        if (block) state.dirty.add(block);
        else state.listChanged = true;
      }
      // Another process recorded its own change: only the reading follows it here.
      if (transaction.origin === PEER) this.refresh(state);
    });
    this.rooms.set(room, state);
  }

  /** Re-reads the blocks changed since the last reading; returns the readings before. */
  private refresh(state: RoomState): Map<Y.AbstractType<unknown>, BlockReading> {
    const before = state.readings;
    if (!state.listChanged && state.dirty.size === 0) return before;
    const order = state.listChanged ? (state.root.toArray() as Y.AbstractType<unknown>[]) : state.order;
    const readings = new Map<Y.AbstractType<unknown>, BlockReading>();
    for (const block of order) {
      const known = before.get(block);
      readings.set(
        block,
        known && !state.dirty.has(block) ? known : readBlock(block as Y.XmlElement | Y.XmlText | Y.XmlHook),
      );
    }
    state.order = order;
    state.readings = readings;
    state.dirty.clear();
    state.listChanged = false;
    state.merged = mergeReadings(
      order.map((b) => readings.get(b) as BlockReading),
      '',
    );
    return before;
  }

  private stateOf(room: Room): RoomState {
    const state = this.rooms.get(room);
    if (!state) throw new Error(`room ${room.key} was not loaded through the lifecycle`);
    return state;
  }

  /** The amendments the section's text holds, with the section set. */
  derived(room: Room): Map<string, DerivedSuggestion> {
    const state = this.stateOf(room);
    this.refresh(state);
    return withSection(state.merged, room.sectionId);
  }

  async record(tx: StoreTransaction, room: Room, step: RoomStep): Promise<{ after: () => void; result: unknown }> {
    const state = this.stateOf(room);
    const previous = state.merged;
    const readingsBefore = this.refresh(state);
    const current = withSection(state.merged, room.sectionId);
    const command = step.command as CommandStep<unknown> | null;
    const claimed = new Set(command?.claimed ?? []);
    // A connection here or, on the owner, a client of another process (RemoteConnection).
    const connection = typeof step.origin === 'object' ? step.origin : null;
    const actor = connection?.user ?? command?.actor ?? null;
    const changed: Amendment[] = [];
    const corrections: Correction[] = [];
    const now = this.services.clock.now();
    await this.closeBursts(tx, room, state, false);

    if (state.merged !== previous) {
      const ids = new Set([...previous.keys(), ...state.merged.keys()]);
      for (const id of ids) {
        if (claimed.has(id)) continue;
        const before = previous.get(id);
        const after = current.get(id);
        if (before && after && sameContent({ ...before, sectionId: room.sectionId }, after)) continue;
        const amendment = await this.reconcileOne(tx, room, id, after ?? null, actor, connection !== null, now);
        if (amendment) changed.push(amendment);
      }
    }
    if (connection?.author.direct && step.update) {
      corrections.push(...(await this.recordCorrections(tx, room, state, readingsBefore, connection.user)));
    }
    const result = command ? await command.write(tx, current) : undefined;
    return {
      result,
      after: () => {
        for (const amendment of changed) announceAmendment(this.services, amendment);
        for (const correction of corrections) {
          this.services.events.toDocument(room.documentId, ServerEvent.CorrectionRecorded, { correction });
        }
      },
    };
  }

  /**
   * What a typed change means for one amendment: new words become a record (owned as the marks say,
   * authored by whoever typed them), changed words update it, an amendment whose words are all gone is
   * withdrawn, and one whose words came back is proposed again. Words that would change nothing (the
   * same words put back) make no record, and a record whose words became such is withdrawn.
   */
  private async reconcileOne(
    tx: StoreTransaction,
    room: Room,
    id: string,
    found: DerivedSuggestion | null,
    actor: UserRecord | null,
    typed: boolean,
    now: number,
  ): Promise<Amendment | null> {
    const record = await tx.amendments.get(id);
    if (record && (record.documentId !== room.documentId || record.sectionId !== room.sectionId)) return null;
    const via = typed ? 'collab' : 'system';
    const by = (fallback: Amendment) => ({
      byUserId: actor?.id ?? fallback.authorId,
      byName: actor?.name ?? fallback.authorName,
    });
    if (!found) {
      // Sub-amendments live outside the text: their absence from it withdraws nothing.
      if (record?.status !== 'proposed' || record.parentId !== null) return null;
      // Noted as typed: its own group may bring its words back (undo), which the guard allows only then.
      const withdrawn = await tx.amendments.setStatus(id, {
        status: 'withdrawn',
        ...by(record),
        at: now,
        note: 'typed',
      });
      if (withdrawn) await auditAmendment(tx.audit, now, actor, 'withdrawn', withdrawn, { via: 'typed' }, via);
      return withdrawn;
    }
    const noOp = isNoOp(found);
    if (!record) {
      if (noOp) return null;
      const author = actor && actor.id === found.author ? actor : await tx.findUserById(found.author);
      const owner = ownerFromKey(found.by);
      const created = await tx.amendments.create({
        id,
        documentId: room.documentId,
        sectionId: room.sectionId,
        paragraphs: found.paragraphs,
        type: found.type,
        originalText: found.originalText,
        proposedText: found.proposedText,
        authorId: author?.id ?? found.author,
        authorName: author?.name ?? 'Unknown author',
        ownerKey: found.by,
        group: author ? author.group : owner.group,
        memberState: author ? author.memberState : owner.memberState,
        rationale: '',
        status: 'proposed',
        createdAt: now,
        updatedAt: now,
      });
      await auditAmendment(tx.audit, now, actor ?? author, 'created', created, { via: 'typed' }, via);
      return created;
    }
    if (record.status === 'proposed') {
      if (noOp) {
        const withdrawn = await tx.amendments.setStatus(id, {
          status: 'withdrawn',
          ...by(record),
          at: now,
          note: 'no change',
        });
        if (withdrawn) {
          await auditAmendment(
            tx.audit,
            now,
            actor,
            'withdrawn',
            withdrawn,
            { via: 'typed', reason: 'no change' },
            via,
          );
        }
        return withdrawn;
      }
      if (sameContent(found, record)) return null;
      return tx.amendments.updateContent(id, found, now, record);
    }
    if (record.status === 'withdrawn' && record.parentId === null && !noOp) {
      // Its words are back (its author undid the deletion that withdrew it): it is proposed again.
      await tx.amendments.setStatus(id, { status: 'proposed', ...by(record), at: now });
      const reopened = await tx.amendments.updateContent(id, found, now);
      if (reopened) await auditAmendment(tx.audit, now, actor, 'reopened', reopened, { via: 'typed' }, via);
      return reopened;
    }
    return null;
  }

  /**
   * The Office's direct edits of official words: per block, compared before and after, one correction
   * per burst (same person, same block, within {@link CORRECTION_WINDOW_MS} of its first keystroke),
   * stored and kept up to date as the burst goes on. Its audit line is written when it closes, with
   * the burst's words before and after (see {@link closeBursts}).
   */
  private async recordCorrections(
    tx: StoreTransaction,
    room: Room,
    state: RoomState,
    before: Map<Y.AbstractType<unknown>, BlockReading>,
    user: UserRecord,
  ): Promise<Correction[]> {
    const out: Correction[] = [];
    const now = this.services.clock.now();
    for (const [block, reading] of state.readings) {
      const old = before.get(block);
      if (!old || old === reading || old.official === reading.official) continue;
      const burst = state.bursts.get(block);
      if (burst && burst.correction.byUserId === user.id) {
        burst.correction = await tx.corrections.save({ ...burst.correction, after: reading.official, at: now });
        out.push(burst.correction);
        continue;
      }
      // Another person's burst on this block ends where this one begins.
      if (burst) await this.closeBurst(tx, room, state, burst);
      const correction = await tx.corrections.save({
        id: randomUUID(),
        documentId: room.documentId,
        sectionId: room.sectionId,
        paragraph: reading.paragraph,
        before: old.official,
        after: reading.official,
        byUserId: user.id,
        byName: user.name,
        startedAt: now,
        at: now,
      });
      state.bursts.set(block, { correction, block });
      this.scheduleFlush(room, state);
      out.push(correction);
    }
    return out;
  }

  /**
   * Audits the bursts that are over (all of them with `all`, when the section is let go), and, in the
   * first step after loading, those an earlier process left unaudited.
   */
  private async closeBursts(tx: StoreTransaction, room: Room, state: RoomState, all: boolean): Promise<void> {
    if (!state.recovered) {
      state.recovered = true;
      const open = new Set([...state.bursts.values()].map((b) => b.correction.id));
      for (const correction of await tx.corrections.unaudited(room.documentId, room.sectionId)) {
        if (!open.has(correction.id)) await this.auditCorrection(tx, correction);
      }
    }
    if (state.bursts.size === 0) return;
    const now = this.services.clock.now();
    for (const burst of [...state.bursts.values()]) {
      if (all || now - burst.correction.startedAt >= CORRECTION_WINDOW_MS)
        await this.closeBurst(tx, room, state, burst);
    }
  }

  private async closeBurst(tx: StoreTransaction, _room: Room, state: RoomState, burst: Burst): Promise<void> {
    state.bursts.delete(burst.block);
    await this.auditCorrection(tx, burst.correction);
  }

  private async auditCorrection(tx: StoreTransaction, correction: Correction): Promise<void> {
    // Written straight, not through appendAudit: the step that closes a burst may run inside someone
    // else's HTTP request, whose address is not the Office's.
    await tx.audit.append({
      at: correction.at,
      userId: correction.byUserId,
      userName: correction.byName,
      role: 'secretariat',
      action: 'text.corrected',
      documentId: correction.documentId,
      targetType: 'correction',
      targetId: correction.id,
      targetRef: correction.paragraph === null ? null : String(correction.paragraph),
      details: {
        sectionId: correction.sectionId,
        paragraph: correction.paragraph,
        before: correction.before,
        after: correction.after,
        startedAt: correction.startedAt,
      },
      via: 'collab',
      ip: null,
      userAgent: null,
    });
    await tx.corrections.markAudited(correction.id);
  }

  /** Closes the section's bursts once their window is over, even if nobody types again. */
  private scheduleFlush(room: Room, state: RoomState): void {
    if (state.flushTimer) return;
    state.flushTimer = setTimeout(() => {
      state.flushTimer = null;
      if (room.broken || state.bursts.size === 0) return;
      void this.settle(room, false)
        .catch((err: unknown) => {
          if (!String(err).includes('database connection is not open'))
            console.warn(`corrections ${room.key}: ${String(err)}`);
        })
        .finally(() => {
          if (state.bursts.size > 0 && !room.broken) this.scheduleFlush(room, state);
        });
    }, CORRECTION_WINDOW_MS + 100);
    state.flushTimer.unref();
  }

  /** Audits the section's bursts that are over (all of them with `all`): a step of the room's queue. */
  settle(room: Room, all: boolean): Promise<void> {
    const state = this.rooms.get(room);
    if (!state || (state.bursts.size === 0 && state.recovered)) return Promise.resolve();
    if (all && state.flushTimer) {
      clearTimeout(state.flushTimer);
      state.flushTimer = null;
    }
    return room.exclusive(async () => {
      await room.commitServerChange(null, {
        actor: null,
        claimed: [],
        write: async (tx: StoreTransaction) => {
          if (all) await this.closeBursts(tx, room, state, true);
        },
      });
    });
  }

  /**
   * Runs `task` alone in the section's queue: what it reads of the records and the text stays true
   * until its commit. A text change that could not be stored is a 503, and nothing was changed.
   */
  inSection<T>(documentId: string, sectionId: string, task: (steps: SectionSteps) => Promise<T>): Promise<T> {
    return this.services.collab.withSectionDoc(documentId, sectionId, (room) =>
      room.exclusive(() =>
        task({
          room,
          derived: () => this.derived(room),
          commit: async <R>(change: ((doc: Y.Doc) => boolean) | null, command: CommandStep<R>): Promise<R> => {
            try {
              return (await room.commitServerChange(change, command)) as R;
            } catch (err) {
              if (err instanceof HttpError || !change || room.broken === false) throw err;
              throw new HttpError(
                503,
                'text_unavailable',
                'The text could not be changed just now, so nothing was recorded. Try again.',
              );
            }
          },
        }),
      ),
    );
  }
}

function withSection(map: Map<string, DerivedSuggestion>, sectionId: string): Map<string, DerivedSuggestion> {
  const out = new Map<string, DerivedSuggestion>();
  for (const [id, found] of map) out.set(id, { ...found, sectionId });
  return out;
}
