import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { FanOut, FanOutMessage } from '../../server/fanout/FanOut.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { TEST_PASSWORD, buildDocument, buildUser } from '../support/fixtures.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { eventually } from '../support/testServer.js';

/** Two processes' worth of fan-out in one: what a Redis channel per section would do. */
class SharedBus {
  private readonly listeners = new Map<string, Set<{ owner: object; fn: (m: FanOutMessage) => void }>>();
  endpoint(): FanOut {
    const owner = {};
    return {
      publish: (room, message) => {
        for (const l of this.listeners.get(room) ?? []) if (l.owner !== owner) l.fn(message);
      },
      subscribe: (room, fn) => {
        const entry = { owner, fn };
        const set = this.listeners.get(room) ?? new Set();
        set.add(entry);
        this.listeners.set(room, set);
        return () => set.delete(entry);
      },
      close: async () => {},
    };
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('fan-out between server processes', () => {
  it('lets clients on two servers sharing a store co-edit one section', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-fanout-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const file = path.join(dataDir, 'concord.sqlite');
    const setup = new SqliteStore(file);
    await importDocument(setup, buildDocument());
    // The Office: the only role that may type into the official text directly.
    const user = await buildUser(setup, { username: 'writer', role: 'secretariat' });
    await setup.close();

    const bus = new SharedBus();
    const servers: Awaited<ReturnType<typeof startServer>>[] = [];
    for (let i = 0; i < 2; i++) {
      const store = new SqliteStore(file);
      const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: '' });
      const server = await startServer(config, store, () => {}, bus.endpoint());
      cleanups.push(async () => {
        await server.close();
        await store.close();
      });
      servers.push(server);
    }
    const tokens: string[] = [];
    for (const server of servers) {
      const res = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
      });
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const [a, b] = servers.map((s, i) => connectProvider(s.url, 'gb-999-test-1/part-1', tokens[i] ?? null));
    if (!a || !b) throw new Error('two clients expected');
    cleanups.push(() => a.provider.destroy(), () => b.provider.destroy());
    await Promise.all([waitForSync(a.provider), waitForSync(b.provider)]);
    const walker = a.doc.getXmlFragment(SECTION_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText);
    (walker.next().value as Y.XmlText).insert(0, 'VIA A ');
    await eventually(() => expect(b.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('VIA A'));
    // Stored once, by the process that accepted it.
    const check = new SqliteStore(file);
    cleanups.push(() => check.close());
    expect(await check.countUpdates('gb-999-test-1', 'part-1')).toBe(2);
  });
});
