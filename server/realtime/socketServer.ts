import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ServerEventName, ServerPayload } from '../../shared/contract/events.js';
import {
  ClientEvent,
  FocusPayload,
  JoinDocumentPayload,
  type PresenceEntry,
  ServerEvent,
} from '../../shared/events.js';
import { type LiveSession, powersOf } from '../auth/powers.js';
import { type Sessions, readCookie } from '../auth/sessions.js';
import { SESSION_COOKIE } from '../../shared/limits.js';
import { FORBIDDEN_ORIGIN_MESSAGE, type OriginPolicy, originAllowed } from '../http/origin.js';
import { canReadDocument } from '../policies/index.js';
import { liveRoomsOf } from '../policies/realtime.js';
import { presentUser } from '../presenters/user.js';
import type { Store, UserRecord } from '../storage/Store.js';
import type { LiveServer, LiveSocket, SocketData } from './liveTypes.js';
import { createPresenterHub } from './presenter.js';
import type { PresenterStore } from './presenterStore.js';
import type { Clock } from '../clock.js';

export type { LiveServer, LiveSocket, SocketData };

const PRESENCE_LIST_DELAY_MS = 100;

/** Room names: one per document, one per group within it (for group-only events later). */
export const documentRoom = (documentId: string) => `doc:${documentId}`;
export const groupRoom = (documentId: string, group: string) => `doc:${documentId}:group:${group}`;
/** The Office sees every group's private material: it has a room of its own in each document. */
export const officeRoom = (documentId: string) => `doc:${documentId}:office`;
/** Every socket of one user, whatever documents it joined: events about that user's own actions. */
export const userRoom = (userId: string) => `user:${userId}`;

/** How the rest of the server pushes live events; every payload is already filtered for its audience. */
export interface LiveEvents {
  /** To everyone in a document. */
  toDocument<E extends ServerEventName>(documentId: string, event: E, payload: ServerPayload<E>): void;
  /** To one group's members in a document and to the Office; `group` null: to the Office only. */
  toGroup<E extends ServerEventName>(
    documentId: string,
    group: string | null,
    event: E,
    payload: ServerPayload<E>,
  ): void;
  /** To one group's members only, not the Office (group drafts); `group` null: to the Office only. */
  toGroupOnly<E extends ServerEventName>(
    documentId: string,
    group: string | null,
    event: E,
    payload: ServerPayload<E>,
  ): void;
  /** To every socket of one user (a refusal of their collaboration update). */
  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>): void;
}

export interface SocketServerOptions {
  maxConnectionsPerUser: number;
  /** Where presenters are kept (Redis with several processes); default: this process's memory. */
  presenters?: PresenterStore;
  /** A shared store or the adapter failed: logged, the event is dropped. */
  onError?: (err: unknown, context: string) => void;
  /** The injected clock (presenter start times). */
  clock?: Clock;
}

/**
 * With the Redis adapter, `fetchSockets` (the presence list) publishes each socket's handshake to every
 * process through Redis, where anyone who can read Redis would find it. Once the session is
 * authenticated, nothing needs the credentials again, so the handshake keeps none: no `auth.token`, no
 * `?token=`, no `Cookie` or `Authorization` header. The headers are replaced by a copy, never edited:
 * the object is the HTTP request's own.
 */
function forgetCredentials(handshake: LiveSocket['handshake']): void {
  const { cookie: _cookie, authorization: _authorization, ...headers } = handshake.headers;
  handshake.headers = headers;
  handshake.auth = {};
  if (handshake.query && 'token' in handshake.query) {
    const { token: _token, ...query } = handshake.query;
    handshake.query = query;
  }
}

/**
 * socket.io carries the application's live events. Fan-out across processes is socket.io's adapter:
 * the in-memory one for one process, the Redis adapter (redisAdapter.ts) when REDIS_URL is set.
 */
