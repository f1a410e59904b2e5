import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../../server/app.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { loadConfig } from '../../server/config.js';
import { DataDirLockedError, lockDataDir } from '../../server/storage/dataDirLock.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { freePort, spawnServer } from '../support/childServer.js';
import { TEST_PASSWORD, buildDocument, buildUser } from '../support/fixtures.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { eventually } from '../support/testServer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-lock-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('one server per data folder', () => {
  it('refuses to start a second server on a folder in use, with a sentence naming the holder; the folder is free once it is gone', async () => {
    const dataDir = tempDir();
    const first = await spawnServer(dataDir, await freePort());
    cleanups.push(async () => {
      first.child.kill('SIGKILL');
      await exited(first.child);
    });

    const refusal = await spawnServer(dataDir, await freePort()).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(refusal).toMatch(/exited with 1/);
    expect(refusal).toContain(`Another Concord server (pid ${first.child.pid}) is already using the data folder ${dataDir}`);
    // The first one still serves, and still holds the folder.
    expect((await fetch(`${first.url}/api/documents`)).status).toBe(401);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);

    // Killed without a chance to clean up, it leaves no stale lock behind: the folder can be taken.
    first.child.kill('SIGKILL');
    await exited(first.child);
    const lock = lockDataDir(dataDir);
    lock.release();
    // Two server processes start here, each compiling the server with tsx: slow on a loaded machine.
  }, 60_000);
});

describe('compaction on a shared store', () => {
  it('never deletes updates it did not merge, even when another server stored them in between', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'concord.sqlite');
    const setup = new SqliteStore(file);
    await importDocument(setup, buildDocument());
    const user = await buildUser(setup, { username: 'writer', role: 'secretariat' });
    await setup.close();

    // Two servers on one store with no fan-out between them: what two processes on one folder were.
    const servers: Awaited<ReturnType<typeof startServer>>[] = [];
    for (let i = 0; i < 2; i++) {
      const store = new SqliteStore(file);
      const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: '' });
      const server = await startServer(config, store);
      cleanups.push(async () => {
        await server.close();
        await store.close();
      });
      servers.push(server);
    }
    const [a, b] = await Promise.all(
      servers.map(async (server) => {
        const res = await fetch(`${server.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
        });
        const { token } = (await res.json()) as { token: string };
        const client = connectProvider(server.url, 'gb-999-test-1/part-1', token);
        cleanups.push(() => client.provider.destroy());
        await waitForSync(client.provider);
        return { server, client, room: () => server.services.collab.getRoom('gb-999-test-1', 'part-1') };
      }),
    );
    if (!a || !b) throw new Error('two servers expected');

    typeInto(a.client.doc, ' ACCEPTE PAR A.');
    await eventually(async () => expect(await servers[0]?.services.store.countUpdates('gb-999-test-1', 'part-1')).toBe(2));
    // B never heard of A's update; it stores its own after it, then compacts.
    for (const word of [' B1.', ' B2.', ' B3.']) typeInto(b.client.doc, word);
    await eventually(async () => expect(await servers[1]?.services.store.countUpdates('gb-999-test-1', 'part-1')).toBe(5));
    await b.room()?.compact();

    const check = new SqliteStore(file);
    cleanups.push(() => check.close());
    const stored = await check.loadUpdates('gb-999-test-1', 'part-1');
    const doc = new Y.Doc();
    for (const { update } of stored) Y.applyUpdate(doc, update);
    const text = doc.getXmlFragment(SECTION_FRAGMENT).toString();
    expect(text).toContain('ACCEPTE PAR A.');
    expect(text).toContain('B3.');
    // A's row and B's merged one: compaction did happen.
    expect(stored).toHaveLength(2);
  });
});
