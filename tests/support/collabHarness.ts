import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io as connect, type Socket } from 'socket.io-client';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { UserRecord } from '../../server/storage/Store.js';
import type { Amendment } from '../../shared/amendments.js';
import { serverEvents } from '../../shared/contract/events.js';
import { type CollabRefusedPayload, ServerEvent } from '../../shared/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { ownerKeyOf, type SuggestionAttrs } from '../../shared/suggestions.js';
import { expect } from 'vitest';
import { connectProvider, waitForSync } from './providers.js';
import type { TestServer } from './testServer.js';

/**
 * Collaboration harness (the integrity and red-team tests): hostile stock clients, a watcher barrier, and
 * snapshots of what must not change.
 */

export const attrsOf = (user: UserRecord, id: string): SuggestionAttrs => ({
  id,
  by: ownerKeyOf(user),
  author: user.id,
});

export const fragment = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT);
/** The numbered paragraph at block index `i` of the section (0 is the heading in the fixtures). */
export const block = (doc: Y.Doc, i: number) => fragment(doc).get(i) as Y.XmlElement;
/** The first Y.XmlText of the block at index `i`. */
export const textOf = (doc: Y.Doc, i: number) => (block(doc, i).get(0) as Y.XmlElement).get(0) as Y.XmlText;

export interface Client {
  user: UserRecord;
  token: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  closed: Promise<{ code: number; reason: string }>;
  refused: CollabRefusedPayload[];
  socket: Socket;
}

export function harness(getServer: () => TestServer, cleanups: (() => void)[]) {
  async function join(user: UserRecord, room: string, doc?: Y.Doc): Promise<Client> {
    const server = getServer();
    const token = await server.login(user);
    const socket = connect(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'] });
    const refused: CollabRefusedPayload[] = [];
    // Each refusal as the contract says it (shared/contract/events.ts), parsed strictly: no field outside it.
    socket.on(ServerEvent.UpdateRefused, (p: CollabRefusedPayload) => {
      expect(serverEvents[ServerEvent.UpdateRefused].parse(p)).toEqual(p);
      refused.push(p);
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const c = connectProvider(server.url, room, token, doc ? { doc } : {});
    cleanups.push(() => {
      c.provider.destroy();
      socket.disconnect();
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
        if (!event || event.code < 4000) return;
        c.provider.shouldConnect = false;
        resolve({ code: event.code, reason: event.reason });
      });
    });
    await waitForSync(c.provider);
    return { user, token, ...c, closed, refused, socket };
  }

  /** A sync round-trip on the client's socket: everything the server relayed before has arrived. */
  function barrier(client: Client): Promise<void> {
    const ws = client.provider.ws as unknown as {
      send(d: Uint8Array): void;
      addEventListener: WebSocket['addEventListener'];
      removeEventListener: WebSocket['removeEventListener'];
    };
    return new Promise((resolve) => {
      const onMessage = (event: MessageEvent) => {
        const decoder = decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer));
        if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 1) return;
        ws.removeEventListener('message', onMessage);
        resolve();
      };
      ws.addEventListener('message', onMessage);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep1(encoder, new Y.Doc());
      ws.send(encoding.toUint8Array(encoder));
    });
  }

  async function stored(documentId: string, sectionId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    for (const { update } of await getServer().store.loadUpdates(documentId, sectionId)) Y.applyUpdate(doc, update);
    return doc;
  }

  /**
   * Sends `change` from `liar` and reports whether the server refused it (closed the socket) or
   * accepted it (answered a later sync round-trip on the same socket without closing).
   */
  async function attempt(liar: Client, change: (doc: Y.Doc) => void): Promise<'refused' | 'accepted'> {
    change(liar.doc);
    return Promise.race([liar.closed.then(() => 'refused' as const), barrier(liar).then(() => 'accepted' as const)]);
  }

  async function snapshot(documentId: string, sectionId: string, watcher: Client) {
    const server = getServer();
    return {
      section: Y.encodeStateAsUpdate(await stored(documentId, sectionId)),
      records: (await server.store.amendments.list(documentId)) as Amendment[],
      audit: (await server.store.audit.all(documentId)).length,
      watcher: Y.encodeStateAsUpdate(watcher.doc),
    };
  }

  /** An HTTP call as `user` (bearer token); the body is JSON when it parses, the raw text otherwise. */
  async function api(user: UserRecord, method: string, path: string, body: unknown = {}) {
    const server = getServer();
    const token = await server.login(user);
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, body: json as Amendment & Record<string, unknown> };
  }

  return { join, barrier, stored, attempt, snapshot, api };
}
