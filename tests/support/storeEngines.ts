import { PostgresStore } from '../../server/storage/postgresStore.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import type { NewAmendment, Store } from '../../server/storage/Store.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';

export interface EngineCase {
  engine: 'sqlite' | 'postgres';
  /** A fresh, empty store; `close` closes it and removes what it made. */
  open(): Promise<{ store: Store; close(): Promise<void>; databaseUrl?: string }>;
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
          databaseUrl: db.url,
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

/** A minimal pending amendment record of document `doc`, for the Store's own tests. */
export function storedAmendment(id: string, overrides: Partial<NewAmendment> = {}, documentId = 'doc'): NewAmendment {
  return {
    id,
    documentId,
    sectionId: 'part-1',
    paragraphs: [1],
    type: 'insert',
    originalText: '',
    proposedText: ' x',
    authorId: 'u',
    authorName: 'U',
    ownerKey: 'workers',
    group: 'workers',
    memberState: null,
    rationale: '',
    status: 'proposed',
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}
