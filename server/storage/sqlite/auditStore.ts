import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/audit.js';
import type { AuditStore } from '../Store.js';

/** The audit log: append-only, enforced by triggers as for versions. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  document_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  target_ref TEXT,
  details TEXT NOT NULL,
  via TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_document ON audit_log (document_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

interface AuditRow {
  seq: number;
  at: number;
  user_id: string;
  user_name: string;
  role: string;
  action: string;
  document_id: string;
  target_type: string;
  target_id: string;
  target_ref: string | null;
  details: string;
  via: string;
  ip: string | null;
  user_agent: string | null;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    userId: row.user_id,
    userName: row.user_name,
    role: row.role as AuditEntry['role'],
    action: row.action,
    documentId: row.document_id,
    targetType: row.target_type as AuditEntry['targetType'],
    targetId: row.target_id,
    targetRef: row.target_ref,
    details: JSON.parse(row.details) as Record<string, unknown>,
    via: row.via as AuditEntry['via'],
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

export function createSqliteAuditStore(db: Database.Database): AuditStore {
  db.exec(SCHEMA);
  const stmt = {
    insert: db.prepare(
      `INSERT INTO audit_log (at, user_id, user_name, role, action, document_id, target_type, target_id, target_ref,
         details, via, ip, user_agent)
       VALUES (@at, @user_id, @user_name, @role, @action, @document_id, @target_type, @target_id, @target_ref,
         @details, @via, @ip, @user_agent)`,
    ),
    get: db.prepare('SELECT * FROM audit_log WHERE seq = ?'),
    all: db.prepare('SELECT * FROM audit_log WHERE document_id = ? ORDER BY seq'),
  };
  return {
    async append(e) {
      const seq = stmt.insert.run({
        at: e.at,
        user_id: e.userId,
        user_name: e.userName,
        role: e.role,
        action: e.action,
        document_id: e.documentId,
        target_type: e.targetType,
        target_id: e.targetId,
        target_ref: e.targetRef,
        details: JSON.stringify(e.details),
        via: e.via,
        ip: e.ip,
        user_agent: e.userAgent,
      }).lastInsertRowid;
      return toEntry(stmt.get.get(seq) as AuditRow);
    },
    async list(documentId, page) {
      const where = ['document_id = ?'];
      const params: unknown[] = [documentId];
      if (page.action) {
        where.push('action = ?');
        params.push(page.action);
      }
      if (page.hiddenTargets?.length) {
        where.push('target_id NOT IN (SELECT value FROM json_each(?))');
        params.push(JSON.stringify(page.hiddenTargets));
      }
      const clause = where.join(' AND ');
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE ${clause}`).get(...params) as { n: number })
        .n;
      const rows = db
        .prepare(`SELECT * FROM audit_log WHERE ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`)
        .all(...params, page.limit, page.offset) as AuditRow[];
      return { entries: rows.map(toEntry), total };
    },
    async all(documentId, hiddenTargets = []) {
      const hidden = new Set(hiddenTargets);
      return (stmt.all.all(documentId) as AuditRow[]).map(toEntry).filter((e) => !hidden.has(e.targetId));
    },
  };
}
