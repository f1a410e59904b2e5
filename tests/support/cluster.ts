import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { onTestFailed } from 'vitest';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { freePort } from './childServer.js';
import { type FaultProxy, startFaultProxy } from './faultProxy.js';
import { TEST_PASSWORD } from './fixtures.js';
import { TEST_DATABASE_URL, type TestDatabase, createTestDatabase } from './postgres.js';
import { TEST_REDIS_URL, clearPrefix, uniquePrefix } from './redisServers.js';

/**
 * Several REAL Concord processes (`tsx server/main.ts`, each its own child process on its own port) on
 * one fresh PostgreSQL database and one Redis key prefix — what `CONCORD_WORKERS` or a load balancer
 * runs, minus the shared port, so that a test can pick the process each client talks to. Optionally each
 * process reaches PostgreSQL and Redis through a fault proxy of its own, so that one process's links can
 * be paused, cut, reset or delayed while the others' stay healthy.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Both engines are needed; says once, plainly, why the cluster tests did not run. */
export function clusterAvailable(file: string): boolean {
  if (TEST_DATABASE_URL && TEST_REDIS_URL) return true;
  console.warn(
    `[${file}] SKIPPED: the multi-process tests need TEST_DATABASE_URL and TEST_REDIS_URL (a real PostgreSQL and Redis; see .ci/run).`,
  );
  return false;
}

export interface ClusterProcess {
  readonly index: number;
  /** `http://127.0.0.1:<port>`: the port stays the same across restarts. */
  readonly url: string;
  readonly port: number;
  /** The current child process (a restart replaces it). */
  readonly child: ChildProcess | null;
  /** This process's own links (null without `faultLinks`). */
  readonly links: { postgres: FaultProxy; redis: FaultProxy } | null;
  /** Everything the process printed since the cluster started, restarts included. */
  logs(): string;
  /** The id its section leases carry (`section_lease.owner`), as the current child logged it at start. */
  processId(): string | null;
  /** `application_name` of its PostgreSQL sessions (`pg_stat_activity`), to find and terminate them. */
  readonly pgApplicationName: string;
}

export interface TestCluster {
  readonly processes: ClusterProcess[];
  readonly database: TestDatabase;
  readonly redisPrefix: string;
  /** The test's own connection to the cluster's database: seed users and documents, read what was committed. */
  readonly store: PostgresStore;
  /** Signs `user` in through process `i` (any process will do: sessions live in PostgreSQL). */
  login(i: number, user: UserRecord): Promise<string>;
  /** Sends a signal to process `i`; SIGKILL also waits until it is gone. */
  kill(i: number, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'SIGTERM'): Promise<void>;
  /** Starts process `i` again on its port (after a kill or SIGTERM) and waits until it is ready. */
  restart(i: number): Promise<void>;
  /** Which process holds the section's unexpired lease now (null: nobody, or a process not in the cluster). */
  ownerOf(documentId: string, sectionId: string): Promise<number | null>;
  /** Resolves once `/readyz` of process `i` answers 200. */
  waitReady(i: number, timeoutMs?: number): Promise<void>;
  printLogs(): void;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Default 3. */
  processes?: number;
  /** Put each process behind fault proxies of its own to PostgreSQL and to Redis. */
  faultLinks?: boolean;
  /** Extra environment for every process (CONCORD_DEMO=1 to test the demo set-up, …). */
  env?: NodeJS.ProcessEnv;
  /** Before the processes start, with the test's store (migrations have run): import documents, create users. */
  seed?: (store: PostgresStore) => Promise<void>;
  /** Startup budget per process: tsx compiles on start, and the machine is shared. */
  readyTimeoutMs?: number;
  /** The random source of the fault proxies' jitter (a seeded one makes a failing run repeatable). */
  linkRandom?: () => number;
}

interface Slot {
  index: number;
  port: number;
  child: ChildProcess | null;
  output: string[];
  links: { postgres: FaultProxy; redis: FaultProxy } | null;
  exited: Promise<void> | null;
}

const addressOf = (url: string) => {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
};

const applicationNameOf = (index: number) => `concord-p${index}`;

