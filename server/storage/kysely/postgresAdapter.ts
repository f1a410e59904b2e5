import { createRequire } from 'node:module';
import { Kysely, PostgresDialect } from 'kysely';
import type pgModule from 'pg';
import type { StoredUpdate } from '../Store.js';
import type { EngineAdapter } from './kyselyStore.js';
import type { Db, Tables } from './schema.js';

const INT8_OID = 20;

/** Connections per process unless told otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * PostgreSQL ends a session that sits in an open transaction this long without sending anything. A
 * process paused mid-commit (SIGSTOP, a frozen VM) otherwise keeps its row locks on `section_head`
 * for as long as it is paused, and the process taking the section over waits on them: the lease
 * expires in 4 s, but the take-over could not happen until the paused one woke. Between the statements
 * of our transactions there is only short work of the process itself, never a wait on a person or peer.
 */
const IDLE_IN_TRANSACTION_MS = 3000;

// Loaded when a PostgreSQL store is opened, not by every SQLite start (the CLI tools start often).
let pgLoaded: typeof pgModule | null = null;
function pgDriver(): typeof pgModule {
  pgLoaded ??= createRequire(import.meta.url)('pg') as typeof pgModule;
  return pgLoaded;
}

/**
 * 64-bit integers as JavaScript numbers: timestamps in milliseconds, sequence numbers and Yjs
 * clientIDs all stay far below 2^53, and callers expect numbers on either engine.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pgDriver().types.getTypeParser(oid, format as 'text')) as typeof pgModule.types.getTypeParser,
};

/**
 * PostgreSQL through a pg Pool. Every transaction has a connection of its own, so callers outside it
 * go on (they see it whole or not at all); a commit is durable when it returns (synchronous_commit),
 * so an update is stored durably before it is relayed.
 */
export class PostgresAdapter implements EngineAdapter {
  readonly engine = 'postgres' as const;
  readonly db: Db;
  readonly pool: pgModule.Pool;

  constructor(connectionString: string, options: { max?: number } = {}) {
    this.pool = new (pgDriver().Pool)({
      connectionString,
      max: options.max ?? DEFAULT_POOL_SIZE,
      types,
      // Readiness answers 503 rather than hanging when the database is unreachable.
      connectionTimeoutMillis: 5000,
      application_name: 'concord',
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    });
    // An idle connection the server closed (restart, pg_terminate_backend) must not crash the process;
    // the pool replaces it on the next call.
    this.pool.on('error', () => {});
    // The pool listens for errors only on IDLE connections. A connection the server ends while it is
    // checked out between two statements (a transaction waiting on our own work, when pg_terminate_backend
    // or a PostgreSQL restart hits) emits 'error' with no listener, which kills the whole process. Its
    // next query fails instead, the transaction rolls back, and the pool discards the connection.
    this.pool.on('connect', (client) => {
      client.on('error', () => {});
    });
    this.db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: this.pool }) });
  }

  begin<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number> {
    // A named statement: parsed and planned once per connection, not on every update.
    const { rows } = await this.pool.query<{ seq: number }>({
      name: 'concord_append_update',
      text: 'INSERT INTO section_updates (document_id, section_id, update_data) VALUES ($1, $2, $3) RETURNING seq',
      values: [documentId, sectionId, Buffer.from(update.buffer, update.byteOffset, update.byteLength)],
    });
    return (rows[0] as { seq: number }).seq;
  }

  async loadUpdates(documentId: string, sectionId: string): Promise<StoredUpdate[]> {
    const { rows } = await this.pool.query<{ seq: number; update_data: Buffer }>({
      name: 'concord_load_updates',
      text: 'SELECT seq, update_data FROM section_updates WHERE document_id = $1 AND section_id = $2 ORDER BY seq',
      values: [documentId, sectionId],
    });
    return rows.map((r) => ({ seq: r.seq, update: new Uint8Array(r.update_data) }));
  }

  /** A session advisory lock on a connection of its own, held while `work` runs (its calls use others). */
  async exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [`concord:${name}`]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`concord:${name}`]).catch(() => {
          broken = true;
        });
      }
    } finally {
      // A connection whose unlock failed is closed, which releases the lock with the session.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
