import type Database from 'better-sqlite3';
import type { Version, VersionSection, VersionSummary } from '../../../shared/versions.js';
import type { VersionStore } from '../Store.js';

/**
 * Versions are immutable: triggers refuse any UPDATE or DELETE of a version row, so not even a bug in
 * Concord (or a hand-run SQL statement) can rewrite what a round closing recorded.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS versions (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_id TEXT NOT NULL,
  created_by_name TEXT NOT NULL,
  round_id TEXT,
  sections TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_document ON versions (document_id, created_at);
CREATE TRIGGER IF NOT EXISTS versions_no_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS versions_no_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
`;

interface VersionRow {
  id: string;
  document_id: string;
  name: string;
  created_at: number;
  created_by_id: string;
  created_by_name: string;
  round_id: string | null;
  sections?: string;
}

function toSummary(row: VersionRow): VersionSummary {
  return {
    id: row.id,
    documentId: row.document_id,
    name: row.name,
    createdAt: row.created_at,
    createdById: row.created_by_id,
    createdByName: row.created_by_name,
    roundId: row.round_id,
  };
}

export function createSqliteVersionStore(db: Database.Database): VersionStore {
  db.exec(SCHEMA);
  const stmt = {
    insert: db.prepare(
      `INSERT INTO versions (id, document_id, name, created_at, created_by_id, created_by_name, round_id, sections)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    get: db.prepare('SELECT * FROM versions WHERE id = ?'),
    list: db.prepare(
      `SELECT id, document_id, name, created_at, created_by_id, created_by_name, round_id FROM versions
       WHERE document_id = ? ORDER BY created_at, rowid`,
    ),
  };
  const get = (id: string): Version | null => {
    const row = stmt.get.get(id) as VersionRow | undefined;
    if (!row) return null;
    return { ...toSummary(row), sections: JSON.parse(row.sections ?? '[]') as VersionSection[] };
  };
  return {
    async create(v) {
      stmt.insert.run(
        v.id,
        v.documentId,
        v.name,
        v.createdAt,
        v.createdById,
        v.createdByName,
        v.roundId,
        JSON.stringify(v.sections),
      );
      const created = get(v.id);
      if (!created) throw new Error(`version ${v.id} vanished after creation`);
      return created;
    },
    async get(id) {
      return get(id);
    },
    async list(documentId) {
      return (stmt.list.all(documentId) as VersionRow[]).map(toSummary);
    },
  };
}
