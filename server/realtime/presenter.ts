import { whyCannotPresent } from '../policies/realtime.js';
import { type Clock, systemClock } from '../clock.js';
import type { LiveServer as Server, LiveSocket as Socket } from './liveTypes.js';
import {
  ClientEvent,
  PresenterPayload,
  PresenterPositionPayload,
  type PresenterState,
  ServerEvent,
} from '../../shared/events.js';
import { presentUser } from '../presenters/user.js';
import type { UserRecord } from '../storage/Store.js';
import { MemoryPresenterStore, type Presentation, type PresenterStore } from './presenterStore.js';

/**
 * "Follow the Office": a member of the Office presents a document; everyone in it may follow the
 * presenter's section, paragraph and selection (following and unfollowing are the client's choice).
 * One presenter per document, held in a {@link PresenterStore} (this process's memory, or Redis when
 * several processes serve the document); positions are relayed as volatile messages (a lost one is
 * superseded by the next), states reliably, and a late joiner gets the state on join.
 */

type Emit = (socket: Socket, message: string) => void;

export interface PresenterHub {
  /** Wires a connected socket's presenter events; `documents` is the set of documents it joined. */
  attach(socket: Socket, user: UserRecord, joined: (documentId: string) => boolean, fail: Emit): void;
  /** Sends the current presenter state of a document to one socket (on document:join). */
  greet(socket: Socket, documentId: string): Promise<void>;
  /** A socket leaves a document: if it presented it, the presentation ends. */
  leave(socket: Socket, documentId: string): Promise<void>;
}

export function createPresenterHub(
  io: Server,
  roomOf: (documentId: string) => string,
  presenting: PresenterStore = new MemoryPresenterStore(),
  onError: (err: unknown) => void = () => {},
  clock: Clock = systemClock,
): PresenterHub {
  /** Documents presented by a socket of this process: what its disconnect must end. */
  const presentedBy = new Map<string, Set<string>>();

  function stateOf(documentId: string, p: Presentation | null): PresenterState {
    return {
      documentId,
      presenter: p?.presenter ?? null,
      position: p?.position ?? null,
      since: p?.since ?? null,
    };
  }

  function broadcast(documentId: string, p: Presentation | null): void {
    io.to(roomOf(documentId)).emit(ServerEvent.PresenterState, stateOf(documentId, p));
  }

  async function stop(documentId: string, socketId: string): Promise<void> {
    presentedBy.get(socketId)?.delete(documentId);
    if (await presenting.stopIf(documentId, socketId)) broadcast(documentId, null);
  }

  return {
    async greet(socket, documentId) {
      let p: Presentation | null = null;
      try {
        p = await presenting.get(documentId);
      } catch (err) {
        // A late joiner without the state still works; the next change brings it.
        onError(err);
        return;
      }
      socket.emit(ServerEvent.PresenterState, stateOf(documentId, p));
    },

    attach(socket, user, joined, fail) {
      // One socket's presenter events in the order sent: a position right after a start finds it started.
      let queue: Promise<void> = Promise.resolve();
      const inOrder =
        (handler: (raw: unknown) => Promise<void> | void) =>
        (raw: unknown): void => {
          queue = queue
            .then(() => handler(raw))
            .catch((err: unknown) => {
              onError(err);
              fail(socket, 'Presenting is not available right now. Try again in a moment.');
            });
        };

      socket.on(
        ClientEvent.PresenterStart,
        inOrder(async (raw: unknown) => {
          const parsed = PresenterPayload.safeParse(raw);
          if (!parsed.success) return fail(socket, 'presenter:start needs { documentId }.');
          const refusal = whyCannotPresent(user);
          if (refusal) return fail(socket, refusal.reason);
          const { documentId } = parsed.data;
          if (!joined(documentId)) return fail(socket, 'Join the document before presenting it.');
          // Another member of the Office taking over is allowed: the Office speaks with one voice.
          const p: Presentation = {
            socketId: socket.id,
            presenter: presentUser(user),
            position: null,
            since: clock.now(),
          };
          await presenting.start(documentId, p);
          const mine = presentedBy.get(socket.id) ?? new Set<string>();
          mine.add(documentId);
          presentedBy.set(socket.id, mine);
          broadcast(documentId, p);
        }),
      );

      socket.on(
        ClientEvent.PresenterStop,
        inOrder(async (raw: unknown) => {
          const parsed = PresenterPayload.safeParse(raw);
          if (!parsed.success) return fail(socket, 'presenter:stop needs { documentId }.');
          await stop(parsed.data.documentId, socket.id);
        }),
      );

      socket.on(
        ClientEvent.PresenterPosition,
        inOrder(async (raw: unknown) => {
          const parsed = PresenterPositionPayload.safeParse(raw);
          if (!parsed.success) return;
          // Only the presenting socket moves the room; anything else is ignored quietly (it is volatile).
          if (!presentedBy.get(socket.id)?.has(parsed.data.documentId)) return;
          if (!(await presenting.moveIf(parsed.data.documentId, socket.id, parsed.data))) return;
          socket.volatile
            .to(roomOf(parsed.data.documentId))
            .emit(ServerEvent.PresenterPosition, { ...parsed.data, presenterId: user.id });
        }),
      );

      socket.on('disconnect', () => {
        const mine = [...(presentedBy.get(socket.id) ?? [])];
        presentedBy.delete(socket.id);
        for (const documentId of mine) stop(documentId, socket.id).catch(onError);
      });
    },

    leave(socket, documentId) {
      return stop(documentId, socket.id);
    },
  };
}
