import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { freePort, loginTo, spawnServer } from '../support/childServer.js';
import { buildDocument } from '../support/fixtures.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { buildUser, eventually, startTestServer } from '../support/testServer.js';

const ROOM = 'gb-999-test-1/part-1';
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});



/** A fresh client's view of a section: its whole state, encoded. */
async function snapshotOf(url: string, token: string, room = ROOM): Promise<{ state: Uint8Array; xml: string }> {
  const c = connectProvider(url, room, token);
  await waitForSync(c.provider);
  const result = { state: Y.encodeStateAsUpdate(c.doc), xml: c.doc.getXmlFragment(SECTION_FRAGMENT).toString() };
  c.provider.destroy();
  return result;
}

describe('durability', () => {
  it('keeps every section byte-for-byte across a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await startTestServer({ dataDir });
    // The Office: the only role that may type into the official text directly.
    const user = await buildUser(first.store, { username: 'writer', role: 'secretariat' });
    let token = await first.login(user);
    const a = connectProvider(first.url, ROOM, token);
    await waitForSync(a.provider);
    for (let i = 0; i < 50; i++) typeInto(a.doc, ` mot${i}`);
    const other = connectProvider(first.url, 'gb-999-test-1/decision', token);
    await waitForSync(other.provider);
    typeInto(other.doc, ' DÉCISION MODIFIÉE');
    const expected = Y.encodeStateAsUpdate(a.doc);
    const room = first.services.collab.getRoom('gb-999-test-1', 'part-1');
    await eventually(() => expect(Y.encodeStateAsUpdate(room?.doc ?? new Y.Doc())).toEqual(expected));
    const decisionBefore = await snapshotOf(first.url, token, 'gb-999-test-1/decision');
    a.provider.destroy();
    other.provider.destroy();
    await first.stop({ keepData: true });

    const second = await startTestServer({ dataDir });
    token = await second.login(user);
    const after = await snapshotOf(second.url, token);
    expect(after.state).toEqual(expected);
    expect(after.xml).toContain('mot49');
    const decisionAfter = await snapshotOf(second.url, token, 'gb-999-test-1/decision');
    expect(decisionAfter.state).toEqual(decisionBefore.state);
    await second.stop();
  });

  it('loses nothing that was relayed when the server is killed with SIGKILL', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-kill-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    await importDocument(store, buildDocument());
    await buildUser(store, { username: 'writer', role: 'secretariat' });
    await buildUser(store, { username: 'reader' });
    await store.close();

    const port = await freePort();
    const first = await spawnServer(dataDir, port);
    cleanups.push(() => first.child.kill('SIGKILL'));
    const writer = connectProvider(first.url, ROOM, await loginTo(first.url, 'writer'));
    const reader = connectProvider(first.url, ROOM, await loginTo(first.url, 'reader'));
    cleanups.push(() => writer.provider.destroy(), () => reader.provider.destroy());
    await Promise.all([waitForSync(writer.provider), waitForSync(reader.provider)]);
    for (let i = 0; i < 20; i++) typeInto(writer.doc, ` relayé${i}`);
    // The moment the reader has received the last edit from the server, kill the server.
    await eventually(() => expect(reader.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('relayé19'), 5000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    writer.provider.destroy();
    reader.provider.destroy();

    const second = await spawnServer(dataDir, port);
    cleanups.push(() => second.child.kill('SIGKILL'));
    const after = await snapshotOf(second.url, await loginTo(second.url, 'reader'));
    for (let i = 0; i < 20; i++) expect(after.xml).toContain(`relayé${i}`);
    // Two child servers start under tsx: on a loaded 2-core machine that alone can take half a minute.
  }, 90_000);

  it('unloads an idle section from memory after storing it, and reloads it intact', async () => {
    const server = await startTestServer({ config: { unloadAfterMs: 50, compactAfterUpdates: 10 } });
    cleanups.push(() => void server.stop());
    const user = await buildUser(server.store, { role: 'secretariat' });
    const token = await server.login(user);
    const a = connectProvider(server.url, ROOM, token);
    await waitForSync(a.provider);
    for (let i = 0; i < 30; i++) typeInto(a.doc, ` x${i}`);
    const expected = a.doc.getXmlFragment(SECTION_FRAGMENT).toString();
    await eventually(() =>
      expect(server.services.collab.getRoom('gb-999-test-1', 'part-1')?.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toBe(expected),
    );
    a.provider.destroy();
    await eventually(() => expect(server.services.collab.loadedRooms()).not.toContain(ROOM));
    // Compacted on unload: a handful of rows instead of one per keystroke.
    expect(await server.store.countUpdates('gb-999-test-1', 'part-1')).toBeLessThanOrEqual(2);
    const again = await snapshotOf(server.url, token);
    expect(again.xml).toBe(expected);
  });
});
