import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteFileOf } from './openStore.js';

/** Tables a Concord database always has: a file without them is not one of our backups. */
const REQUIRED_TABLES = ['users', 'documents', 'sections', 'section_updates'];

function checkDatabase(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length > 0) throw new Error(`${file} is not a Concord database (no ${missing.join(', ')} table)`);
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the live database, taken from another process while the server runs.
 * `VACUUM INTO` reads in one transaction, so the copy is the database as of one instant; under WAL a
 * reader never blocks the server's writes. Written to a side file and renamed, so a failed backup
 * leaves no file that looks whole.
 */
export function backupSqlite(dataDir: string, target: string): { bytes: number } {
  const source = sqliteFileOf(dataDir);
  if (!existsSync(source)) throw new Error(`There is no Concord database in ${dataDir}.`);
  if (existsSync(target)) throw new Error(`${target} already exists; choose a new file name.`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  try {
    checkDatabase(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, target);
  return { bytes: statSync(target).size };
}

/** Restores a backup into a data folder that is empty or does not exist yet; refuses anything else. */
export function restoreSqlite(backup: string, dataDir: string): void {
  if (!existsSync(backup)) throw new Error(`There is no backup file ${backup}.`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty; restore into an empty data folder (nothing was changed).`);
  checkDatabase(backup);
  mkdirSync(dataDir, { recursive: true });
  const target = sqliteFileOf(dataDir);
  const partial = path.join(dataDir, '.restoring');
  // A copy through SQLite, not of bytes: the result is a database file on its own, with no WAL beside it.
  const db = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  renameSync(partial, target);
}
