import type { LiveServer as Server, LiveSocket as Socket } from './liveTypes.js';
import {
  ClientEvent,
  PresenterPayload,
  type PresenterPosition,
  PresenterPositionPayload,
  type PresenterState,
  ServerEvent,
} from '../../shared/events.js';
import { presentUser } from '../presenters/user.js';
import type { UserRecord } from '../storage/Store.js';

/**
 * "Follow the Office": a member of the Office presents a document; everyone in it may follow the
 * presenter's section, paragraph and selection (following and unfollowing are the client's choice).
 * One presenter per document, held in this process; positions are relayed as volatile messages (a
 * lost one is superseded by the next), states reliably, and a late joiner gets the state on join.
 */

interface Presenting {
  socketId: string;
  user: UserRecord;
  position: PresenterPosition | null;
  since: number;
}

type Emit = (socket: Socket, message: string) => void;

export interface PresenterHub {
  /** Wires a connected socket's presenter events; `documents` is the set of documents it joined. */
  attach(socket: Socket, user: UserRecord, joined: (documentId: string) => boolean, fail: Emit): void;
  /** Sends the current presenter state of a document to one socket (on document:join). */
  greet(socket: Socket, documentId: string): void;
  /** A socket leaves a document: if it presented it, the presentation ends. */
  leave(socket: Socket, documentId: string): void;
}

export function createPresenterHub(io: Server, roomOf: (documentId: string) => string): PresenterHub {
  const presenting = new Map<string, Presenting>();

  function stateOf(documentId: string): PresenterState {
    const p = presenting.get(documentId);
    return {
      documentId,
      presenter: p ? presentUser(p.user) : null,
      position: p?.position ?? null,
      since: p?.since ?? null,
    };
  }

  function broadcast(documentId: string): void {
    io.to(roomOf(documentId)).emit(ServerEvent.PresenterState, stateOf(documentId));
  }

  function stop(documentId: string, socketId: string): void {
    if (presenting.get(documentId)?.socketId !== socketId) return;
    presenting.delete(documentId);
    broadcast(documentId);
  }

  return {
    greet(socket, documentId) {
      socket.emit(ServerEvent.PresenterState, stateOf(documentId));
    },

    attach(socket, user, joined, fail) {
      socket.on(ClientEvent.PresenterStart, (raw: unknown) => {
        const parsed = PresenterPayload.safeParse(raw);
        if (!parsed.success) return fail(socket, 'presenter:start needs { documentId }.');
        if (user.role !== 'secretariat') return fail(socket, 'Only the Office can present.');
        const { documentId } = parsed.data;
        if (!joined(documentId)) return fail(socket, 'Join the document before presenting it.');
        // Another member of the Office taking over is allowed: the Office speaks with one voice.
        presenting.set(documentId, { socketId: socket.id, user, position: null, since: Date.now() });
        broadcast(documentId);
      });

      socket.on(ClientEvent.PresenterStop, (raw: unknown) => {
        const parsed = PresenterPayload.safeParse(raw);
        if (!parsed.success) return fail(socket, 'presenter:stop needs { documentId }.');
        stop(parsed.data.documentId, socket.id);
      });

      socket.on(ClientEvent.PresenterPosition, (raw: unknown) => {
        const parsed = PresenterPositionPayload.safeParse(raw);
        if (!parsed.success) return;
        const p = presenting.get(parsed.data.documentId);
        // Only the presenting socket moves the room; anything else is ignored quietly (it is volatile).
        if (!p || p.socketId !== socket.id) return;
        p.position = parsed.data;
        socket.volatile
          .to(roomOf(parsed.data.documentId))
          .emit(ServerEvent.PresenterPosition, { ...parsed.data, presenterId: user.id });
      });

      socket.on('disconnect', () => {
        for (const [documentId, p] of presenting) if (p.socketId === socket.id) stop(documentId, socket.id);
      });
    },

    leave(socket, documentId) {
      stop(documentId, socket.id);
    },
  };
}
