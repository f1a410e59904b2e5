import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer } from '../../server/app.js';
import { type Config, loadConfig } from '../../server/config.js';
import type { FanOut, FanOutMessage } from '../../server/fanout/FanOut.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { TEST_PASSWORD, buildDocument, buildUser } from '../support/fixtures.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { eventually } from '../support/testServer.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { TEST_REDIS_URL, announceRedisSkip, clearPrefix, uniquePrefix } from '../support/redisServers.js';

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

/** How two servers are joined: the in-process bus, or the real Redis fan-out (each started with REDIS_URL). */
interface Transport {
  name: string;
  /** The fan-out to pass to server `i`, or undefined to let it build its own from `config`. */
  fanOut(i: number): FanOut | undefined;
  config(i: number): Partial<Config>;
}

function sharedBusTransport(): Transport {
  const bus = new SharedBus();
  return { name: 'shared bus', fanOut: () => bus.endpoint(), config: () => ({}) };
}

function redisTransport(urls: string[]): Transport {
  const prefix = uniquePrefix();
  cleanups.push(() => clearPrefix(TEST_REDIS_URL, prefix));
  return {
    name: 'Redis',
    fanOut: () => undefined,
    config: (i) => ({ redisUrl: urls[i] ?? TEST_REDIS_URL, redisPrefix: prefix }),
  };
}

async function twoServersSharingAStore(transport: Transport) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-fanout-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const file = path.join(dataDir, 'concord.sqlite');
  const setup = new SqliteStore(file);
  await importDocument(setup, buildDocument());
  // The Office: the only role that may type into the official text directly.
  const user = await buildUser(setup, { username: 'writer', role: 'secretariat' });
  await setup.close();

  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  for (let i = 0; i < 2; i++) {
    const store = new SqliteStore(file);
    const config = loadConfig(
      {},
      { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: '', ...transport.config(i) },
    );
    const server = await startServer(config, store, () => {}, transport.fanOut(i));
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
  cleanups.push(
    () => a.provider.destroy(),
    () => b.provider.destroy(),
  );
  await Promise.all([waitForSync(a.provider), waitForSync(b.provider)]);
  return { file, a, b };
}

function typeAtStart(doc: Y.Doc, text: string): void {
  const walker = doc.getXmlFragment(SECTION_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText);
  (walker.next().value as Y.XmlText).insert(0, text);
}

const transports: [string, () => Transport][] = [['shared bus', sharedBusTransport]];
if (TEST_REDIS_URL) transports.push(['Redis', () => redisTransport([TEST_REDIS_URL, TEST_REDIS_URL])]);
else announceRedisSkip('fanout.test.ts (Redis fan-out)');

describe.each(transports)('fan-out between server processes (%s)', (_name, transport) => {
  it('lets clients on two servers sharing a store co-edit one section', async () => {
    const { file, a, b } = await twoServersSharingAStore(transport());
    typeAtStart(a.doc, 'VIA A ');
    await eventually(() => expect(b.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('VIA A'));
    // Stored once, by the process that accepted it.
    const check = new SqliteStore(file);
    cleanups.push(() => check.close());
    expect(await check.countUpdates('gb-999-test-1', 'part-1')).toBe(2);
  });
});

describe.skipIf(!TEST_REDIS_URL)('Redis fan-out after a lost link', () => {
  it('a server whose Redis link was down catches up from the store once it is back', async () => {
    const proxy = await startFaultProxy(redisAddress());
    cleanups.push(() => proxy.close());
    const { a, b } = await twoServersSharingAStore(redisTransport([TEST_REDIS_URL, proxy.url(TEST_REDIS_URL)]));
    typeAtStart(a.doc, 'BEFORE ');
    await eventually(() => expect(b.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('BEFORE'));

    // B is cut off from Redis: what A accepts now is stored, published, and lost to B's subscription.
    proxy.refuse(true);
    proxy.drop();
    typeAtStart(a.doc, 'WHILE AWAY ');
    // A has stored it (its own client's copy is the server's, relayed back only after the store).
    await eventually(() => expect(a.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('WHILE AWAY'));
    proxy.refuse(false);
    // Reconnected, B's room is told of the gap and reads what it missed from the store.
    await eventually(() => expect(b.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('WHILE AWAY'), 15_000);
    // And the live link works again.
    typeAtStart(a.doc, 'AFTER ');
    await eventually(() => expect(b.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('AFTER'));
  });
});

function redisAddress(): { host: string; port: number } {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}
