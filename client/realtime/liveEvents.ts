import type { Socket } from 'socket.io-client';
import {
  type ClientToServerEvents,
  type ServerEventName,
  type ServerMessage,
  type ServerToClientEvents,
  serverEvents,
} from '../../shared/contract/events.js';
import { reportContractError } from '../api/contractErrors';

/** The app's socket.io connection, typed by the contract's event maps. */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Listens to a server event, each payload validated by its contract schema before `handler` sees it;
 * a payload that fails is reported (logged and shown), never half-drawn. Returns the unsubscribe.
 */
export function onLive<E extends ServerEventName>(
  socket: LiveSocket,
  event: E,
  handler: (message: ServerMessage<E>) => void,
): () => void {
  const schema = serverEvents[event];
  const listener = (raw: unknown) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const error = reportContractError(event, parsed.error.message);
      // In development a mismatch stops here, loudly; in production it is logged and shown (banner).
      if (import.meta.env.DEV) throw error;
      return;
    }
    handler(parsed.data as ServerMessage<E>);
  };
  // socket.io types each listener by the payload it trusts; this one trusts nothing and validates, so it
  // registers on the untyped view of the same socket (TypeScript cannot narrow the generic event here).
  const untyped = socket as unknown as Socket;
  const name: string = event;
  untyped.on(name, listener);
  return () => {
    untyped.off(name, listener);
  };
}
