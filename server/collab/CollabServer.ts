import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../../shared/closeCodes.js';
import { COLLAB_PATH, MAX_COLLAB_MESSAGE_BYTES } from '../../shared/limits.js';
import { type Sessions, tokenOf } from '../auth/sessions.js';
import { canReadDocument } from '../policies/index.js';
import type { FanOut } from '../fanout/FanOut.js';
import type { Store } from '../storage/Store.js';
import { CollabConnection } from './CollabConnection.js';
import { EMPTY_AWARENESS_MESSAGE } from './protocol.js';
import { type RefusalListener, Refusals } from './refusals.js';
import { Room, type RoomOptions } from './Room.js';

export interface CollabServerOptions {
  fanOut: FanOut;
  onApplied?: RoomOptions['onApplied'];
  checkNewSuggestions?: RoomOptions['checkNewSuggestions'];
  unloadAfterMs: number;
  presenceFlushMs: number;
  compactAfterUpdates: number;
  /** Interval of websocket pings; a client that misses one is dropped. */
  heartbeatMs?: number;
  log?: (message: string) => void;
  /** Tells a user, on their live-event sockets, why an update of theirs was refused. */
  onRefused?: RefusalListener;
}

/**
 * The collaboration endpoint: the plain y-websocket protocol on `/collab/<documentId>/<sectionId>`,
 * so the stock `WebsocketProvider` works unmodified. Authentication, access, validation and persistence
 * happen here, before anything is applied or relayed.
 */
export class CollabServer {
  // ws drops frames past maxPayload with a bare 1009; up to 4× the limit we read them and close with
  // 4413 and a sentence the client can show.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_COLLAB_MESSAGE_BYTES });
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Shared by every room: a user's refusals count wherever they happen. */
  private readonly refusals: Refusals;

