import path from 'node:path';
import type { Config } from '../config.js';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './Store.js';

/** The SQLite database file of a data folder (backup and restore use it too). */
export function sqliteFileOf(dataDir: string): string {
  return path.join(dataDir, 'concord.sqlite');
}

/** The store a configuration asks for: SQLite in the data folder (the only one so far). */
export function openStore(config: Pick<Config, 'dataDir' | 'durability' | 'storeBusyRetryMs'>): Store {
  return new SqliteStore(sqliteFileOf(config.dataDir), {
    durability: config.durability,
    busyRetryMs: config.storeBusyRetryMs,
  });
}
