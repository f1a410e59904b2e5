import type { Selectable } from 'kysely';
import type { Correction } from '../../../shared/corrections.js';
import type { CorrectionStore } from '../Store.js';
import type { Queries, Tables } from './schema.js';

function toCorrection(row: Selectable<Tables['corrections']>): Correction {
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

/** The Office's direct corrections; a burst going on replaces its own row (same id). */
export function createCorrectionStore(q: Queries): CorrectionStore {
  return {
    async save(c) {
      const row = await q
        .db()
        .insertInto('corrections')
        .values({
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
        })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({ after_text: eb.ref('excluded.after_text'), at: eb.ref('excluded.at') })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCorrection(row);
    },
    async list(documentId, sectionId) {
      let query = q.db().selectFrom('corrections').selectAll().where('document_id', '=', documentId);
      if (sectionId !== undefined) query = query.where('section_id', '=', sectionId);
      return (await query.orderBy('seq').execute()).map(toCorrection);
    },
    async markAudited(id) {
      await q.db().updateTable('corrections').set({ audited: 1 }).where('id', '=', id).execute();
    },
    async unaudited(documentId, sectionId) {
      const rows = await q
        .db()
        .selectFrom('corrections')
        .selectAll()
        .where('document_id', '=', documentId)
        .where('section_id', '=', sectionId)
        .where('audited', '=', 0)
        .orderBy('seq')
        .execute();
      return rows.map(toCorrection);
    },
  };
}
