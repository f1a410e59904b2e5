import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startServer } from '../../server/app.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { type Config, loadConfig } from '../../server/config.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import type { ImportedDocument } from '../../shared/document.js';
import { TEST_PASSWORD, buildDocument } from './fixtures.js';
import type { TestServer } from './testServer.js';

/** The real Redis the Redis tests run against; empty: they are skipped (and say so). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? '';

/** Prints, once per file, why its Redis tests did not run: a skip must never look like a pass. */
export function announceRedisSkip(file: string): void {
  if (!TEST_REDIS_URL) {
    console.warn(`[${file}] SKIPPED: TEST_REDIS_URL is not set; these tests need a real Redis (see .ci/run).`);
  }
}

/** A key and channel prefix of its own for each test: tests share one Redis and may run at once. */
export function uniquePrefix(): string {
  return `concord-test:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (pub/sub channels leave nothing behind). */
export async function clearPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface ServersOnOneStore {
  servers: TestServer[];
  stop(): Promise<void>;
}

/**
 * Several Concord servers in this test process on one SQLite file (as tests/integration/fanout.test.ts
 * does: the store's own file locking keeps them consistent; the data-folder lock is the CLI's), each
 * joined to Redis at its own URL (one may go through a fault proxy) with one shared prefix.
 */
export async function startServersOnOneStore(options: {
  redisUrls: string[];
  prefix: string;
  document?: ImportedDocument | null;
  config?: Partial<Config>;
}): Promise<ServersOnOneStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-redis-'));
  const file = path.join(dataDir, 'concord.sqlite');
  const setup = new SqliteStore(file);
  if (options.document !== null) await importDocument(setup, options.document ?? buildDocument());
  await setup.close();
  const servers: TestServer[] = [];
  for (const redisUrl of options.redisUrls) {
    const store = new SqliteStore(file);
    const config = loadConfig(
      {},
      {
        port: 0,
        host: '127.0.0.1',
        dataDir,
        demo: false,
        clientDir: '',
        presenceFlushMs: 10,
        redisUrl,
        redisPrefix: options.prefix,
        ...options.config,
      },
    );
    const server = await startServer(config, store);
    servers.push({
      ...server,
      store,
      dataDir,
      async login(user) {
        const res = await fetch(`${server.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
        });
        if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { token: string }).token;
      },
      async stop() {
        await server.close();
        await store.close();
      },
    });
  }
  return {
    servers,
    async stop() {
      for (const s of servers) await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (TEST_REDIS_URL) await clearPrefix(TEST_REDIS_URL, options.prefix);
    },
  };
}
