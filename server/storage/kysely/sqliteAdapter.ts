import type Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, sql } from 'kysely';
import { retryWhileBusy } from '../busyRetry.js';
import type { StoredUpdate } from '../Store.js';
import type { EngineAdapter } from './kyselyStore.js';
import type { Db, Tables } from './schema.js';

/**
 * SQLite through Kysely on the store's one better-sqlite3 connection. Kysely serialises its queries
 * on that connection; the hot path's prepared statements run on it directly, so SqliteStore makes
 * them wait while a transaction is open (`openTransaction`), lest they join it.
 */
export class SqliteAdapter implements EngineAdapter {
  readonly engine = 'sqlite' as const;
  readonly db: Db;
  /** The open transaction, settled when it ends; null when none is open. */
  openTransaction: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private hot: { append: Database.Statement; load: Database.Statement } | null = null;

  constructor(
    private readonly raw: Database.Database,
    private readonly busyRetryMs: number,
    private readonly onClose: () => Promise<void>,
  ) {
    this.db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cachingStatements(raw) }) });
  }

  /** Prepared on first use, once the migrations have made the table. */
  private statements() {
    this.hot ??= {
      append: this.raw.prepare('INSERT INTO section_updates (document_id, section_id, update_data) VALUES (?, ?, ?)'),
      load: this.raw.prepare(
        'SELECT seq, update_data FROM section_updates WHERE document_id = ? AND section_id = ? ORDER BY seq',
      ),
    };
    return this.hot;
  }

  begin<T>(work: (db: Db) => Promise<T>): Promise<T> {
    // One at a time: SQLite has one writer, and this is its only connection.
    const run = this.tail.then(async () => {
      // IMMEDIATE: the write lock is taken first, never half-way through work that cannot be retried.
      // While another process holds the file, the connection is released between tries, so that
      // reads (the API, loading sections) go on meanwhile.
      const outcome = await retryWhileBusy(
        () =>
          this.db.connection().execute(async (conn): Promise<{ result: T } | { error: unknown }> => {
            await sql`BEGIN IMMEDIATE`.execute(conn);
            let end = () => {};
            this.openTransaction = new Promise<void>((resolve) => {
              end = resolve;
            });
            try {
              const result = await work(conn);
              await sql`COMMIT`.execute(conn);
              return { result };
            } catch (error) {
              if (this.raw.inTransaction) await sql`ROLLBACK`.execute(conn);
              // Handed out as a value: the work's own failure is never retried.
              return { error };
            } finally {
              this.openTransaction = null;
              end();
            }
          }),
        this.busyRetryMs,
      );
      if ('error' in outcome) throw outcome.error;
      return outcome.result;
    });
    this.tail = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number> {
    return Number(this.statements().append.run(documentId, sectionId, update).lastInsertRowid);
  }

  async loadUpdates(documentId: string, sectionId: string): Promise<StoredUpdate[]> {
    const rows = this.statements().load.all(documentId, sectionId) as { seq: number; update_data: Buffer }[];
    return rows.map((r) => ({ seq: r.seq, update: new Uint8Array(r.update_data) }));
  }

  /** One server per data folder (dataDirLock.ts), one connection per store: running `work` is enough. */
  exclusively<T>(_name: string, work: () => Promise<T>): Promise<T> {
    return work();
  }

  async close(): Promise<void> {
    await this.tail;
    await this.onClose();
    await this.db.destroy();
  }
}

/** Statements kept per SQL text; past this many, the cache starts over (queries are few and fixed). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The connection as Kysely's dialect sees it, with each statement prepared once per SQL text: Kysely
 * prepares on every query otherwise, which costs more than running most of them.
 */
function cachingStatements(db: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      let stmt = statements.get(text);
      if (!stmt) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        stmt = db.prepare(text);
        statements.set(text, stmt);
      }
      return stmt;
    },
  } as SqliteDatabase;
}
