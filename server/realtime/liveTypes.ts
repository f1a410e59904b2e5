import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/contract/events.js';
import type { UserRecord } from '../storage/Store.js';

/** What the server keeps on each socket.io connection. */
export interface SocketData {
  user: UserRecord;
  tokenHash: string;
  documents: Map<string, string | null>;
  /**
   * The section open in each joined document, mirrored as a plain object: with the Redis adapter the
   * presence list reads other processes' sockets, whose data crosses Redis as msgpack (a Map does not).
   */
  sections: Record<string, string | null>;
}

/** socket.io typed by the contract's event maps (shared/contract/events.ts). */
export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
