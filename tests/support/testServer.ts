import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ConcordServer, startServer } from '../../server/app.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { type Config, loadConfig } from '../../server/config.js';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import type { Store, UserRecord } from '../../server/storage/Store.js';
import type { ImportedDocument } from '../../shared/document.js';
import { TEST_PASSWORD, buildDocument, buildUser } from './fixtures.js';

export interface TestServer extends ConcordServer {
  store: Store;
  dataDir: string;
  /** Signs a user in over HTTP and returns the session token. */
  login(user: UserRecord): Promise<string>;
  /** Stops the server and the store; `keepData` leaves the data folder for a restart. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** A real Concord server on an ephemeral port with a fresh SQLite store in a temporary folder (or `databaseUrl`). */
export async function startTestServer(
  options: {
    config?: Partial<Config>;
    dataDir?: string;
    document?: ImportedDocument | null;
    /** A PostgreSQL database (postgres://…) to store in instead of SQLite in the data folder. */
    databaseUrl?: string;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'concord-test-'));
  const config = loadConfig(
    {},
    { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: '', presenceFlushMs: 10, ...options.config },
  );
  const store = options.databaseUrl
    ? new PostgresStore(options.databaseUrl)
    : new SqliteStore(path.join(dataDir, 'concord.sqlite'), { busyRetryMs: config.storeBusyRetryMs });
  if (options.document !== null) {
    const doc = options.document ?? buildDocument();
    if (!(await store.getDocument(doc.id))) await importDocument(store, doc);
  }
  const server = await startServer(config, store);
  return {
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
    async stop(stopOptions = {}) {
      await server.close();
      await store.close();
      if (!stopOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { buildUser };

/** Retries an assertion until it passes or the time is up: for eventual consistency over the network. */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
