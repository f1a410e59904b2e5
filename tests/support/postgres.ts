import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: `TEST_DATABASE_URL` names a server (and a database to connect to for
 * administration). Each caller gets a database of its own, created here and dropped by `drop()`.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';

let warned = false;

/** True when PostgreSQL tests can run; says once, plainly, when they are skipped. */
export function postgresAvailable(): boolean {
  if (TEST_DATABASE_URL) return true;
  if (!warned) {
    warned = true;
    console.warn('[tests] TEST_DATABASE_URL is not set: the PostgreSQL store tests are SKIPPED');
  }
  return false;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database `concord_test_<random>` on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `concord_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      // FORCE: a test that failed may leave a connection open; the database goes anyway.
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
