import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../server/app.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { type Config, loadConfig } from '../../server/config.js';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import type { ImportedDocument } from '../../shared/document.js';
import { TEST_PASSWORD } from './fixtures.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';
import { TEST_REDIS_URL, clearPrefix, uniquePrefix } from './redisServers.js';
import type { TestServer } from './testServer.js';

/** True when both engines the cluster tests need are given (TEST_DATABASE_URL and TEST_REDIS_URL). */
export function clusterAvailable(): boolean {
  return postgresAvailable() && TEST_REDIS_URL !== '';
}

/** Prints, once per file, why its cluster tests did not run: a skip must never look like a pass. */
export function announceClusterSkip(file: string): void {
  if (!clusterAvailable()) {
    console.warn(
      `[${file}] SKIPPED: TEST_DATABASE_URL and TEST_REDIS_URL must both be set; these tests need a real PostgreSQL and Redis (see .ci/run).`,
    );
  }
}

export interface ClusterApp extends TestServer {
  /** Closed already (the test stopped it, as a process would die or shut down). */
  stopped: boolean;
}

export interface Cluster {
  apps: ClusterApp[];
  databaseUrl: string;
  /** Starts one more app on the same database and Redis prefix. */
  add(): Promise<ClusterApp>;
  stop(): Promise<void>;
}

/**
 * Several Concord apps IN this test process, each with its own port, PostgreSQL pool and Redis links,
 * on one fresh database and one Redis key prefix: as many processes would be, minus the process
 * boundary. `databaseUrl(i)` lets one app reach PostgreSQL through a fault proxy.
 */
export async function startCluster(options: {
  count: number;
  document: ImportedDocument;
  config?: Partial<Config>;
  databaseUrl?: (index: number, direct: string) => string;
}): Promise<Cluster> {
  const db = await createTestDatabase();
  const prefix = uniquePrefix();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-cluster-'));
  const setup = new PostgresStore(db.url);
  await importDocument(setup, options.document);
  await setup.close();
  const apps: ClusterApp[] = [];

  async function add(): Promise<ClusterApp> {
    const index = apps.length;
    const store = new PostgresStore(options.databaseUrl?.(index, db.url) ?? db.url);
    const config = loadConfig(
      {},
      {
        port: 0,
        host: '127.0.0.1',
        dataDir,
        demo: false,
        clientDir: '',
        presenceFlushMs: 10,
        redisUrl: TEST_REDIS_URL,
        redisPrefix: prefix,
        ...options.config,
      },
    );
    const server = await startServer(config, store);
    const app: ClusterApp = {
      ...server,
      store,
      dataDir,
      stopped: false,
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
        if (app.stopped) return;
        app.stopped = true;
        await server.close();
        await store.close();
      },
    };
    apps.push(app);
    return app;
  }

  for (let i = 0; i < options.count; i++) await add();
  return {
    apps,
    databaseUrl: db.url,
    add,
    async stop() {
      for (const app of apps) await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await clearPrefix(TEST_REDIS_URL, prefix);
      await db.drop();
    },
  };
}
