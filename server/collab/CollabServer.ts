import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../../shared/closeCodes.js';
import { COLLAB_PATH, MAX_COLLAB_MESSAGE_BYTES } from '../../shared/limits.js';
import { type LiveSession, powersOf } from '../auth/powers.js';
import { type Authenticated, type Sessions, tokenOf } from '../auth/sessions.js';
import { FORBIDDEN_ORIGIN_MESSAGE, type OriginPolicy, originAllowed, usesAmbientCredentials } from '../http/origin.js';
import { canReadDocument } from '../policies/index.js';
import { LocalOwnership, type SectionOwnership } from '../cluster/SectionOwnership.js';
import type { FanOut } from '../fanout/FanOut.js';
import type { ClientAddressOf } from '../http/clientAddress.js';
import type { Store } from '../storage/Store.js';
import {
  AUTH_DEADLINE_MS,
  ConnectionSlots,
  ConnectRate,
  MAX_EARLY_BYTES,
  MAX_EARLY_MESSAGES,
  refuse,
  upgradedOn,
} from './admission.js';
import { CollabConnection } from './CollabConnection.js';
import type { CollabObserver } from './collabObserver.js';
import { EMPTY_AWARENESS_MESSAGE } from './protocol.js';
import { type RefusalListener, Refusals } from './refusals.js';
import { Room, type RoomOptions, type RoomRole } from './Room.js';
import { idempotencyScope } from '../storage/idempotencyScope.js';

/** Why a session's live connections end: its user signed out, or it expired or was revoked. */
export type SessionEnd = 'signedOut' | 'expired';

export interface CollabServerOptions {
  fanOut: FanOut;
  lifecycle?: RoomOptions['lifecycle'];
  checkNewSuggestions?: RoomOptions['checkNewSuggestions'];
  clock?: RoomOptions['clock'];
  unloadAfterMs: number;
  presenceFlushMs: number;
  compactAfterUpdates: number;
  /** Collaboration sockets one user may hold at once; 0: no limit. */
  maxConnectionsPerUser?: number;
  /** New sockets per second and in a burst from one address; rate 0: no limit. */
  connectRatePerIp?: number;
  connectBurstPerIp?: number;
  /** The client's address of an upgrade request (behind a trusted proxy, the one it forwards). */
  clientAddress?: ClientAddressOf;
  /** Interval of websocket pings; a client that misses one is dropped. */
  heartbeatMs?: number;
  log?: (message: string) => void;
  /** Metrics and connection logs (server/observability/). */
  observer?: CollabObserver;
  /** Tells a user, on their live-event sockets, why an update of theirs was refused. */
  onRefused?: RefusalListener;
  /** Who writes each section when several processes share the store; absent: this process writes all. */
  ownership?: SectionOwnership;
}

