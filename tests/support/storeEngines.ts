import { PostgresStore } from '../../server/storage/postgresStore.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import type { Store } from '../../server/storage/Store.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';

export interface EngineCase {
  engine: 'sqlite' | 'postgres';
  /** A fresh, empty store; `close` closes it and removes what it made. */
  open(): Promise<{ store: Store; close(): Promise<void> }>;
}

/**
 * The engines a Store test runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (each store in a database of its own). Use with `describe.each(storeEngines())`.
 */
export function storeEngines(): EngineCase[] {
  const cases: EngineCase[] = [
    {
      engine: 'sqlite',
      async open() {
        const store = new SqliteStore(':memory:');
        return { store, close: () => store.close() };
      },
    },
  ];
  if (postgresAvailable()) {
    cases.push({
      engine: 'postgres',
      async open() {
        const db = await createTestDatabase();
        const store = new PostgresStore(db.url);
        return {
          store,
          async close() {
            await store.close();
            await db.drop();
          },
        };
      },
    });
  }
  return cases;
}
