import type Database from 'better-sqlite3';
import type { ThreadStore } from '../Store.js';

/** Comment threads in SQLite. (To be implemented.) */
export function createSqliteThreadStore(_db: Database.Database): ThreadStore {
  const notYet = () => Promise.reject(new Error('threads are not implemented yet'));
  return {
    create: notYet,
    get: notYet,
    listByDocument: notYet,
    addComment: notYet,
    getComment: notYet,
    editComment: notYet,
    deleteComment: notYet,
    setResolved: notYet,
  };
}