  constructor(
    private readonly store: Store,
    private readonly sessions: Sessions,
    private readonly options: CollabServerOptions,
  ) {
    this.refusals = new Refusals(options.log, Date.now, options.onRefused ?? null);
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 10_000);
    this.heartbeat.unref();
  }

  /** True when the upgrade request is for us. */
  handles(req: IncomingMessage): boolean {
    const path = (req.url ?? '').split('?')[0] ?? '';
    return path === COLLAB_PATH || path.startsWith(`${COLLAB_PATH}/`);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.accept(ws, req);
    });
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    // Hold messages that arrive while we authenticate and load, so that none is lost or reordered.
    const early: Uint8Array[] = [];
    let connection: CollabConnection | null = null;
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (connection) connection.handle(bytes);
      else early.push(bytes);
    });
    ws.on('error', () => ws.terminate());
    let closedEarly = false;
    ws.once('close', () => {
      closedEarly = true;
    });

    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = await this.sessions.authenticate(tokenOf(req, url));
    if (!auth) {
      ws.close(CloseCode.Unauthenticated, 'Your session has ended or is missing. Sign in again.');
      return;
    }
    const room = url.pathname.slice(COLLAB_PATH.length + 1).split('/');
    const [documentId, sectionId] = room;
    if (room.length !== 2 || !documentId || !sectionId) {
      ws.close(CloseCode.NotFound, 'Connect to /collab/<documentId>/<sectionId>.');
      return;
    }
    const section = await this.store.getSection(documentId, sectionId);
    if (!section) {
      ws.close(CloseCode.NotFound, `There is no section "${sectionId}" in document "${documentId}".`);
      return;
    }
    if (!canReadDocument(auth.user)) {
      ws.close(CloseCode.Forbidden, 'Your role does not give access to this document.');
      return;
    }
    let loaded: Room;
    try {
      loaded = await this.room(documentId, sectionId);
    } catch (err) {
      this.options.log?.(`failed to load ${documentId}/${sectionId}: ${String(err)}`);
      ws.close(CloseCode.ServerShutdown, 'The section could not be loaded. Retrying shortly.');
      return;
    }
    if (closedEarly || ws.readyState !== WebSocket.OPEN) {
      this.releaseIfIdle(loaded);
      return;
    }
    const conn = new CollabConnection(ws, auth.user, auth.tokenHash, loaded);
    if (loaded.unloadTimer) {
      clearTimeout(loaded.unloadTimer);
      loaded.unloadTimer = null;
    }
    loaded.connections.add(conn);
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('close', () => {
      loaded.connections.delete(conn);
      loaded.presence.remove(conn);
      this.releaseIfIdle(loaded);
    });
    connection = conn;
    loaded.greet(conn);
    for (const message of early) conn.handle(message);
  }

  /** The loaded room of a section, loading it once however many connections ask at the same time. */
  private async room(documentId: string, sectionId: string): Promise<Room> {
    const key = `${documentId}/${sectionId}`;
    const existing = this.rooms.get(key);
    if (existing) return existing;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const load = (async () => {
      const room = new Room(documentId, sectionId, this.store, {
        fanOut: this.options.fanOut,
        onApplied: this.options.onApplied,
        checkNewSuggestions: this.options.checkNewSuggestions,
        presenceFlushMs: this.options.presenceFlushMs,
        compactAfterUpdates: this.options.compactAfterUpdates,
        refusals: this.refusals,
        onError: (err, context) => this.options.log?.(`${key}: ${context} failed: ${String(err)}`),
      });
      await room.load();
      this.rooms.set(key, room);
      return room;
    })();
    this.loading.set(key, load);
    try {
      return await load;
    } finally {
      this.loading.delete(key);
    }
  }

  private releaseIfIdle(room: Room): void {
    if (room.connections.size > 0 || room.unloadTimer) return;
    room.unloadTimer = setTimeout(() => void this.unload(room), this.options.unloadAfterMs);
    room.unloadTimer.unref();
  }

  /** Stores what is pending, compacts, and lets the section go from memory. */
  private async unload(room: Room): Promise<void> {
    room.unloadTimer = null;
    if (room.connections.size > 0) return;
    const key = `${room.documentId}/${room.sectionId}`;
    // Taken out of the map first: a connection arriving now loads a fresh copy from the store, which
    // already holds every update this room accepted.
    if (this.rooms.get(key) === room) this.rooms.delete(key);
    await room.drain();
    await room.compact();
    room.destroy();
  }

  /** Pings every client; drops those that did not answer the last ping; keeps idle clients alive. */
  private beat(): void {
    const idleSince = Date.now() - 15_000;
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) {
        if (!conn.alive) {
          conn.ws.terminate();
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
        // The stock client reconnects when it has heard nothing for 30 s; an observer alone in a
        // section hears nothing, since its own presence is not relayed.
        if (conn.lastSentAt < idleSince) conn.send(EMPTY_AWARENESS_MESSAGE);
      }
    }
  }

  /** Closes every connection of a session (sign-out), telling the client why. */
  endSession(tokenHash: string): void {
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) {
        if (conn.tokenHash === tokenHash) conn.close(CloseCode.SessionEnded, 'You signed out.');
      }
    }
  }

  /** Loaded sections, for tests and monitoring. */
  loadedRooms(): string[] {
    return [...this.rooms.keys()];
  }

  getRoom(documentId: string, sectionId: string): Room | undefined {
    return this.rooms.get(`${documentId}/${sectionId}`);
  }

  /** Works with the live room of a section, loading it if needed (for the HTTP API and commands). */
  async withSectionDoc<T>(documentId: string, sectionId: string, use: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.room(documentId, sectionId);
    try {
      return await use(room);
    } finally {
      this.releaseIfIdle(room);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) conn.close(CloseCode.ServerShutdown, 'The server is restarting.');
    }
    await Promise.all([...this.rooms.values()].map((room) => room.drain()));
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    this.wss.close();
  }
}
