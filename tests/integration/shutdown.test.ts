import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { freePort, loginTo, spawnServer } from '../support/childServer.js';
import { buildDocument } from '../support/fixtures.js';
import { connectProvider, nextClose, typeInto, waitForSync } from '../support/providers.js';
import { buildUser, eventually } from '../support/testServer.js';

const ROOM = 'gb-999-test-1/part-1';
const cleanups: (() => void)[] = [];

afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});


describe('graceful shutdown', () => {
  it('on SIGTERM answers 503 on /readyz, closes collab sockets with 4503, keeps what it accepted and exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-sigterm-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const setup = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    await importDocument(setup, buildDocument());
    const office = await buildUser(setup, { username: 'office', role: 'secretariat' });
    await setup.close();

    const port = await freePort();
    const { child, url } = await spawnServer(dataDir, port, { CONCORD_DRAIN_DELAY_MS: '1500' });
    cleanups.push(() => child.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const token = await loginTo(url, office.username);
    const writer = connectProvider(url, ROOM, token);
    const watcher = connectProvider(url, ROOM, token);
    cleanups.push(
      () => writer.provider.destroy(),
      () => watcher.provider.destroy(),
    );
    await Promise.all([waitForSync(writer.provider), waitForSync(watcher.provider)]);
    for (let i = 0; i < 20; i++) typeInto(writer.doc, ` arrêt${i}`);
    const accepted = Y.encodeStateVector(writer.doc);
    await eventually(() => expect(Y.encodeStateVector(watcher.doc)).toEqual(accepted));

    writer.provider.shouldConnect = false;
    const closed = nextClose(writer.provider, 10_000);
    child.kill('SIGTERM');
    await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(503), 1400);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await closed).code).toBe(CloseCode.ServerShutdown);
    expect(await exited).toBe(0);

    const again = await spawnServer(dataDir, port);
    cleanups.push(() => again.child.kill('SIGKILL'));
    const fresh = connectProvider(again.url, ROOM, await loginTo(again.url, office.username));
    cleanups.push(() => fresh.provider.destroy());
    await waitForSync(fresh.provider);
    expect(fresh.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain(' arrêt19');
    expect(Y.encodeStateVector(fresh.doc)).toEqual(accepted);
  }, 60_000);
});
