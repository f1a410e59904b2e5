import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MAX_AWARENESS_STATE_BYTES } from '../../shared/limits.js';
import { awarenessMessage } from './protocol.js';

/** The identity the server writes into every presence state, whatever the client claimed. */
export interface PresenceIdentity {
  id: string;
  name: string;
  role: string;
  group: string | null;
  memberState: string | null;
  color: string;
}

interface Entry {
  clock: number;
  /** JSON of the state as relayed, or null once the client left. */
  json: string | null;
  owner: PresenceOwner;
}

/** The side of a connection that presence needs: who it is and whether its presence is relayed. */
export interface PresenceOwner {
  readonly userId: string;
  readonly identity: PresenceIdentity;
  readonly relayPresence: boolean;
}

/** How many awareness client ids one connection may hold (one per Y.Doc; a few for safety). */
const MAX_CLIENT_IDS_PER_CONNECTION = 4;

/**
 * The presence (awareness) of one section, held and relayed by the server.
 *
 * Stock clients re-broadcast every state they receive, and renew their own every 15 s, so a server that
 * relays every frame to everyone does N² work. Here a connection may only speak for the client ids it
 * owns (echoes of others are dropped unread), its identity is overwritten by the server's, observers'
 * states are never relayed, and changes are gathered and sent as one frame per flush.
 */
export class Presence {
  /** Departed clients keep their entry (state null) so that their ids stay with their user. */
  private readonly entries = new Map<number, Entry>();
  /** Client ids each connection owns; ownership outlives the connection so no one can take it over. */
  private readonly owned = new Map<PresenceOwner, Set<number>>();
  private readonly dirty = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flushMs: number,
    private readonly broadcast: (message: Uint8Array) => void,
  ) {}

  /**
   * Applies an awareness update from a connection; returns false when it was malformed (the caller
   * closes the connection). Entries for client ids the connection does not own are skipped.
   */
  receive(owner: PresenceOwner, update: Uint8Array): boolean {
    try {
      const decoder = decoding.createDecoder(update);
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) {
        const clientId = decoding.readVarUint(decoder);
        const clock = decoding.readVarUint(decoder);
        // Read the state as bytes: an echo of someone else's state is skipped without decoding it.
        const raw = decoding.readVarUint8Array(decoder);
        if (!this.claim(owner, clientId)) continue;
        this.accept(owner, clientId, clock, raw);
      }
      return true;
    } catch {
      return false;
    }
  }

  private claim(owner: PresenceOwner, clientId: number): boolean {
    const existing = this.entries.get(clientId);
    if (existing && existing.owner !== owner) {
      // The same user reconnecting with the same Y.Doc takes its own id back; anyone else is refused.
      if (existing.owner.userId !== owner.userId || existing.json !== null) return false;
    }
    let ids = this.owned.get(owner);
    if (!ids) {
      ids = new Set();
      this.owned.set(owner, ids);
    }
    if (!ids.has(clientId)) {
      if (ids.size >= MAX_CLIENT_IDS_PER_CONNECTION) return false;
      ids.add(clientId);
    }
    return true;
  }

  private accept(owner: PresenceOwner, clientId: number, clock: number, raw: Uint8Array): void {
    const existing = this.entries.get(clientId);
    if (existing && existing.owner === owner && clock <= existing.clock) return;
    // A reconnecting client may come back with a clock others already saw as "left": relay it higher.
    const relayClock = existing && existing.owner !== owner && clock <= existing.clock ? existing.clock + 1 : clock;
    let json: string | null = null;
    if (raw.length > MAX_AWARENESS_STATE_BYTES) return;
    const text = new TextDecoder().decode(raw);
    if (text !== 'null') {
      let state: unknown;
      try {
        state = JSON.parse(text);
      } catch {
        return;
      }
      if (state === null || typeof state !== 'object' || Array.isArray(state)) return;
      json = JSON.stringify({ ...(state as Record<string, unknown>), user: owner.identity });
    }
    this.entries.set(clientId, { clock: relayClock, json, owner });
    if (owner.relayPresence) this.markDirty(clientId);
  }

  /** A connection left: its states become null for everyone, as the stock server does. */
  remove(owner: PresenceOwner): void {
    const ids = this.owned.get(owner);
    if (!ids) return;
    for (const clientId of ids) {
      const entry = this.entries.get(clientId);
      if (!entry || entry.owner !== owner || entry.json === null) continue;
      entry.clock += 1;
      entry.json = null;
      if (owner.relayPresence) this.markDirty(clientId);
    }
    this.owned.delete(owner);
  }

  /** Every relayed, live state: what a newly connected client must see at once. */
  snapshot(): Uint8Array | null {
    const ids: number[] = [];
    for (const [clientId, entry] of this.entries) {
      if (entry.json !== null && entry.owner.relayPresence) ids.push(clientId);
    }
    return ids.length > 0 ? this.encode(ids) : null;
  }

  /** The identities present (one per live client id), for presence lists. */
  identities(): PresenceIdentity[] {
    const seen = new Map<string, PresenceIdentity>();
    for (const entry of this.entries.values()) {
      if (entry.json !== null) seen.set(entry.owner.userId, entry.owner.identity);
    }
    return [...seen.values()];
  }

  private markDirty(clientId: number): void {
    this.dirty.add(clientId);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
  }

  /** Sends every pending change as one frame. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.broadcast(this.encode(ids));
  }

  private encode(clientIds: number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, clientIds.length);
    for (const clientId of clientIds) {
      const entry = this.entries.get(clientId);
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarUint(encoder, entry?.clock ?? 0);
      encoding.writeVarString(encoder, entry?.json ?? 'null');
    }
    return awarenessMessage(encoding.toUint8Array(encoder));
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
