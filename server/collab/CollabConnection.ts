import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import { CloseCode } from '../../shared/closeCodes.js';
import { MAX_COLLAB_MESSAGE_BYTES } from '../../shared/limits.js';
import { colourOf } from '../../shared/roles.js';
import { canBroadcastPresence, canEditSection } from '../policies/index.js';
import { authorOf } from './author.js';
import type { UserRecord } from '../storage/Store.js';
import { refuse } from './admission.js';
import type { Presence, PresenceIdentity, PresenceOwner } from './presence.js';
import { decodeClientMessage } from './protocol.js';
import type { Author } from './suggestionGuard.js';
import { checkSectionUpdate } from './updateGuard.js';

/** A client whose outgoing buffer grows past this is too slow to follow; it is dropped and reconnects. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/**
 * How long a connection's updates wait for its first sync step 2 (see {@link CollabConnection.handle}).
 * A stock client sends it one round trip after opening; a client that never does is judged as before.
 */
export const SYNC_HOLD_MS = 1000;
/** Updates held at most while waiting for it: past this many they are judged at once. */
const MAX_HELD_UPDATES = 256;

/** Observers' edits dropped per connection before we stop counting: only for the log and tests. */
export interface ConnectionStats {
  droppedUpdates: number;
}

/**
 * What a connection needs of its section's room (server/collab/Room.ts). Declared here, not imported,
 * because the room holds its connections: the two modules would import each other.
 */
export interface ConnectionRoom {
  readonly key: string;
  readonly presence: Presence;
  answerSync(connection: CollabConnection, stateVector: Uint8Array): Promise<void>;
  submitUpdate(update: Uint8Array, origin: UpdateSender): Promise<void>;
}

/**
 * Whoever sends a section update for the room to judge: a websocket here, or a client of another
 * process whose message was forwarded to the owner (RemoteConnection).
 */
export interface UpdateSender {
  /** Unique among this process's connections: names the connection in forwards and replies. */
  readonly id: string;
  readonly user: UserRecord;
  readonly userId: string;
  readonly author: Author;
  readonly isClosed: boolean;
  close(code: number, reason: string): void;
}

/** One websocket on one section, for one authenticated user. */
export class CollabConnection implements PresenceOwner, UpdateSender {
  readonly id = randomUUID();
  readonly userId: string;
  readonly identity: PresenceIdentity;
  readonly relayPresence: boolean;
  readonly canEdit: boolean;
  /** Whose suggestions this connection writes, and whether it may change the official text. */
  readonly author: Author;
  readonly stats: ConnectionStats = { droppedUpdates: 0 };
  /** Monotonic (performance.now()): only compared with itself, for keepalive. */
  lastSentAt = performance.now();
  alive = true;
  private closed = false;
  private readonly closeListeners: ((code: number) => void)[] = [];
  /** Until the client's first sync step 2: its updates, in order (null once it came or the wait ended). */
  private held: Uint8Array[] | null = [];
  private holdTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly user: UserRecord,
    readonly tokenHash: string,
    readonly room: ConnectionRoom,
  ) {
    this.userId = user.id;
    this.identity = {
      id: user.id,
      name: user.name,
      role: user.role,
      group: user.group,
      memberState: user.memberState,
      color: colourOf(user),
    };
    this.relayPresence = canBroadcastPresence(user);
    this.canEdit = canEditSection(user);
    this.author = authorOf(user);
    ws.once('close', (code: number) => this.ended(code));
  }

  /**
   * Runs `listener` once, when the connection ends: at the server's own close (its socket lingers a
   * moment for the close frame to reach the client, and a closed connection must leave its room at
   * once), or when the client closes or the socket drops.
   */
  whenClosed(listener: (code: number) => void): void {
    this.closeListeners.push(listener);
  }

  private ended(code: number): void {
    this.closed = true;
    this.stopHolding();
    for (const listener of this.closeListeners.splice(0)) listener(code);
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.terminate();
      return;
    }
    this.lastSentAt = performance.now();
    this.ws.send(message, { binary: true });
  }

  /** Closes with a code and sentence, and reads nothing more from the client (see `refuse`). */
  close(code: number, reason: string): void {
    if (this.closed) return;
    refuse(this.ws, code, reason);
    this.ended(code);
  }

  /** Submits what was held, in order, and holds nothing from now on. */
  private releaseHeld(): void {
    const held = this.held ?? [];
    this.stopHolding();
    for (const update of held) void this.room.submitUpdate(update, this);
  }

  private stopHolding(): void {
    this.held = null;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Handles one message from the client. Never throws: a bad message closes the connection. */
  handle(data: Uint8Array): void {
    if (this.closed) return;
    if (data.length > MAX_COLLAB_MESSAGE_BYTES) {
      this.close(CloseCode.MessageTooLarge, 'This change is too large to send at once.');
      return;
    }
    const message = decodeClientMessage(data);
    switch (message.type) {
      case 'syncStep1':
        void this.room.answerSync(this, message.stateVector);
        return;
      case 'syncStep2':
      case 'update': {
        if (!this.canEdit) {
          // Read-only is the server's decision: an observer's update is dropped here, whatever its
          // client does, and never stored or relayed.
          this.stats.droppedUpdates++;
          return;
        }
        const verdict = checkSectionUpdate(message.update);
        if (!verdict.ok) {
          this.close(CloseCode.InvalidUpdate, verdict.reason);
          return;
        }
        // A client that reconnects with changes the server never stored (its process died, or the store
        // refused them) may type before it has answered the server's sync step 1: that update builds on
        // the unsent changes, which only its sync step 2 carries, and judged first it would be refused as
        // 'dependencies' and the client's words lost. So updates wait for the first step 2, which holds
        // all they hold (then they add nothing), or for SYNC_HOLD_MS; they are judged as always after.
        if (message.type === 'update' && this.held !== null) {
          if (!verdict.empty) this.held.push(message.update);
          if (this.held.length >= MAX_HELD_UPDATES) this.releaseHeld();
          else if (!this.holdTimer && this.held.length > 0) {
            this.holdTimer = setTimeout(() => this.releaseHeld(), SYNC_HOLD_MS);
            this.holdTimer.unref();
          }
          return;
        }
        if (!verdict.empty) void this.room.submitUpdate(message.update, this);
        if (message.type === 'syncStep2' && this.held !== null) this.releaseHeld();
        return;
      }
      case 'awareness':
        if (!this.room.presence.receive(this, message.update)) {
          this.close(CloseCode.InvalidUpdate, 'The presence message could not be decoded.');
        }
        return;
      case 'queryAwareness': {
        const snapshot = this.room.presence.snapshot();
        if (snapshot) this.send(snapshot);
        return;
      }
      case 'ignored':
        return;
      case 'invalid':
        this.close(CloseCode.InvalidUpdate, message.reason);
        return;
    }
  }
}
