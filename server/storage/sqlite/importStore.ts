import type Database from 'better-sqlite3';
import type { ImportPreview } from '../../../shared/imports.js';
import type { ImportStore } from '../Store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS imports (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  file_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  preview TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_document ON imports (document_id, created_at);
`;

interface ImportRow {
  preview: string;
}

/** Word imports: the preview of each upload, and which of its amendments were tabled since. */
export function createSqliteImportStore(db: Database.Database): ImportStore {
  db.exec(SCHEMA);
  const insert = db.prepare(
    'INSERT INTO imports (id, document_id, user_id, owner_key, file_name, created_at, preview) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare('SELECT preview FROM imports WHERE id = ?');
  const update = db.prepare('UPDATE imports SET preview = ? WHERE id = ?');

  const get = (id: string): ImportPreview | null => {
    const row = select.get(id) as ImportRow | undefined;
    return row ? (JSON.parse(row.preview) as ImportPreview) : null;
  };

  return {
    async create(preview) {
      insert.run(
        preview.id,
        preview.documentId,
        preview.userId,
        preview.ownerKey,
        preview.fileName,
        preview.createdAt,
        JSON.stringify(preview),
      );
      return preview;
    },
    async get(id) {
      return get(id);
    },
    async markTabled(id, amendmentId, tabled) {
      const mark = db.transaction(() => {
        const preview = get(id);
        if (!preview) return null;
        const item = preview.amendments.find((a) => a.id === amendmentId);
        if (item) item.tabled = tabled;
        update.run(JSON.stringify(preview), id);
        return preview;
      });
      return mark();
    },
  };
}
