import path from 'node:path';
import type { Config } from '../config.js';
import { SqliteStore } from './sqliteStore.js';
import type { Store } from './Store.js';

/** The store a configuration asks for: SQLite in the data folder (the only one so far). */
export function openStore(config: Pick<Config, 'dataDir' | 'durability' | 'storeBusyRetryMs'>): Store {
  return new SqliteStore(path.join(config.dataDir, 'concord.sqlite'), {
    durability: config.durability,
    busyRetryMs: config.storeBusyRetryMs,
  });
}
