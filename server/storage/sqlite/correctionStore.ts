import type Database from 'better-sqlite3';
import type { Correction } from '../../../shared/corrections.js';
import type { CorrectionStore } from '../Store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS corrections (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  paragraph INTEGER,
  before_text TEXT NOT NULL,
  after_text TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  at INTEGER NOT NULL,
  audited INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS corrections_section ON corrections (document_id, section_id, seq);
`;

interface CorrectionRow {
  id: string;
  document_id: string;
  section_id: string;
  paragraph: number | null;
  before_text: string;
  after_text: string;
  by_user_id: string;
  by_name: string;
  started_at: number;
  at: number;
}

function toCorrection(row: CorrectionRow): Correction {
  return {
    id: row.id,
    documentId: row.document_id,
    sectionId: row.section_id,
    paragraph: row.paragraph,
    before: row.before_text,
    after: row.after_text,
    byUserId: row.by_user_id,
    byName: row.by_name,
    startedAt: row.started_at,
    at: row.at,
  };
}

export function createSqliteCorrectionStore(db: Database.Database): CorrectionStore {
  db.exec(SCHEMA);
  const stmt = {
    upsert: db.prepare(
      `INSERT INTO corrections (id, document_id, section_id, paragraph, before_text, after_text, by_user_id, by_name,
         started_at, at)
       VALUES (@id, @document_id, @section_id, @paragraph, @before_text, @after_text, @by_user_id, @by_name,
         @started_at, @at)
       ON CONFLICT (id) DO UPDATE SET after_text = excluded.after_text, at = excluded.at`,
    ),
    get: db.prepare('SELECT * FROM corrections WHERE id = ?'),
    byDocument: db.prepare('SELECT * FROM corrections WHERE document_id = ? ORDER BY seq'),
    bySection: db.prepare('SELECT * FROM corrections WHERE document_id = ? AND section_id = ? ORDER BY seq'),
    markAudited: db.prepare('UPDATE corrections SET audited = 1 WHERE id = ?'),
    unaudited: db.prepare(
      'SELECT * FROM corrections WHERE document_id = ? AND section_id = ? AND audited = 0 ORDER BY seq',
    ),
  };
  return {
    async save(c) {
      stmt.upsert.run({
        id: c.id,
        document_id: c.documentId,
        section_id: c.sectionId,
        paragraph: c.paragraph,
        before_text: c.before,
        after_text: c.after,
        by_user_id: c.byUserId,
        by_name: c.byName,
        started_at: c.startedAt,
        at: c.at,
      });
      return toCorrection(stmt.get.get(c.id) as CorrectionRow);
    },
    async list(documentId, sectionId) {
      const rows =
        sectionId === undefined ? stmt.byDocument.all(documentId) : stmt.bySection.all(documentId, sectionId);
      return (rows as CorrectionRow[]).map(toCorrection);
    },
    async markAudited(id) {
      stmt.markAudited.run(id);
    },
    async unaudited(documentId, sectionId) {
      return (stmt.unaudited.all(documentId, sectionId) as CorrectionRow[]).map(toCorrection);
    },
  };
}
