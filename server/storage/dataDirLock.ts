import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * One server per data folder. Two servers on one folder each believe they own its sections: one's
 * compaction rewrites what the other accepted, and neither relays the other's updates to its clients.
 *
 * The lock is SQLite's exclusive lock on a control file, held by an open connection for the life of
 * the process: the operating system releases it when the process ends in any way (kill -9, power cut),
 * so there is no stale lock to clean up, unlike a pid file. The holder's pid is written beside it,
 * only to name it in the refusal.
 */
export const LOCK_FILE = 'concord.lock';
const HOLDER_FILE = 'concord.lock.pid';

export class DataDirLockedError extends Error {}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, LOCK_FILE));
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock, which EXCLUSIVE locking mode keeps until close.
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder;');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new DataDirLockedError(
        `Another Concord server${holderOf(dataDir)} is already using the data folder ${dataDir}. ` +
          'Stop it first, or give this one another DATA_DIR: two servers on one folder would overwrite each other’s work.',
      );
    }
    throw err;
  }
  writeFileSync(path.join(dataDir, HOLDER_FILE), `${process.pid}\n`);
  return {
    release() {
      if (db.open) db.close();
    },
  };
}

function holderOf(dataDir: string): string {
  try {
    const pid = Number.parseInt(readFileSync(path.join(dataDir, HOLDER_FILE), 'utf8'), 10);
    return Number.isInteger(pid) ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
