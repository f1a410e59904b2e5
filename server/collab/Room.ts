import * as Y from 'yjs';
import type { FanOut, FanOutMessage } from '../fanout/FanOut.js';
import type { Store } from '../storage/Store.js';
import { Gatekeeper, type NewSuggestionCheck } from './gatekeeper.js';
import { Presence } from './presence.js';
import { EMPTY_AWARENESS_MESSAGE, syncStep1Message, syncStep2Message, updateMessage } from './protocol.js';
import type { CollabConnection } from './CollabConnection.js';
import type { Refusals } from './refusals.js';

/** Origin of updates that came from another server process. */
const PEER = Symbol('peer');

/** Who made a change that was applied: a connection, the server itself, or another process. */
export type ChangeOrigin = CollabConnection | typeof SERVER;

/** Origin of changes the server makes itself (accepting an amendment, placing one by form). */
export const SERVER = Symbol('server');

/** A change the server tried to make would leave the section an invalid document. */
export class InvalidServerChange extends Error {}

export interface RoomOptions {
  fanOut: FanOut;
  /** Called in the room's queue after a change was stored and applied (not for peers' changes). */
  onApplied?: (room: Room, update: Uint8Array, origin: ChangeOrigin) => Promise<void> | void;
  presenceFlushMs: number;
  compactAfterUpdates: number;
  /** Judges new amendments typed in the text (the round's deadline); absent: all are taken. */
  checkNewSuggestions?: NewSuggestionCheck;
  /** Closes connections whose updates are refused, and counts them per user. */
  refusals: Refusals;
  onError: (err: unknown, context: string) => void;
}

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
  private updatesSinceCompaction = 0;
  private compacting = false;
  unloadTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private readonly gate: Gatekeeper;
  /**
   * The clientID of this room's own changes: one per room and process, so that two processes never
   * write under the same one, and bound to the server so that no client can write under it.
   */
  private readonly serverClientId = new Y.Doc().clientID;

  constructor(
    readonly documentId: string,
    readonly sectionId: string,
    private readonly store: Store,
    private readonly options: RoomOptions,
  ) {
    this.gate = new Gatekeeper(this.doc, store, documentId, sectionId, options.checkNewSuggestions);
    this.presence = new Presence(options.presenceFlushMs, (frame) => {
      this.sendToAll(frame);
      options.fanOut.publish(this.key, { kind: 'presence', frame });
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.relay(update, origin));
    this.unsubscribe = options.fanOut.subscribe(this.key, (message) => this.receiveFromPeer(message));
  }

  get key(): string {
    return `${this.documentId}/${this.sectionId}`;
  }

  /** What another process accepted (and stored) for this section: apply and relay, never store again. */
  private receiveFromPeer(message: FanOutMessage): void {
    if (message.kind === 'presence') this.sendToAll(message.frame);
    else {
      Y.applyUpdate(this.doc, message.update, PEER);
      this.gate.absorb(message.update);
    }
  }

  /** Loads the stored updates into the document. */
  async load(): Promise<void> {
    const updates = await this.store.loadUpdates(this.documentId, this.sectionId);
    Y.transact(
      this.doc,
      () => {
        for (const { update } of updates) Y.applyUpdate(this.doc, update);
      },
      'load',
    );
    this.lastSeq = updates.at(-1)?.seq ?? 0;
    this.updatesSinceCompaction = updates.length;
    await this.gate.load();
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
  submitUpdate(update: Uint8Array, origin: CollabConnection): Promise<void> {
    return this.enqueue(async () => {
      // Already refused: what it sent since builds on the refused update and would only be refused again.
      if (origin.isClosed) return;
      const { refusals } = this.options;
      const notice = { documentId: this.documentId, sectionId: this.sectionId };
      if (refusals.blocked(origin.userId)) {
        refusals.refuse(origin, { kind: 'rate', detail: 'over the refusal limit' }, this.key, notice);
        return;
      }
      const verdict = await this.gate.admit(update, origin.author);
      if (!verdict.ok) {
        refusals.refuse(origin, verdict, this.key, notice);
        return;
      }
      try {
        await this.storeAndApply(update, origin);
      } catch (err) {
        this.gate.invalidate();
        throw err;
      }
    }, 'store update');
  }

  private async storeAndApply(update: Uint8Array, origin: ChangeOrigin): Promise<void> {
    this.lastSeq = await this.store.appendUpdate(this.documentId, this.sectionId, update);
    this.updatesSinceCompaction++;
    // Already in the shadow: the guard applied it there to judge it (the server's own changes too).
    Y.applyUpdate(this.doc, update, origin);
    if (this.updatesSinceCompaction >= this.options.compactAfterUpdates) this.scheduleCompaction();
    await this.options.onApplied?.(this, update, origin);
  }

  /**
   * A change made by the server itself, in order with everything else: `change` edits a copy of the
   * document, and what it did is stored, applied and relayed like a client's update. `change` may
   * return false to make no change. Resolves with the update, or null when nothing changed; rejects with
   * InvalidServerChange, storing nothing, when the change would leave an invalid document.
   */
  submitServerChange(change: (doc: Y.Doc) => boolean | undefined): Promise<Uint8Array | null> {
    let result: Uint8Array | null = null;
    let invalid: InvalidServerChange | null = null;
    return this.enqueue(async () => {
      const copy = new Y.Doc({ gc: false });
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
      // Set after loading: Yjs gives a doc a fresh clientID when loaded content already uses its own.
      copy.clientID = this.serverClientId;
      const before = Y.encodeStateVector(copy);
      let changed: boolean | undefined;
      copy.transact(() => {
        changed = change(copy);
      });
      const update = Y.encodeStateAsUpdate(copy, before);
      copy.destroy();
      if (changed === false) return;
      await this.gate.bindServer(copy.clientID);
      const verdict = this.gate.admitServer(update);
      if (!verdict.ok) {
        // Thrown to the command that asked for it: the section keeps what it had.
        invalid = new InvalidServerChange(`${this.key}: the change would leave ${verdict.detail}`);
        this.options.onError(invalid, 'server change');
        return;
      }
      try {
        await this.storeAndApply(update, SERVER);
      } catch (err) {
        this.gate.invalidate();
        throw err;
      }
      result = update;
    }, 'server change').then(() => {
      if (invalid) throw invalid;
      return result;
    });
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
    if (origin !== PEER) this.options.fanOut.publish(this.key, { kind: 'update', update });
    const message = updateMessage(update);
    for (const connection of this.connections) {
      if (connection !== origin) connection.send(message);
    }
  }

  sendToAll(message: Uint8Array): void {
    for (const connection of this.connections) connection.send(message);
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
    return this.enqueue(async () => {
      if (this.lastSeq === 0 || this.updatesSinceCompaction <= 1) return;
      await this.store.compactUpdates(this.documentId, this.sectionId, Y.encodeStateAsUpdate(this.doc), this.lastSeq);
      this.updatesSinceCompaction = 1;
    }, 'compact');
  }

  destroy(): void {
    this.unsubscribe();
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.presence.destroy();
    this.gate.invalidate();
    this.doc.destroy();
  }
}
