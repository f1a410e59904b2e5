import type Database from 'better-sqlite3';
import type { Round } from '../../../shared/rounds.js';
import type { RoundStore } from '../Store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rounds (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  amendment_deadline INTEGER NOT NULL,
  sub_amendment_deadline INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  opened_by_id TEXT NOT NULL,
  opened_by_name TEXT NOT NULL,
  closed_at INTEGER,
  closed_by_id TEXT,
  closed_by_name TEXT,
  version_id TEXT,
  UNIQUE (document_id, number)
);
`;

interface RoundRow {
  id: string;
  document_id: string;
  number: number;
  amendment_deadline: number;
  sub_amendment_deadline: number;
  opened_at: number;
  opened_by_id: string;
  opened_by_name: string;
  closed_at: number | null;
  closed_by_id: string | null;
  closed_by_name: string | null;
  version_id: string | null;
}

function toRound(row: RoundRow): Round {
  return {
    id: row.id,
    documentId: row.document_id,
    number: row.number,
    amendmentDeadline: row.amendment_deadline,
    subAmendmentDeadline: row.sub_amendment_deadline,
    openedAt: row.opened_at,
    openedById: row.opened_by_id,
    openedByName: row.opened_by_name,
    closedAt: row.closed_at,
    closedById: row.closed_by_id,
    closedByName: row.closed_by_name,
    versionId: row.version_id,
  };
}

/** Rounds in SQLite: numbered per document; only closing changes a row, once. */
export function createSqliteRoundStore(db: Database.Database): RoundStore {
  db.exec(SCHEMA);
  const stmt = {
    insert: db.prepare(
      `INSERT INTO rounds (id, document_id, number, amendment_deadline, sub_amendment_deadline, opened_at,
         opened_by_id, opened_by_name)
       VALUES (@id, @document_id, (SELECT COALESCE(MAX(number), 0) + 1 FROM rounds WHERE document_id = @document_id),
         @amendment_deadline, @sub_amendment_deadline, @opened_at, @opened_by_id, @opened_by_name)`,
    ),
    get: db.prepare('SELECT * FROM rounds WHERE id = ?'),
    list: db.prepare('SELECT * FROM rounds WHERE document_id = ? ORDER BY number'),
    latest: db.prepare('SELECT * FROM rounds WHERE document_id = ? ORDER BY number DESC LIMIT 1'),
    close: db.prepare(
      `UPDATE rounds SET closed_at = ?, closed_by_id = ?, closed_by_name = ?, version_id = ?
       WHERE id = ? AND closed_at IS NULL`,
    ),
  };
  const get = (id: string) => {
    const row = stmt.get.get(id) as RoundRow | undefined;
    return row ? toRound(row) : null;
  };
  return {
    async create(round) {
      stmt.insert.run({
        id: round.id,
        document_id: round.documentId,
        amendment_deadline: round.amendmentDeadline,
        sub_amendment_deadline: round.subAmendmentDeadline,
        opened_at: round.openedAt,
        opened_by_id: round.openedById,
        opened_by_name: round.openedByName,
      });
      const created = get(round.id);
      if (!created) throw new Error(`round ${round.id} vanished after creation`);
      return created;
    },
    async get(id) {
      return get(id);
    },
    async list(documentId) {
      return (stmt.list.all(documentId) as RoundRow[]).map(toRound);
    },
    async latest(documentId) {
      const row = stmt.latest.get(documentId) as RoundRow | undefined;
      return row ? toRound(row) : null;
    },
    async close(id, closed) {
      const changes = stmt.close.run(closed.at, closed.byId, closed.byName, closed.versionId, id).changes;
      return changes === 0 ? null : get(id);
    },
  };
}
