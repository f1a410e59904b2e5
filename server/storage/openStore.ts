import path from 'node:path';
import type { Config } from '../config.js';
import { PostgresStore } from './postgresStore.js';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './Store.js';

/** The SQLite database file of a data folder (backup and restore use it too). */
export function sqliteFileOf(dataDir: string): string {
  return path.join(dataDir, 'concord.sqlite');
}

/** The store a configuration asks for: PostgreSQL when DATABASE_URL is set, else SQLite in the data folder. */
export function openStore(
  config: Pick<Config, 'dataDir' | 'durability' | 'storeBusyRetryMs'> & Partial<Pick<Config, 'databaseUrl'>>,
): Store {
  if (config.databaseUrl) return new PostgresStore(config.databaseUrl);
  return new SqliteStore(sqliteFileOf(config.dataDir), {
    durability: config.durability,
    busyRetryMs: config.storeBusyRetryMs,
  });
}
