import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { retryWhenBusy, SQLITE_BUSY_TIMEOUT_MS } from './busyRetry.js';
import { BackgroundCheckpointer } from './checkpointer.js';
import { afterReady } from './kysely/readyGate.js';
import { KyselyStore } from './kysely/kyselyStore.js';
import { migrateToLatest } from './kysely/migrations.js';
import { SqliteAdapter } from './kysely/sqliteAdapter.js';
import { SUB_STORES } from './Store.js';

/**
 * The embedded store: one SQLite file in the data folder. WAL mode with `synchronous=NORMAL` makes each
 * committed write survive a crash of this process (kill -9) — the page cache holds it; set
 * `durability: 'full'` to also survive a power cut, at the price of an fsync per write.
 *
 * The queries are those of KyselyStore (shared with PostgreSQL); this class opens the file, keeps its
 * write-ahead log short, and makes callers wait while a transaction is open on the one connection.
 */
export class SqliteStore extends KyselyStore {
  /**
   * `busyRetryMs`: how long a call retries (from timers, never blocking) while another process holds
   * the file's lock, before it fails with StorageBusyError.
   */
  constructor(file: string, options: { durability?: 'normal' | 'full'; busyRetryMs?: number } = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // Long enough to ride out this process's own checkpointer, short enough never to stall the event
    // loop; longer waits are retried from timers (retryWhenBusy).
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    let checkpointer: BackgroundCheckpointer | null = null;
    if (file !== ':memory:') {
      // Checkpoints happen in a worker thread, not in the commit of whichever update crosses the limit.
      db.pragma('wal_autocheckpoint = 0');
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      checkpointer = new BackgroundCheckpointer(file);
    }
    const busyRetryMs = options.busyRetryMs ?? 5000;
    const adapter = new SqliteAdapter(db, busyRetryMs, async () => {
      await checkpointer?.stop();
    });
    super(adapter);
    const ready = migrateToLatest(adapter.db, 'sqlite');
    // Each method is retried while another process holds the file's lock: a method is one statement
    // or one transaction, which SQLite rolls back when refused the lock. A transaction retries only
    // its BEGIN (SqliteAdapter), never work it has already done.
    for (const key of SUB_STORES) {
      (this as unknown as Record<string, object>)[key] = retryWhenBusy(this[key], busyRetryMs);
    }
    // biome-ignore lint/correctness/noConstructorReturn: the guarded view is the store callers get
    return retryWhenBusy(
      guardedStore(afterReady(this, ready, PASS_THROUGH), () => adapter.openTransaction, this),
      busyRetryMs,
      ['transaction', 'exclusively'],
    );
  }
}

const PASS_THROUGH = new Set<PropertyKey>(['inTransaction']);
const UNGUARDED = new Set<PropertyKey>(['transaction', 'close', 'constructor', 'exclusively', 'inTransaction']);

/**
 * Every method of `target` (and of its sub-stores) waits until no transaction is open, then runs: one
 * connection serves every caller, so a write from anyone else would join the open transaction (and
 * vanish with its rollback) and a read would see half of it. Calls made from inside the transaction's
 * own work never wait for it (they would wait forever).
 */
function guardedStore<T extends object>(target: T, open: () => Promise<void> | null, core: KyselyStore): T {
  const wrap = <O extends object>(object: O, top: boolean): O => {
    const cache = new Map<PropertyKey, { of: unknown; wrapper: unknown }>();
    return new Proxy(object, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (top && UNGUARDED.has(prop)) {
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
        }
        // Cached per value: a test may replace a method, and must then get its replacement.
        const cached = cache.get(prop);
        if (cached && cached.of === value) return cached.wrapper;
        if (
          top &&
          (SUB_STORES as readonly PropertyKey[]).includes(prop) &&
          typeof value === 'object' &&
          value !== null
        ) {
          const wrapper = wrap(value, false);
          cache.set(prop, { of: value, wrapper });
          return wrapper;
        }
        if (typeof value !== 'function') return value;
        const fn = value as (...a: unknown[]) => unknown;
        const wrapper = (...args: unknown[]) => {
          if (open() === null || core.inTransaction()) return fn.apply(obj, args);
          return (async () => {
            // Checked again after each wait: another transaction may have begun in between.
            for (let pending = open(); pending !== null; pending = open()) await pending;
            return fn.apply(obj, args);
          })();
        };
        cache.set(prop, { of: value, wrapper });
        return wrapper;
      },
    });
  };
  return wrap(target, true);
}
