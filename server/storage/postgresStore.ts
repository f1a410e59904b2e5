import { afterReady } from './kysely/readyGate.js';
import { KyselyStore } from './kysely/kyselyStore.js';
import { migrateToLatest } from './kysely/migrations.js';
import { PostgresAdapter } from './kysely/postgresAdapter.js';

/**
 * The store on PostgreSQL (`DATABASE_URL`): the same queries as SQLite's (KyselyStore). Migrations
 * run on opening under an advisory lock (Kysely's Migrator), so several processes may open an empty
 * database at once; calls made meanwhile wait for them.
 */
export class PostgresStore extends KyselyStore {
  /** Settles when the migrations have run (rejects with their error). */
  readonly ready: Promise<void>;

  constructor(connectionString: string, options: { poolSize?: number } = {}) {
    const adapter = new PostgresAdapter(connectionString, { max: options.poolSize });
    super(adapter);
    this.ready = migrateToLatest(adapter.db, 'postgres');
    // biome-ignore lint/correctness/noConstructorReturn: callers get the store that waits for migrations
    return afterReady(this, this.ready, new Set(['inTransaction', 'ready']));
  }
}
