import type { Selectable } from 'kysely';
import type { AuditEntry } from '../../../shared/audit.js';
import type { AuditStore } from '../Store.js';
import type { Queries, Tables } from './schema.js';

type AuditRow = Selectable<Tables['audit_log']>;

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

/** The audit log: append-only, enforced by the database (triggers, see migrations.ts). */
export function createAuditStore(q: Queries): AuditStore {
  return {
    async append(e) {
      const row = await q
        .db()
        .insertInto('audit_log')
        .values({
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
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },
    async list(documentId, page) {
      const db = q.db();
      let query = db.selectFrom('audit_log').where('document_id', '=', documentId);
      if (page.action) query = query.where('action', '=', page.action);
      if (page.hiddenTargets?.length) query = query.where('target_id', 'not in', [...page.hiddenTargets]);
      const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await query.selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute();
      return { entries: rows.map(toEntry), total: Number(n) };
    },
    async all(documentId, hiddenTargets = []) {
      const hidden = new Set(hiddenTargets);
      const rows = await q
        .db()
        .selectFrom('audit_log')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('seq')
        .execute();
      return rows.map(toEntry).filter((e) => !hidden.has(e.targetId));
    },
  };
}
