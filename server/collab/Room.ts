import * as Y from 'yjs';
import { CloseCode } from '../../shared/closeCodes.js';
import type { Clock } from '../clock.js';
import { NotOwner } from '../cluster/notOwner.js';
import type { FanOut, FanOutMessage, ForwardMessage, LogPosition } from '../fanout/FanOut.js';
import type { Store, StoreTransaction } from '../storage/Store.js';
import { FencedOut, type SectionFence } from '../storage/sectionFence.js';
import { addsNothing } from './addsNothing.js';
import type { CollabConnection, UpdateSender } from './CollabConnection.js';
import type { CollabObserver } from './collabObserver.js';
import { Gatekeeper, type NewSuggestionCheck } from './gatekeeper.js';
import { Presence } from './presence.js';
import {
  decodeClientMessage,
  EMPTY_AWARENESS_MESSAGE,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from './protocol.js';
import { RemoteConnection } from './RemoteConnection.js';
import type { Refusals } from './refusals.js';

/** Close reason when a connection's update could not be stored (close code 4503: the client reconnects). */
export const STORE_FAILED_REASON = 'Your last change could not be saved (the store is busy). Reconnecting.';

/** Origin of updates that came from another server process. */
export const PEER = Symbol('peer');

const GROUP_COMMIT = { groupCommit: true } as const;

/** Who made a change that was applied: a connection, the server itself, or another process. */
export type ChangeOrigin = UpdateSender | typeof SERVER;

/** Origin of changes the server makes itself (accepting an amendment, placing one by form). */
export const SERVER = Symbol('server');

/** A change of the text about to be stored: the update and who made it, and what the server's own step adds. */
export interface RoomStep {
  update: Uint8Array | null;
  origin: ChangeOrigin;
  /** For a server change: what the command writes with it (opaque to the room, read by the lifecycle). */
  command: unknown;
}

/**
 * What a section's records make of its text (server/amendments/lifecycle.ts). `record` runs inside the
 * store transaction that stores the step, after the step reached the room's document and before it is
 * relayed: whatever it writes through `tx` stays only if the update does, and the other way round.
 * It returns what to do once the step is committed (live events).
 */
export interface RoomLifecycle {
  loaded(room: Room): void;
  /** Writes what the room still holds in memory (the Office's open bursts of typing) before it goes. */
  settle(room: Room, all: boolean): Promise<void>;
  record(tx: StoreTransaction, room: Room, step: RoomStep): Promise<{ after: () => void; result: unknown }>;
}

/** A change the server tried to make would leave the section an invalid document. */
export class InvalidServerChange extends Error {}

export interface RoomOptions {
  fanOut: FanOut;
  /** The records that follow the text; absent: the text alone is stored. */
  lifecycle?: RoomLifecycle;
  /** The room's document holds a change the store refused: the room must be dropped and reloaded. */
  onBroken?: (room: Room) => void;
  presenceFlushMs: number;
  compactAfterUpdates: number;
  /** Judges new amendments typed in the text (the round's deadline); absent: all are taken. */
  checkNewSuggestions?: NewSuggestionCheck;
  /** Closes connections whose updates are refused, and counts them per user. */
  refusals: Refusals;
  onError: (err: unknown, context: string) => void;
  observer?: CollabObserver;
  /** The server's injected clock, for the times the room records; absent: the real time. */
  clock?: Clock;
  /**
   * One writer per section across processes (issue 15): this room owns the section (it alone judges,
   * stores and relays, fenced at `fence`) or is a replica of `owner`'s. Absent: a single process that
   * writes every section itself, unfenced, as before.
   */
  role?: RoomRole;
}

/** What this process is to a section when several processes share the store. */
export type RoomRole =
  | { kind: 'owner'; processId: string; fence: SectionFence; mayWrite: () => boolean }
  | { kind: 'replica'; processId: string; owner: string };

/** The room's owner changed hands or could not write: its connections reconnect (4503) to a fresh room. */
export class OwnerChanged extends Error {}

/**
 * One loaded section: its Y.Doc, the connections on it, and its presence.
 *
 * Every change goes through one queue, in order: store first, then apply, then relay — so nothing
 * reaches a client before it is durable, and a sync reply never contains what a crash could lose.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly connections = new Set<CollabConnection>();
  readonly presence: Presence;
  private queue: Promise<void> = Promise.resolve();
  private lastSeq = 0;
  /** The stored rows this room's document holds (loaded or appended here): all compaction may delete. */
  private mergedSeqs: number[] = [];
  private updatesSinceCompaction = 0;
  private compacting = false;
  /** Relays of the step being committed: sent once it is stored, dropped if it is not. */
  private held: (() => void)[] | null = null;
  /** Set when the document holds a change that the store did not take: nothing more is accepted. */
  private brokenBy: unknown = null;
  unloadTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private readonly gate: Gatekeeper;
  /**
   * The clientID of this room's own changes: one per room and process, so that two processes never
   * write under the same one, and bound to the server so that no client can write under it.
   */
  private readonly serverClientId = new Y.Doc().clientID;
  /**
   * Owner: the section's head as this room last wrote it. Replica: the owner's epoch and the last row
   * applied here (gaps in `seq` are fetched from the store). Null without a role.
   */
  private position: SectionFence | null = null;
  /** Owner: clients of other processes whose messages were forwarded here, by connection id. */
  private readonly remotes = new Map<string, RemoteConnection>();
  /** Owner: forwarded messages wait here for their sender's user record, in order. */
  private forwards: Promise<void> = Promise.resolve();

  constructor(
    readonly documentId: string,
    readonly sectionId: string,
    private readonly store: Store,
    private readonly options: RoomOptions,
  ) {
    this.gate = new Gatekeeper(this.doc, store, documentId, sectionId, options.checkNewSuggestions, options.clock);
    this.presence = new Presence(options.presenceFlushMs, (frame) => {
      this.sendToAll(frame);
      options.fanOut.publish(this.key, { kind: 'presence', frame });
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.relay(update, origin));
    this.unsubscribe = options.fanOut.subscribe(
      this.key,
      (message) => this.receiveFromPeer(message),
      () => void this.catchUpFromStore(),
    );
  }

  get key(): string {
    return `${this.documentId}/${this.sectionId}`;
  }

  /** The process that owns the section, when another one does (this room is its replica). */
  get ownerProcess(): string | null {
    return this.options.role?.kind === 'replica' ? this.options.role.owner : null;
  }

  get role(): RoomRole['kind'] | null {
    return this.options.role?.kind ?? null;
  }

  /** What another process accepted (and stored) for this section: apply and relay, never store again. */
  private receiveFromPeer(message: FanOutMessage): void {
    const role = this.options.role;
    if (message.kind === 'rpc' || message.kind === 'roundChanged') return;
    if (message.kind === 'presence') this.sendToAll(message.frame);
    else if (message.kind === 'forward') {
      if (role?.kind === 'owner' && message.to === role.processId) this.receiveForward(message);
    } else if (message.kind === 'reply') {
      if (role?.kind !== 'replica' || message.to !== role.processId) return;
      for (const conn of this.connections) {
        if (`${role.processId}|${conn.id}` === message.connectionId) conn.close(message.code, message.reason);
      }
    } else if (role?.kind === 'owner') {
      // Only a newer owner publishes updates of this section: this room has lost it.
      if (message.position && message.position.epoch > role.fence.epoch) this.stepDown('another process owns it');
    } else if (role?.kind === 'replica') {
      const { update, position } = message;
      if (position) void this.enqueue(() => this.applyOwners(update, position), 'owner update');
    } else {
      // In the queue: a step of ours between its apply and its commit must not see a peer's change.
      void this.enqueue(() => {
        Y.applyUpdate(this.doc, message.update, PEER);
        this.gate.absorb(message.update);
      }, 'peer update');
    }
  }

  /**
   * The fan-out may have dropped peers' updates (its link to Redis was down): whatever the store holds
   * that this document lacks is applied and relayed, as a peer's update would have been.
   */
  private catchUpFromStore(): Promise<void> {
    if (this.options.role?.kind === 'owner') return Promise.resolve();
    if (this.options.role?.kind === 'replica') return this.enqueue(() => this.fetchMissing(), 'catch up after a gap');
    return this.enqueue(async () => {
      const stored = await this.store.loadUpdates(this.documentId, this.sectionId);
      if (stored.length === 0) return;
      const missing = Y.diffUpdate(Y.mergeUpdates(stored.map((u) => u.update)), Y.encodeStateVector(this.doc));
      Y.applyUpdate(this.doc, missing, PEER);
      this.gate.absorb(missing);
    }, 'catch up after a fan-out gap');
  }

  /**
   * Replica: applies the owner's update at `position` in order. An older or repeated one is skipped; one
   * past a gap first fetches the missing rows from the store (which hold it too); a newer epoch means
   * the section changed hands, and the room reloads.
   */
  private async applyOwners(update: Uint8Array, position: LogPosition): Promise<void> {
    const at = this.position;
    if (!at || this.brokenBy !== null) return;
    if (position.epoch > at.epoch) {
      this.stepDown('its owner changed');
      return;
    }
    if (position.seq <= at.seq) return;
    if (position.seq === at.seq + 1) {
      Y.applyUpdate(this.doc, update, PEER);
      at.seq = position.seq;
      return;
    }
    await this.fetchMissing();
  }

  /**
   * Replica: applies the rows the owner stored past the last one applied here. A row of a newer epoch
   * than the owner's this room follows was written by another owner: the section changed hands, and
   * the room reloads now rather than when the lease watch or the new owner's broadcast tells it.
   */
  private async fetchMissing(): Promise<void> {
    const at = this.position;
    if (!at || this.brokenBy !== null) return;
    const rows = await this.store.ownership.log(this.documentId, this.sectionId, at.seq);
    if (rows.length === 0 || this.brokenBy !== null) return;
    if (rows.some((r) => r.headEpoch !== null && r.headEpoch > at.epoch)) {
      this.stepDown('its owner changed');
      return;
    }
    Y.applyUpdate(this.doc, Y.mergeUpdates(rows.map((r) => r.update)), PEER);
    for (const r of rows) if (r.headSeq !== null && r.headSeq > at.seq) at.seq = r.headSeq;
  }

  /**
   * Owner: a client message another process forwarded. Judged exactly like a local connection's, as
   * the user that process authenticated; a refusal closes the client's socket over there.
   */
  private receiveForward(message: ForwardMessage): void {
    const decoded = decodeClientMessage(message.message);
    if (decoded.type !== 'syncStep2' && decoded.type !== 'update') return;
    this.forwards = this.forwards.then(async () => {
      let remote = this.remotes.get(message.connectionId);
      if (!remote) {
        const user = await this.store.findUserById(message.userId);
        if (!user) return;
        remote = new RemoteConnection(message.connectionId, user, (code, reason) => {
          const [to] = message.connectionId.split('|');
          this.options.fanOut.publish(this.key, {
            kind: 'reply',
            to: to ?? '',
            connectionId: message.connectionId,
            code,
            reason,
          });
        });
        this.remotes.set(message.connectionId, remote);
      }
      if (remote.isClosed) {
        remote.closeAgain();
        return;
      }
      if (!remote.canEdit) return;
      void this.submitUpdate(decoded.update, remote);
    });
  }

  /** This room may no longer stand for the section: it is dropped and its clients reconnect. */
  stepDown(why: string): void {
    if (this.brokenBy !== null) return;
    this.break(new OwnerChanged(`section ${this.key}: ${why}`));
  }

  /**
   * A sync step 1 to every client, so that each sends what the server lacks: on a replica, what its
   * clients sent that never reached the owner, which its sync reply forwards again (the owner stores
   * nothing twice). A replica first applies what the owner stored that it missed, so that its clients
   * are asked only for what is really missing.
   */
  async askForMissing(): Promise<void> {
    const role = this.options.role;
    if (!role || this.brokenBy !== null) return;
    if (role.kind === 'replica') await this.catchUpFromStore();
    if (this.brokenBy !== null) return;
    this.sendToAll(syncStep1Message(Y.encodeStateVector(this.doc)));
  }

  /** Loads the stored updates into the document. */
  async load(): Promise<void> {
    if (this.options.role) {
      await this.loadLog(this.options.role);
      return;
    }
    const updates = await this.store.loadUpdates(this.documentId, this.sectionId);
    Y.transact(
      this.doc,
      () => {
        for (const { update } of updates) Y.applyUpdate(this.doc, update);
      },
      'load',
    );
    this.lastSeq = updates.at(-1)?.seq ?? 0;
    this.mergedSeqs = updates.map((u) => u.seq);
    this.updatesSinceCompaction = updates.length;
    await this.gate.load();
    this.options.lifecycle?.loaded(this);
  }

  /**
   * With a role: the exact stored rows. The owner loads after taking over (the epoch already moved, so
   * nothing a former owner could still send commits); a replica starts from the rows it found.
   */
  private async loadLog(role: RoomRole): Promise<void> {
    const head = role.kind === 'owner' ? role.fence : await this.store.ownership.head(this.documentId, this.sectionId);
    const rows = await this.store.ownership.log(this.documentId, this.sectionId, 0);
    Y.transact(
      this.doc,
      () => {
        for (const { update } of rows) Y.applyUpdate(this.doc, update);
      },
      'load',
    );
    let seq = 0;
    for (const r of rows) if (r.headSeq !== null && r.headSeq > seq) seq = r.headSeq;
    this.position = role.kind === 'owner' ? { ...role.fence } : { epoch: head?.epoch ?? 0, seq };
    this.lastSeq = rows.at(-1)?.seq ?? 0;
    this.mergedSeqs = rows.map((r) => r.seq);
    this.updatesSinceCompaction = rows.length;
    await this.gate.load();
    this.options.lifecycle?.loaded(this);
  }

  /** True once the document holds a change the store refused (see {@link RoomOptions.onBroken}). */
  get broken(): boolean {
    return this.brokenBy !== null;
  }

  /**
   * Runs `task` alone in the room's queue and resolves with its result (or rejects with its error):
   * commands read, check and change a section's records and text here, one at a time, so that no
   * change of the text slips between their check and their write. Lives with the room, not in module
   * state, so that another implementation can hold it across processes (a lock per section).
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const owner = this.ownerProcess;
    if (owner !== null) return Promise.reject(new NotOwner(this.documentId, this.sectionId, owner));
    const run = this.queue.then(() => {
      if (this.brokenBy !== null) throw new Error(`section ${this.key} is reloading`);
      return task();
    });
    this.queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  /** Runs `task` after everything queued before it. A failure is reported and does not stall the queue. */
  private enqueue(task: () => Promise<void> | void, context: string): Promise<void> {
    const run = this.queue.then(task).catch((err: unknown) => this.options.onError(err, context));
    this.queue = run;
    return run;
  }

  /**
   * Judges, then stores, applies and relays a decoded update from `origin`. A refused update closes
   * the connection and leaves no trace: not stored, applied or relayed.
   */
  submitUpdate(update: Uint8Array, origin: UpdateSender): Promise<void> {
    const role = this.options.role;
    if (role?.kind === 'replica') {
      // The owner alone judges and stores; what it accepts comes back as its broadcast.
      if (!origin.isClosed && this.brokenBy === null) {
        this.options.fanOut.publish(this.key, {
          kind: 'forward',
          to: role.owner,
          connectionId: `${role.processId}|${origin.id}`,
          userId: origin.userId,
          message: updateMessage(update),
        });
      }
      return Promise.resolve();
    }
    return this.enqueue(async () => {
      // Already refused: what it sent since builds on the refused update and would only be refused again.
      if (origin.isClosed || this.brokenBy !== null) return;
      const { refusals, observer } = this.options;
      const notice = { documentId: this.documentId, sectionId: this.sectionId };
      if (refusals.blocked(origin.userId)) {
        observer?.updateRefused('rate');
        refusals.refuse(origin, { kind: 'rate', detail: 'over the refusal limit' }, this.key, notice);
        return;
      }
      // If judging fails in the store (a client binding could not be saved), the update is lost: the
      // shadow, which already holds it, is rebuilt without it, so what the sender built on it is refused
      // as 'dependencies'; its client reconnects and sends again what the server lacks.
      // Sent again (a reconnect's sync reply, a duplicated forward): nothing to judge or store.
      if (role && addsNothing(this.doc, update)) return;
      const checkStart = performance.now();
      let verdict: Awaited<ReturnType<Gatekeeper['admit']>>;
      try {
        verdict = await this.gate.admit(update, origin.author);
      } catch (err) {
        this.gate.invalidate();
        origin.close(CloseCode.ServerShutdown, STORE_FAILED_REASON);
        throw err;
      }
      observer?.updateChecked((performance.now() - checkStart) / 1000);
      if (!verdict.ok) {
        observer?.updateRefused(verdict.kind);
        refusals.refuse(origin, verdict, this.key, notice);
        return;
      }
      await this.commit({ update, origin, command: null });
    }, 'store update');
  }

  /**
   * One step, all or nothing: the update reaches the document (its relays held back), the lifecycle
   * writes what it means for the records, and the update with those writes is committed in one store
   * transaction. Only then is it relayed. If the store refuses, the document is ahead of the store:
   * the room breaks (its connections close and reconnect to a fresh copy) and the error is rethrown.
   */
  private async commit(step: RoomStep): Promise<unknown> {
    const { update, origin } = step;
    const held: (() => void)[] = [];
    if (update) {
      this.held = held;
      try {
        Y.applyUpdate(this.doc, update, origin);
      } finally {
        this.held = null;
      }
    }
    let outcome: { after: () => void; result: unknown } | undefined;
    let seq = 0;
    let head = null as SectionFence | null;
    const role = this.options.role;
    const storeStart = performance.now();
    try {
      // With other sections' steps arriving meanwhile, one commit for all (each still fails alone);
      // this resolves once it is committed, so nothing below relays what is not durable.
      outcome = await this.store.transaction(async (tx) => {
        if (update && role?.kind === 'owner') {
          // Past the lease's safe margin the owner stops; the fence catches one that paused after this.
          if (!role.mayWrite() || !this.position) throw new FencedOut(this.documentId, this.sectionId, role.fence);
          head = await tx.ownership.append(this.documentId, this.sectionId, this.position, update);
        } else if (update) seq = await tx.appendUpdate(this.documentId, this.sectionId, update);
        return this.options.lifecycle?.record(tx, this, step);
      }, GROUP_COMMIT);
    } catch (err) {
      // The sender is told its own change was lost; everyone else on the section only that it reloads.
      if (update && origin !== SERVER) origin.close(CloseCode.ServerShutdown, STORE_FAILED_REASON);
      if (update) this.break(err);
      else this.gate.invalidate();
      throw err;
    }
    if (update) {
      this.options.observer?.updateAccepted((performance.now() - storeStart) / 1000);
      if (head) {
        this.position = head;
      } else {
        this.lastSeq = seq;
        this.mergedSeqs.push(seq);
        this.updatesSinceCompaction++;
      }
      // Already in the shadow: the guard applied it there to judge it (the server's own changes too).
      for (const send of held) send();
      if (this.updatesSinceCompaction >= this.options.compactAfterUpdates) this.scheduleCompaction();
    }
    outcome?.after();
    return outcome?.result;
  }

  private break(err: unknown): void {
    this.brokenBy = err;
    this.gate.invalidate();
    this.options.onError(err, 'commit (the section reloads)');
    this.options.onBroken?.(this);
  }

  /**
   * A change made by the server itself, to be called inside {@link exclusive}: `change` edits a copy of
   * the document (or, null, nothing), and what it did is committed with what `command` writes (see
   * {@link RoomLifecycle}), then relayed like a client's update. `change` may return false to make no
   * change. Resolves with the lifecycle's result.
   */
  async commitServerChange(change: ((doc: Y.Doc) => boolean | undefined) | null, command: unknown): Promise<unknown> {
    if (this.brokenBy !== null) throw new Error(`section ${this.key} is reloading`);
    let update: Uint8Array | null = null;
    if (change) {
      const copy = new Y.Doc({ gc: false });
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
      // Set after loading: Yjs gives a doc a fresh clientID when loaded content already uses its own.
      copy.clientID = this.serverClientId;
      const before = Y.encodeStateVector(copy);
      let changed: boolean | undefined;
      try {
        copy.transact(() => {
          changed = change(copy);
        });
        if (changed !== false) update = Y.encodeStateAsUpdate(copy, before);
      } finally {
        copy.destroy();
      }
      if (update) {
        await this.gate.bindServer(this.serverClientId);
        const verdict = this.gate.admitServer(update);
        if (!verdict.ok) {
          // Thrown to the command that asked for it: the section keeps what it had.
          const invalid = new InvalidServerChange(`${this.key}: the change would leave ${verdict.detail}`);
          this.options.onError(invalid, 'server change');
          throw invalid;
        }
      }
    }
    return this.commit({ update, origin: SERVER, command });
  }

  /** Answers a client's sync step 1 once every earlier update is stored, then asks for its own state. */
  answerSync(connection: CollabConnection, stateVector: Uint8Array): Promise<void> {
    return this.enqueue(() => {
      connection.send(syncStep2Message(Y.encodeStateAsUpdate(this.doc, stateVector)));
    }, 'answer sync');
  }

  /** Greets a new connection: our state vector (so it sends what we lack) and who is here. */
  greet(connection: CollabConnection): void {
    connection.send(syncStep1Message(Y.encodeStateVector(this.doc)));
    const snapshot = this.presence.snapshot();
    connection.send(snapshot ?? EMPTY_AWARENESS_MESSAGE);
  }

  private relay(update: Uint8Array, origin: unknown): void {
    if (origin === 'load') return;
    if (this.held) {
      this.held.push(() => this.relay(update, origin));
      return;
    }
    if (origin !== PEER) {
      const position = this.options.role?.kind === 'owner' && this.position ? { ...this.position } : undefined;
      this.options.fanOut.publish(
        this.key,
        position ? { kind: 'update', update, position } : { kind: 'update', update },
      );
    }
    const relayStart = performance.now();
    const message = updateMessage(update);
    let fanOut = 0;
    for (const connection of this.connections) {
      if (connection === origin) continue;
      connection.send(message);
      fanOut++;
    }
    this.options.observer?.updateRelayed((performance.now() - relayStart) / 1000, fanOut);
  }

  sendToAll(message: Uint8Array): void {
    for (const connection of this.connections) connection.send(message);
  }

  /** A server change outside any command (tests, tools): queued, with no records of its own. */
  async submitServerChange(change: (doc: Y.Doc) => boolean | undefined): Promise<void> {
    await this.exclusive(() => this.commitServerChange(change, null));
  }

  /** Resolves once every queued change is stored. */
  drain(): Promise<void> {
    return this.enqueue(() => {}, 'drain');
  }

  private scheduleCompaction(): void {
    if (this.compacting) return;
    this.compacting = true;
    setImmediate(() => {
      void this.compact().finally(() => {
        this.compacting = false;
      });
    });
  }

  /** Replaces the stored updates by one, in the queue so that no update slips between. */
  compact(): Promise<void> {
    // With owners, the log's rows stay as the owner numbered them: replicas and the replay read them.
    if (this.options.role) return Promise.resolve();
    return this.enqueue(async () => {
      if (this.lastSeq === 0 || this.updatesSinceCompaction <= 1) return;
      const seqs = this.mergedSeqs;
      await this.store.compactUpdates(this.documentId, this.sectionId, Y.encodeStateAsUpdate(this.doc), seqs);
      this.mergedSeqs = [seqs.reduce((a, b) => Math.max(a, b))];
      this.updatesSinceCompaction = 1;
    }, 'compact');
  }

  destroy(): void {
    this.unsubscribe();
    this.remotes.clear();
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.presence.destroy();
    this.gate.invalidate();
    this.doc.destroy();
  }
}