/** The last process id a child logged (server/app.ts logs it at start; a restart logs a new one). */
function processIdIn(output: readonly string[]): string | null {
  for (let i = output.length - 1; i >= 0; i--) {
    const chunk = output[i] as string;
    if (chunk.startsWith('[harness] spawned')) return null;
    const lines = chunk.split('\n').filter((l) => l.includes('"processId"'));
    for (const line of lines.reverse()) {
      try {
        const id = (JSON.parse(line) as { processId?: unknown }).processId;
        if (typeof id === 'string') return id;
      } catch {
        // A line cut across two chunks: the id is logged whole in one write, so another chunk has it.
      }
    }
  }
  return null;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const count = options.processes ?? 3;
  const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
  const database = await createTestDatabase();
  const redisPrefix = uniquePrefix();
  // Migrations run here first when there is seeding to do; without it the processes race to run them.
  const store = new PostgresStore(database.url, { poolSize: 4 });
  const slots: Slot[] = [];
  let stopped = false;

  const cluster: TestCluster = {
    database,
    redisPrefix,
    store,
    processes: [],
    async login(i, user) {
      const res = await fetch(`${urlOf(i)}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
      });
      if (!res.ok) throw new Error(`login through process ${i} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async kill(i, signal) {
      const slot = slotOf(i);
      if (!slot.child) return;
      slot.child.kill(signal);
      if (signal === 'SIGKILL' || signal === 'SIGTERM') {
        await slot.exited;
        slot.child = null;
      }
    },
    async restart(i) {
      const slot = slotOf(i);
      if (slot.child) {
        slot.child.kill('SIGKILL');
        await slot.exited;
      }
      spawnSlot(slot);
      await cluster.waitReady(i, readyTimeoutMs);
    },
    async ownerOf(documentId, sectionId) {
      const holder = await store.ownership.holder(documentId, sectionId);
      if (holder === null) return null;
      const found = cluster.processes.find((p) => p.child && p.processId() === holder);
      return found ? found.index : null;
    },
    async waitReady(i, timeoutMs = readyTimeoutMs) {
      const slot = slotOf(i);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!slot.child || slot.child.exitCode !== null || slot.child.signalCode !== null) {
          throw new Error(`process ${i} is not running:\n${slot.output.join('')}`);
        }
        try {
          const res = await fetch(`${urlOf(i)}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (res.status === 200) return;
        } catch {
          // Not listening yet.
        }
        if (Date.now() > deadline) throw new Error(`process ${i} was not ready in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    printLogs() {
      for (const slot of slots) {
        console.log(`----- cluster process ${slot.index} (port ${slot.port}) -----\n${slot.output.join('')}`);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const slot of slots) {
        if (!slot.child) continue;
        // A stopped process ignores SIGKILL's exit notification until it runs again on some kernels' tooling.
        slot.child.kill('SIGCONT');
        slot.child.kill('SIGKILL');
      }
      await Promise.all(slots.map((s) => s.exited));
      for (const slot of slots) {
        await slot.links?.postgres.close();
        await slot.links?.redis.close();
      }
      await store.close();
      await database.drop();
      await clearPrefix(TEST_REDIS_URL, redisPrefix);
    },
  };

  function slotOf(i: number): Slot {
    const slot = slots[i];
    if (!slot) throw new Error(`no process ${i} in a cluster of ${count}`);
    return slot;
  }
  function urlOf(i: number): string {
    return `http://127.0.0.1:${slotOf(i).port}`;
  }

  function spawnSlot(slot: Slot): void {
    // Named per process so that a test can find this process's sessions in pg_stat_activity
    // (pg lets the URL's application_name win over the store's default).
    const databaseUrl = new URL(slot.links ? slot.links.postgres.url(database.url) : database.url);
    databaseUrl.searchParams.set('application_name', applicationNameOf(slot.index));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(slot.port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: slot.links ? slot.links.redis.url(TEST_REDIS_URL) : TEST_REDIS_URL,
      CONCORD_REDIS_PREFIX: redisPrefix,
      CONCORD_DEMO: '0',
      CONCORD_CLIENT_DIR: '',
      CONCORD_LOG_FORMAT: 'json',
      CONCORD_PRESENCE_FLUSH_MS: '10',
      // Every test client comes from 127.0.0.1: the per-address connection rate would refuse them.
      CONCORD_CONNECT_RATE_PER_IP: '0',
      CONCORD_WORKERS: '1',
      ...options.env,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    slot.output.push(`[harness] spawned pid ${child.pid}\n`);
    child.stdout?.on('data', (chunk: Buffer) => slot.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => slot.output.push(chunk.toString()));
    slot.exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        slot.output.push(`[harness] pid ${child.pid} exited: code ${code}, signal ${signal}\n`);
        resolve();
      }),
    );
    slot.child = child;
  }

  try {
    onTestFailed(() => cluster.printLogs());
  } catch {
    // Started outside a test (a benchmark): nothing to hook.
  }

  try {
    if (options.seed) {
      await store.ready;
      await options.seed(store);
    }
    for (let index = 0; index < count; index++) {
      const links = options.faultLinks
        ? {
            postgres: await startFaultProxy(addressOf(database.url), { random: options.linkRandom }),
            redis: await startFaultProxy(addressOf(TEST_REDIS_URL), { random: options.linkRandom }),
          }
        : null;
      const slot: Slot = { index, port: await freePort(), child: null, output: [], links, exited: null };
      slots.push(slot);
      cluster.processes.push({
        index,
        url: urlOf(index),
        port: slot.port,
        get child() {
          return slot.child;
        },
        links,
        logs: () => slot.output.join(''),
        processId: () => processIdIn(slot.output),
        pgApplicationName: applicationNameOf(index),
      });
    }
    // All at once, as a deployment starts them: migrations and the demo set-up must happen once.
    for (const slot of slots) spawnSlot(slot);
    await Promise.all(slots.map((s) => cluster.waitReady(s.index, readyTimeoutMs)));
  } catch (err) {
    cluster.printLogs();
    await cluster.stop();
    throw err;
  }
  return cluster;
}