export function createSocketServer(
  httpServer: HttpServer,
  sessions: Sessions,
  store: Store,
  originPolicy: OriginPolicy,
  limits: SocketServerOptions = { maxConnectionsPerUser: 16 },
) {
  const onError = limits.onError ?? (() => {});
  const io: LiveServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // Our upgrade router answers every other path; engine.io must not close those sockets itself.
    destroyUpgrade: false,
  });

  /** Connected sockets per user id. */
  const openPerUser = new Map<string, number>();

  io.use(async (socket, next) => {
    const handshakeToken = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    // Cross-site websocket hijacking: a foreign page's socket would carry the user's cookie.
    if (typeof handshakeToken !== 'string' && !originAllowed(socket.request, originPolicy)) {
      return next(Object.assign(new Error('forbidden_origin'), { data: { message: FORBIDDEN_ORIGIN_MESSAGE } }));
    }
    const token =
      typeof handshakeToken === 'string' ? handshakeToken : readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
    const auth = await sessions.authenticate(token);
    if (!auth) return next(new Error('unauthenticated'));
    const held = openPerUser.get(auth.user.id) ?? 0;
    if (limits.maxConnectionsPerUser > 0 && held >= limits.maxConnectionsPerUser) {
      const refused = new Error('too_many_connections') as Error & { data?: unknown };
      refused.data = { message: 'You have too many Concord tabs open at once. Close some tabs.' };
      return next(refused);
    }
    // Counted here, before the connection event, so that a burst of handshakes cannot pass the cap;
    // given back on disconnect, or if a later middleware refuses the socket (it then never connects).
    openPerUser.set(auth.user.id, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const now = (openPerUser.get(auth.user.id) ?? 1) - 1;
      if (now <= 0) openPerUser.delete(auth.user.id);
      else openPerUser.set(auth.user.id, now);
    };
    socket.once('disconnect', release);
    setTimeout(() => {
      if (!socket.connected) release();
    }, 10_000).unref();
    // socket.data crosses Redis when another process lists presence: no password hash in it.
    const user: UserRecord = { ...auth.user, passwordHash: '' };
    forgetCredentials(socket.handshake);
    // A null prototype: a document id is only a key here, never `__proto__`'s setter.
    const sections: Record<string, string | null> = Object.create(null);
    socket.data = { user, tokenHash: auth.tokenHash, documents: new Map(), sections } satisfies SocketData;
    next();
  });

  /** Everyone in a document, one entry per person, gathered from the sockets in its room. */
  async function presenceOf(documentId: string): Promise<PresenceEntry[]> {
    const sockets = await io.in(documentRoom(documentId)).fetchSockets();
    const people = new Map<string, PresenceEntry>();
    for (const s of sockets) {
      const { user, sections } = s.data as SocketData;
      // `sections` comes from another process's memory when the socket is there: read it defensively.
      const sectionId = (sections && Object.hasOwn(sections, documentId) ? sections[documentId] : null) ?? null;
      const entry = people.get(user.id);
      if (entry) {
        entry.connections++;
        entry.sectionId ??= sectionId;
      } else people.set(user.id, { ...presentUser(user), sectionId, connections: 1 });
    }
    return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  // A full list per change is O(people); gathering changes for 100 ms keeps a room of hundreds who
  // arrive at once from costing O(people²).
  const pending = new Map<string, NodeJS.Timeout>();
  function broadcastPresence(documentId: string): void {
    if (pending.has(documentId)) return;
    const timer = setTimeout(async () => {
      pending.delete(documentId);
      try {
        const people = await presenceOf(documentId);
        io.to(documentRoom(documentId)).emit(ServerEvent.Presence, { documentId, people });
      } catch (err) {
        // Another process did not answer in time (the Redis adapter asks them all): the next change retries.
        onError(err, 'presence list');
      }
    }, PRESENCE_LIST_DELAY_MS);
    pending.set(documentId, timer);
  }

  function fail(socket: LiveSocket, message: string): void {
    socket.emit(ServerEvent.Error, { error: 'bad_request', message });
  }

  const presenter = createPresenterHub(
    io,
    documentRoom,
    limits.presenters,
    (err) => onError(err, 'presenter'),
    limits.clock,
  );

  io.on('connection', (socket) => {
    const data = socket.data as SocketData;
    presenter.attach(socket, data.user, (documentId) => data.documents.has(documentId), fail);
    void socket.join(userRoom(data.user.id));
    // A socket's events are handled one after another: a focus sent right after a join must find the
    // join done, although the join waits for the store.
    let queue: Promise<void> = Promise.resolve();
    const inOrder =
      (handler: (raw: unknown) => Promise<void> | void) =>
      (raw: unknown): void => {
        queue = queue.then(() => handler(raw)).catch(() => fail(socket, 'The event could not be handled.'));
      };
    socket.on(
      ClientEvent.JoinDocument,
      inOrder(async (raw: unknown) => {
        const parsed = JoinDocumentPayload.safeParse(raw);
        if (!parsed.success) return fail(socket, 'document:join needs { documentId }.');
        const { documentId } = parsed.data;
        if (!canReadDocument(data.user) || !(await store.getDocument(documentId))) {
          return fail(socket, `There is no document "${documentId}".`);
        }
        data.documents.set(documentId, null);
        data.sections[documentId] = null;
        await socket.join(documentRoom(documentId));
        const rooms = liveRoomsOf(data.user);
        if (rooms.group) await socket.join(groupRoom(documentId, rooms.group));
        for (const circle of rooms.circles) await socket.join(groupRoom(documentId, circle));
        if (rooms.office) await socket.join(officeRoom(documentId));
        await presenter.greet(socket, documentId);
        broadcastPresence(documentId);
      }),
    );

    socket.on(
      ClientEvent.LeaveDocument,
      inOrder(async (raw: unknown) => {
        const parsed = JoinDocumentPayload.safeParse(raw);
        if (!parsed.success) return;
        const { documentId } = parsed.data;
        data.documents.delete(documentId);
        delete data.sections[documentId];
        await presenter.leave(socket, documentId);
        await socket.leave(documentRoom(documentId));
        if (data.user.group) await socket.leave(groupRoom(documentId, data.user.group));
        for (const circle of liveRoomsOf(data.user).circles) await socket.leave(groupRoom(documentId, circle));
        await socket.leave(officeRoom(documentId));
        broadcastPresence(documentId);
      }),
    );

    socket.on(
      ClientEvent.Focus,
      inOrder((raw: unknown) => {
        const parsed = FocusPayload.safeParse(raw);
        if (!parsed.success) return fail(socket, 'presence:focus needs { documentId, sectionId }.');
        const { documentId, sectionId } = parsed.data;
        if (!data.documents.has(documentId)) return;
        data.documents.set(documentId, sectionId);
        data.sections[documentId] = sectionId;
        broadcastPresence(documentId);
      }),
    );

    socket.on('disconnect', () => {
      for (const documentId of data.documents.keys()) broadcastPresence(documentId);
    });
  });

  // LiveEvents' signatures already pair each event with its payload; socket.io's emit cannot follow a
  // generic event name to its parameters, so the rooms are reached through the untyped view of `io`.
  const rooms = io as unknown as Server;
  const events: LiveEvents = {
    toDocument(documentId, event, payload) {
      rooms.to(documentRoom(documentId)).emit(event, payload);
    },
    toGroup(documentId, group, event, payload) {
      const targets = [officeRoom(documentId)];
      if (group) targets.push(groupRoom(documentId, group));
      rooms.to(targets).emit(event, payload);
    },
    toGroupOnly(documentId, group, event, payload) {
      rooms.to(group ? groupRoom(documentId, group) : officeRoom(documentId)).emit(event, payload);
    },
    toUser(userId, event, payload) {
      rooms.to(userRoom(userId)).emit(event, payload);
    },
  };

  return {
    io,
    events,
    close(): void {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
    /** Disconnects every socket of a session that signed out, expired or was revoked, telling it why. */
    endSession(tokenHash: string, why: 'signedOut' | 'expired' = 'signedOut'): void {
      const message = why === 'signedOut' ? 'You signed out.' : 'Your session has ended. Sign in again.';
      for (const socket of io.sockets.sockets.values()) {
        if ((socket.data as SocketData | undefined)?.tokenHash === tokenHash) {
          socket.emit(ServerEvent.SessionEnded, { error: 'session_ended', message });
          socket.disconnect(true);
        }
      }
    },
    /**
     * Drops the user's sockets admitted with other powers than `powers` at the transport, as a lost
     * connection: the client reconnects by itself, is admitted again and rejoins its documents, so its
     * rooms follow the role, group and circles the user has now.
     */
    powersChanged(userId: string, powers: string): void {
      for (const socket of io.sockets.sockets.values()) {
        const data = socket.data as SocketData | undefined;
        if (data?.user.id === userId && powersOf(data.user) !== powers) socket.conn.close();
      }
    },
    /** The sessions behind connected sockets, with the powers each socket was admitted with. */
    *liveSessions(): Iterable<LiveSession> {
      for (const socket of io.sockets.sockets.values()) {
        const data = socket.data as SocketData | undefined;
        if (data?.tokenHash) yield { tokenHash: data.tokenHash, userId: data.user.id, powers: powersOf(data.user) };
      }
    },
  };
}
