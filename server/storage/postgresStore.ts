import { DEFAULT_GROUP_COMMIT, type GroupCommitOptions } from './kysely/groupCommit.js';
import { afterReady } from './kysely/readyGate.js';
import { KyselyStore } from './kysely/kyselyStore.js';
import { migrateToLatest } from './kysely/migrations.js';
import { DEFAULT_POOL_SIZE, PostgresAdapter } from './kysely/postgresAdapter.js';

/**
 * The store on PostgreSQL (`DATABASE_URL`): the same queries as SQLite's (KyselyStore). Migrations
 * run on opening under an advisory lock (Kysely's Migrator), so several processes may open an empty
 * database at once; calls made meanwhile wait for them.
 */
export class PostgresStore extends KyselyStore {
  /** Settles when the migrations have run (rejects with their error). */
  readonly ready: Promise<void>;

  constructor(connectionString: string, options: { poolSize?: number; groupCommit?: GroupCommitOptions | null } = {}) {
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    const adapter = new PostgresAdapter(connectionString, { max: poolSize });
    // Sections' steps share transactions unless told otherwise (null: each step commits alone). They
    // leave two connections to the rest (lease renewals above all), however busy typing gets.
    const group = options.groupCommit === undefined ? DEFAULT_GROUP_COMMIT : options.groupCommit;
    super(adapter, {
      groupCommit: group && { ...group, maxInFlight: Math.max(1, Math.min(group.maxInFlight, poolSize - 2)) },
    });
    this.ready = migrateToLatest(adapter.db, 'postgres');
    // biome-ignore lint/correctness/noConstructorReturn: callers get the store that waits for migrations
    return afterReady(this, this.ready, new Set(['inTransaction', 'ready', 'groupCommitStats']));
  }
}
