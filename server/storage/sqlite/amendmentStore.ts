import type Database from 'better-sqlite3';
import type { AmendmentStore } from '../Store.js';

/** Amendment records in SQLite. (To be implemented.) */
export function createSqliteAmendmentStore(_db: Database.Database): AmendmentStore {
  const notYet = () => Promise.reject(new Error('amendments are not implemented yet'));
  return {
    create: notYet,
    get: notYet,
    list: notYet,
    updateContent: notYet,
    updateRationale: notYet,
    setStatus: notYet,
    setVote: notYet,
  };
}
