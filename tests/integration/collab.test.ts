import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/closeCodes.js';
import { MAX_COLLAB_MESSAGE_BYTES, SECTION_FRAGMENT } from '../../shared/limits.js';
import { collabBarrier } from '../support/barrier.js';
import { connectProvider, nextClose, typeInto, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const ROOM = 'gb-999-test-1/part-1';

function textOf(doc: Y.Doc): string {
  return doc.getXmlFragment(SECTION_FRAGMENT).toString();
}

describe('collaboration server', () => {
  let server: TestServer;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  async function client(role: 'delegate' | 'observer' | 'secretariat', room = ROOM) {
    const user = await buildUser(server.store, { role, group: role === 'delegate' ? 'workers' : null });
    const token = await server.login(user);
    const c = connectProvider(server.url, room, token);
    cleanups.push(() => c.provider.destroy());
    return { ...c, user, token };
  }

  it('serves the stored section to a stock y-websocket client', async () => {
    const a = await client('delegate');
    await waitForSync(a.provider);
    expect(textOf(a.doc)).toContain('Premier paragraphe du texte.');
  });

  it('makes two stock clients converge', async () => {
    // Both write the official text directly, which only the Office may do (delegates only suggest).
    const a = await client('secretariat');
    const b = await client('secretariat');
    await Promise.all([waitForSync(a.provider), waitForSync(b.provider)]);
    typeInto(a.doc, ' Ajout A.');
    typeInto(b.doc, ' Ajout B.');
    await eventually(() => {
      expect(textOf(a.doc)).toContain('Ajout A.');
      expect(textOf(a.doc)).toContain('Ajout B.');
      expect(textOf(b.doc)).toEqual(textOf(a.doc));
    });
  });

  it('drops an observer update: never applied, relayed or stored', async () => {
    const writer = await client('secretariat');
    const observer = await client('observer');
    await Promise.all([waitForSync(writer.provider), waitForSync(observer.provider)]);
    typeInto(observer.doc, ' FORCED BY OBSERVER');
    // A later edit by a writer proves the relay is flowing; the observer's text must not have come with it.
    typeInto(writer.doc, ' ECRIT.');
    await eventually(() => expect(textOf(observer.doc)).toContain('ECRIT.'));
    await collabBarrier(observer.provider);
    await collabBarrier(writer.provider);
    expect(textOf(writer.doc)).not.toContain('FORCED');
    const room = server.services.collab.getRoom('gb-999-test-1', 'part-1');
    expect(room && textOf(room.doc)).not.toContain('FORCED');
    const stored = new Y.Doc();
    for (const { update } of await server.store.loadUpdates('gb-999-test-1', 'part-1')) Y.applyUpdate(stored, update);
    expect(textOf(stored)).not.toContain('FORCED');
    expect(textOf(stored)).toContain('ECRIT.');
  });

  it('refuses an unauthenticated connection with a clear close code', async () => {
    const anonymous = connectProvider(server.url, ROOM, null);
    cleanups.push(() => anonymous.provider.destroy());
    const close = await nextClose(anonymous.provider);
    expect(close.code).toBe(CloseCode.Unauthenticated);
    expect(close.reason).toMatch(/sign in/i);
  });

  it('refuses a bad token and an unknown section', async () => {
    const forged = connectProvider(server.url, ROOM, 'not-a-real-token');
    cleanups.push(() => forged.provider.destroy());
    expect((await nextClose(forged.provider)).code).toBe(CloseCode.Unauthenticated);
    const user = await buildUser(server.store);
    const token = await server.login(user);
    const lost = connectProvider(server.url, 'gb-999-test-1/output-9-9', token);
    cleanups.push(() => lost.provider.destroy());
    const close = await nextClose(lost.provider);
    expect(close.code).toBe(CloseCode.NotFound);
    expect(close.reason).toContain('output-9-9');
  });

  it('refuses an update that creates another top-level type, and applies none of it', async () => {
    const a = await client('delegate');
    const b = await client('delegate');
    await Promise.all([waitForSync(a.provider), waitForSync(b.provider)]);
    const closed = nextClose(a.provider);
    a.doc.transact(() => {
      a.doc.getMap('evil').set('x', 1);
      typeInto(a.doc, ' SMUGGLED');
    });
    expect((await closed).code).toBe(CloseCode.InvalidUpdate);
    await collabBarrier(b.provider);
    expect(textOf(b.doc)).not.toContain('SMUGGLED');
    const room = server.services.collab.getRoom('gb-999-test-1', 'part-1');
    expect(room?.doc.share.has('evil')).toBe(false);
  });
});

describe('message size', () => {
  it('closes a connection that sends more than the documented limit, with 4413 and a reason', async () => {
    const server = await startTestServer();
    try {
      const user = await buildUser(server.store, { role: 'secretariat', group: null });
      const c = connectProvider(server.url, ROOM, await server.login(user));
      await waitForSync(c.provider);
      const closed = nextClose(c.provider);
      const big = new Uint8Array(MAX_COLLAB_MESSAGE_BYTES + 1024);
      big[0] = 0; // a sync message, far too large
      c.provider.ws?.send(big);
      const close = await closed;
      expect(close.code).toBe(CloseCode.MessageTooLarge);
      expect(close.reason).toMatch(/too large/i);
      c.provider.destroy();
    } finally {
      await server.stop();
    }
  });
});