/** How often a replica checks that its owner still holds the lease (a dead owner's lapses within its TTL). */
const OWNER_WATCH_MS = 500;
/** How often an owner asks its clients (sync step 1) for what it may lack. */
const ASK_FOR_MISSING_MS = 10_000;

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
  /** Which page origins may connect with the session cookie (set by the app; unset: any). */
  originPolicy: OriginPolicy | null = null;
  /** Shared by every room: a user's refusals count wherever they happen. */
  private readonly refusals: Refusals;
  private readonly slots: ConnectionSlots;
  private readonly connectRate: ConnectRate;
  private readonly ownership: SectionOwnership;
  private readonly ownerWatch: NodeJS.Timeout | null = null;
  private lastAsked = performance.now();

  constructor(
    private readonly store: Store,
    private readonly sessions: Sessions,
    private readonly options: CollabServerOptions,
  ) {
    this.refusals = new Refusals(options.log, Date.now, options.onRefused ?? null);
    this.slots = new ConnectionSlots(options.maxConnectionsPerUser ?? 32);
    this.connectRate = new ConnectRate(options.connectRatePerIp ?? 20, options.connectBurstPerIp ?? 60);
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 10_000);
    this.heartbeat.unref();
    this.ownership = options.ownership ?? new LocalOwnership('local');
    if (this.ownership.shared) {
      this.ownerWatch = setInterval(() => void this.watchOwners(), OWNER_WATCH_MS);
      this.ownerWatch.unref();
    }
  }

  /**
   * Replicas whose owner no longer holds the lease (it died, stopped or let go) reload, so their clients
   * reconnect and one process takes the section. Every room asks its clients for what it may lack: the
   * fan-out keeps nothing, so a replica's forward or an owner's broadcast published while Redis was down
   * is lost, and a replica that resubscribed before the owner's link came back sees no gap to fetch.
   */
  private async watchOwners(): Promise<void> {
    const ask = performance.now() - this.lastAsked >= ASK_FOR_MISSING_MS;
    if (ask) this.lastAsked = performance.now();
    for (const room of [...this.rooms.values()]) {
      if (ask) void room.askForMissing();
      if (room.role === 'owner') continue;
      const owner = room.ownerProcess;
      if (owner === null) continue;
      try {
        const holder = await this.ownership.holder(room.documentId, room.sectionId);
        if (holder !== owner) room.stepDown(holder ? 'another process took it' : 'its owner let it go');
      } catch (err) {
        this.options.log?.(`${room.key}: owner watch failed: ${String(err)}`);
      }
    }
  }

  /** The owner lost its lease (renewal refused or too late): its room reloads, its clients reconnect. */
  ownershipLost(documentId: string, sectionId: string): void {
    const room = this.rooms.get(`${documentId}/${sectionId}`);
    if (room?.role === 'owner') room.stepDown('its lease was lost');
  }

  /** True when the upgrade request is for us. */
  handles(req: IncomingMessage): boolean {
    const path = (req.url ?? '').split('?')[0] ?? '';
    return path === COLLAB_PATH || path.startsWith(`${COLLAB_PATH}/`);
  }

  /**
   * Authenticates the upgrade request before any websocket exists: until the session is known nothing
   * is read from the socket (the stock client sends its token in the URL, browsers their cookie), so an
   * unauthenticated client cannot make the server buffer anything. Refusals still complete the
   * handshake, since a close code with a sentence is what clients understand, and then drop the socket.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    void this.admit(req, socket, head).catch((err: unknown) => {
      this.options.log?.(`collab upgrade failed: ${String(err)}`);
      socket.destroy();
    });
  }

  private async admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuseUpgrade = (code: number, reason: string) =>
      this.wss.handleUpgrade(req, socket, head, (ws) => refuse(upgradedOn(ws, socket), code, reason));
    const address = this.options.clientAddress?.(req) ?? req.socket.remoteAddress ?? '';
    if (!this.connectRate.take(address)) {
      refuseUpgrade(CloseCode.TooManyConnections, 'Too many connections from your address. Wait a moment.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Cross-site websocket hijacking: a foreign page's socket would carry the user's cookie.
    if (this.originPolicy && usesAmbientCredentials(req, url) && !originAllowed(req, this.originPolicy)) {
      refuseUpgrade(CloseCode.Forbidden, FORBIDDEN_ORIGIN_MESSAGE);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), AUTH_DEADLINE_MS);
    });
    const auth = await Promise.race([this.sessions.authenticate(tokenOf(req, url)), deadline]).finally(() =>
      clearTimeout(timer),
    );
    if (auth === 'late') {
      socket.destroy();
      return;
    }
    if (socket.destroyed) return;
    if (!auth) {
      refuseUpgrade(CloseCode.Unauthenticated, 'Your session has ended or is missing. Sign in again.');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgradedOn(ws, socket);
      // Taken here, where the socket exists and its close is sure to give the slot back.
      const release = this.slots.take(auth.user.id);
      if (!release) {
        refuse(ws, CloseCode.TooManyConnections, 'You have too many sections open at once. Close some tabs.');
        return;
      }
      ws.once('close', release);
      void this.accept(ws, url, auth);
    });
  }

  /** Open collaboration sockets of a user (tests and monitoring). */
  connectionsOf(userId: string): number {
    return this.slots.held(userId);
  }

  private async accept(ws: WebSocket, url: URL, auth: Authenticated): Promise<void> {
    // Hold messages that arrive while the room loads, so that none is lost or reordered — but only a
    // few: a client that floods before it is attached is dropped.
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let overflowed = false;
    let connection: CollabConnection | null = null;
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (connection) {
        connection.handle(bytes);
        return;
      }
      if (overflowed) return;
      earlyBytes += bytes.byteLength;
      early.push(bytes);
      if (early.length > MAX_EARLY_MESSAGES || earlyBytes > MAX_EARLY_BYTES) {
        overflowed = true;
        early.length = 0;
        refuse(ws, CloseCode.MessageTooLarge, 'Too much was sent before the section was ready.');
      }
    });
    ws.on('error', () => ws.terminate());
    let closedEarly = false;
    ws.once('close', () => {
      closedEarly = true;
    });

    const room = url.pathname.slice(COLLAB_PATH.length + 1).split('/');
    const [documentId, sectionId] = room;
    if (room.length !== 2 || !documentId || !sectionId) {
      refuse(ws, CloseCode.NotFound, 'Connect to /collab/<documentId>/<sectionId>.');
      return;
    }
    const section = await this.store.getSection(documentId, sectionId);
    if (!section) {
      refuse(ws, CloseCode.NotFound, `There is no section "${sectionId}" in document "${documentId}".`);
      return;
    }
    if (!canReadDocument(auth.user)) {
      refuse(ws, CloseCode.Forbidden, 'Your role does not give access to this document.');
      return;
    }
    let loaded: Room;
    try {
      loaded = await this.room(documentId, sectionId);
    } catch (err) {
      this.options.log?.(`failed to load ${documentId}/${sectionId}: ${String(err)}`);
      refuse(ws, CloseCode.ServerShutdown, 'The section could not be loaded. Retrying shortly.');
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
    this.options.observer?.connectionOpened(conn);
    ws.on('pong', () => {
      conn.alive = true;
    });
    conn.whenClosed((code) => {
      this.options.observer?.connectionClosed(conn, code);
      loaded.connections.delete(conn);
      loaded.presence.remove(conn);
      this.releaseIfIdle(loaded);
    });
    connection = conn;
    loaded.greet(conn);
    for (const message of early) conn.handle(message);
    early.length = 0;
  }

  /** The loaded room of a section, loading it once however many connections ask at the same time. */
  private async room(documentId: string, sectionId: string): Promise<Room> {
    const key = `${documentId}/${sectionId}`;
    const existing = this.rooms.get(key);
    if (existing) return existing;
    const pending = this.loading.get(key);
    if (pending) return pending;
    // Loading a section is not the effect of the command that happens to need it: the lease's take-over
    // transaction must not write that command's idempotency key (a replica would claim it, and the owner
    // the request is forwarded to would answer 409 idempotency_in_progress).
    const load = idempotencyScope.exit(async () => {
      let role: RoomRole | undefined;
      if (this.ownership.shared) {
        const { processId } = this.ownership;
        const acquired = await this.ownership.acquire(documentId, sectionId);
        if (!acquired.owner) role = { kind: 'replica', processId, owner: acquired.processId };
        else if (acquired.fence) {
          role = {
            kind: 'owner',
            processId,
            fence: acquired.fence,
            mayWrite: () => this.ownership.mayWrite(documentId, sectionId),
          };
        }
      }
      const room = new Room(documentId, sectionId, this.store, {
        role,
        fanOut: this.options.fanOut,
        lifecycle: this.options.lifecycle,
        onBroken: (broken) => this.dropBroken(broken),
        checkNewSuggestions: this.options.checkNewSuggestions,
        presenceFlushMs: this.options.presenceFlushMs,
        compactAfterUpdates: this.options.compactAfterUpdates,
        refusals: this.refusals,
        observer: this.options.observer,
        clock: this.options.clock,
        onError: (err, context) => this.options.log?.(`${key}: ${context} failed: ${String(err)}`),
      });
      try {
        await room.load();
      } catch (err) {
        // A room that failed to load must not keep its fan-out subscription nor, as owner, the lease:
        // renewed forever, the lease would send every other process's clients of the section here,
        // to a process that serves nothing of it.
        room.destroy();
        if (room.role === 'owner') await this.giveBackLease(room);
        throw err;
      }
      this.rooms.set(key, room);
      return room;
    });
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
    await this.settle(room);
    await room.drain();
    await room.compact();
    room.destroy();
    if (room.role === 'owner') await this.release(room);
  }

  /** Lets another process take the section at once rather than when the lease runs out. */
  private async release(room: Room): Promise<void> {
    // A fresh room of the same section may have taken the lease again meanwhile.
    if (this.rooms.has(room.key) || this.loading.has(room.key)) return;
    await this.giveBackLease(room);
  }

  /** Releases the room's lease now; a failure is logged, and the lease then runs out on its own. */
  private async giveBackLease(room: Room): Promise<void> {
    await this.ownership
      .release(room.documentId, room.sectionId)
      .catch((err: unknown) => this.options.log?.(`${room.key}: release failed: ${String(err)}`));
  }

  /**
   * A room whose document got ahead of the store (a step failed to commit): taken out at once, its
   * connections closed so that they reconnect to a fresh copy loaded from the store, which never held
   * the failed step.
   */
  private dropBroken(room: Room): void {
    const key = `${room.documentId}/${room.sectionId}`;
    if (this.rooms.get(key) === room) this.rooms.delete(key);
    for (const conn of room.connections) conn.close(CloseCode.ServerShutdown, 'The section is reloading.');
    void room.drain().finally(() => {
      room.destroy();
      if (room.role === 'owner') void this.release(room);
    });
  }

  private async settle(room: Room): Promise<void> {
    // A replica holds nothing of its own: the owner writes.
    if (room.broken || room.role === 'replica') return;
    try {
      await this.options.lifecycle?.settle(room, true);
    } catch (err) {
      this.options.log?.(`${room.key}: settling failed: ${String(err)}`);
    }
  }

  /** Pings every client; drops those that did not answer the last ping; keeps idle clients alive. */
  private beat(): void {
    const idleSince = performance.now() - 15_000;
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

  /** Closes every connection of a session (signed out, expired or revoked) with 4440, telling the client why. */
  endSession(tokenHash: string, why: SessionEnd = 'signedOut'): void {
    const reason = why === 'signedOut' ? 'You signed out.' : 'Your session has ended. Sign in again.';
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) {
        if (conn.tokenHash === tokenHash) conn.close(CloseCode.SessionEnded, reason);
      }
    }
  }

  /**
   * Closes the user's connections admitted with other powers than `powers` (4205, which the stock client
   * reconnects after): they come back admitted with the role, group and circles the user has now.
   */
  powersChanged(userId: string, powers: string): void {
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) {
        if (conn.userId === userId && powersOf(conn.user) !== powers) {
          conn.close(CloseCode.PowersChanged, 'Your role or group changed. Reconnecting with your new rights.');
        }
      }
    }
  }

  /** The sessions behind open connections, with the powers each connection was admitted with. */
  *liveSessions(): Iterable<LiveSession> {
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) {
        yield { tokenHash: conn.tokenHash, userId: conn.userId, powers: powersOf(conn.user) };
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
    if (this.ownerWatch) clearInterval(this.ownerWatch);
    // Stored first, so a client told 4503 knows that everything it sent until then is kept; the
    // second drain stores what arrived meanwhile.
    await Promise.all([...this.rooms.values()].map((room) => room.drain()));
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) conn.close(CloseCode.ServerShutdown, 'The server is restarting.');
    }
    await Promise.all([...this.rooms.values()].map((room) => this.settle(room)));
    await Promise.all([...this.rooms.values()].map((room) => room.drain()));
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
    this.wss.close();
    // Every lease let go: other processes take the sections now, not when the leases run out.
    await this.ownership.close();
  }
}
