import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGEST_INSERT, ownerKeyOf } from '../../shared/suggestions.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const ROOM = 'gb-999-test-1/part-1';
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs `npm run backup` / `npm run restore` as the operator would, against `dataDir`. */
function script(name: 'backup' | 'restore', file: string, dataDir: string) {
  return run(process.execPath, ['--import', 'tsx', path.join(ROOT, `server/cli/${name}.ts`), file], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
  });
}

function firstText(doc: Y.Doc): Y.XmlText {
  const block = doc.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement;
  return (block.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

/** The words of the typed amendment, as a client sees them. */
function suggested(doc: Y.Doc): string {
  return (firstText(doc).toDelta() as { insert: string; attributes?: Record<string, unknown> }[])
    .filter((op) => op.attributes?.[SUGGEST_INSERT])
    .map((op) => op.insert)
    .join('');
}

/** True when `state` holds everything `before` describes, client by client. */
function covers(state: Map<number, number>, before: Map<number, number>): boolean {
  return [...before].every(([client, clock]) => (state.get(client) ?? 0) >= clock);
}

describe('backup and restore', () => {
  it('backs up during live typing; the restored store holds every update relayed before the backup began', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'concord-backup-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const server: TestServer = await startTestServer();
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await server.stop();
    });
    const typist = await buildUser(server.store, { role: 'delegate', group: 'workers' });
    const reader = await buildUser(server.store, { role: 'observer' });
    const writer = connectProvider(server.url, ROOM, await server.login(typist));
    const watcher = connectProvider(server.url, ROOM, await server.login(reader));
    cleanups.push(
      () => writer.provider.destroy(),
      () => watcher.provider.destroy(),
    );
    await Promise.all([waitForSync(writer.provider), waitForSync(watcher.provider)]);

    // A delegate typing one amendment, a character every few milliseconds, as an editor sends it.
    const attrs = { id: 'wkbackup0001', by: ownerKeyOf(typist), author: typist.id };
    let typed = 0;
    const typing = setInterval(() => {
      firstText(writer.doc).insert(7 + typed, String.fromCharCode(97 + (typed % 26)), { [SUGGEST_INSERT]: attrs });
      typed++;
    }, 5);
    cleanups.push(() => clearInterval(typing));
    await eventually(() => expect(firstText(watcher.doc).length).toBeGreaterThan(28 + 20));

    const relayedBefore = Y.decodeStateVector(Y.encodeStateVector(watcher.doc));
    const wordsBefore = suggested(watcher.doc);
    const typedBefore = typed;
    const file = path.join(work, 'concord-backup.sqlite');
    const backup = await script('backup', file, server.dataDir);
    expect(backup.stdout).toMatch(/Backed up .* to .*concord-backup\.sqlite/);
    // The server kept accepting while the backup ran.
    expect(typed).toBeGreaterThan(typedBefore);
    await eventually(() => expect(firstText(watcher.doc).length).toBeGreaterThan(28 + typedBefore));
    clearInterval(typing);
    await expect(script('backup', file, server.dataDir)).rejects.toMatchObject({
      stderr: expect.stringMatching(/already exists/),
    });
    writer.provider.destroy();
    watcher.provider.destroy();
    await server.stop();
    stopped = true;

    const notEmpty = path.join(work, 'not-empty');
    mkdirSync(notEmpty);
    writeFileSync(path.join(notEmpty, 'something'), 'x');
    await expect(script('restore', file, notEmpty)).rejects.toMatchObject({
      stderr: expect.stringMatching(/not empty/),
    });

    const restoredDir = path.join(work, 'restored');
    const restore = await script('restore', file, restoredDir);
    expect(restore.stdout).toMatch(/Restored/);
    const restored = await startTestServer({ dataDir: restoredDir });
    cleanups.push(() => restored.stop());
    // The accounts came back with the data: the same user signs in on the restored server.
    const fresh = connectProvider(restored.url, ROOM, await restored.login(reader));
    cleanups.push(() => fresh.provider.destroy());
    await waitForSync(fresh.provider);
    const state = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
    expect(relayedBefore.size).toBeGreaterThan(0);
    expect(covers(state, relayedBefore)).toBe(true);
    expect(wordsBefore.length).toBeGreaterThan(20);
    expect(suggested(fresh.doc).startsWith(wordsBefore)).toBe(true);
  }, 90_000);
});
