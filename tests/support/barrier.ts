import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'socket.io-client';
import type WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import { ClientEvent, ServerEvent } from '../../shared/events.js';
import type { TestServer } from './testServer.js';

/**
 * Barriers: to prove that something did NOT happen, wait for a round trip that comes after it would
 * have happened, never for a fixed time. Each answer below is sent by the server after it has handled
 * everything the same socket sent before, and arrives after everything the server sent that socket
 * before — so when it resolves, an event that was coming has come.
 */

const MESSAGE_SYNC = 0;

/**
 * A sync round trip on a collaboration socket: sends a sync step 1 and waits for the step 2 answer. The
 * server answers it through the section's queue, after every update this socket sent before was judged,
 * stored and relayed (or refused), so on this socket the answer also follows any relay it was owed.
 */
export function collabBarrier(provider: WebsocketProvider, timeoutMs = 5000): Promise<void> {
  const open = provider.ws as unknown as WebSocket | null;
  if (!open || open.readyState !== open.OPEN) return Promise.reject(new Error('collabBarrier needs an open socket'));
  const ws = open;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage);
      reject(new Error('the server did not answer the sync barrier'));
    }, timeoutMs);
    function onMessage(data: Buffer | ArrayBuffer | Buffer[]): void {
      const bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : Array.isArray(data)
            ? new Uint8Array(Buffer.concat(data))
            : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const decoder = decoding.createDecoder(bytes);
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
      if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep2) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve();
    }
    ws.on('message', onMessage);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, provider.doc);
    ws.send(encoding.toUint8Array(encoder));
  });
}

/**
 * A round trip on a socket.io client that has joined `documentId`: joins it again and waits for the
 * presenter state the server greets every join with. Handlers run one after another per socket and
 * socket.io keeps a socket's order, so every event emitted to this socket before has arrived.
 */
export function socketBarrier(socket: Socket, documentId: string, timeoutMs = 5000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(ServerEvent.PresenterState, onState);
      reject(new Error('the server did not answer the socket.io barrier'));
    }, timeoutMs);
    function onState(state: { documentId?: string }): void {
      if (state.documentId !== documentId) return;
      clearTimeout(timer);
      socket.off(ServerEvent.PresenterState, onState);
      resolve();
    }
    socket.on(ServerEvent.PresenterState, onState);
    socket.emit(ClientEvent.JoinDocument, { documentId });
  });
}

/**
 * The section's queue, drained: every change already queued (typed updates, commands, the records that
 * follow them) is stored. For a non-event after an HTTP answer, where no socket of the test is open.
 */
export async function sectionBarrier(server: TestServer, documentId: string, sectionId: string): Promise<void> {
  await server.services.collab.withSectionDoc(documentId, sectionId, (room) => room.drain());
}
