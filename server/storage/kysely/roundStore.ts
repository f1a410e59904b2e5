import { type Selectable, sql } from 'kysely';
import type { Round } from '../../../shared/rounds.js';
import type { RoundStore } from '../Store.js';
import { isUniqueViolation, type Queries, type Tables } from './schema.js';

type RoundRow = Selectable<Tables['rounds']>;

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

/** Rounds: numbered per document; only closing changes a row, once. */
export function createRoundStore(q: Queries): RoundStore {
  const get = async (id: string) => {
    const row = await q.db().selectFrom('rounds').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRound(row) : null;
  };
  return {
    async create(round) {
      // The number is the document's next; another process numbering at the same instant makes the
      // unique (document, number) refuse one of the two, which then takes the following number.
      for (let attempt = 0; ; attempt++) {
        try {
          await q
            .db()
            .insertInto('rounds')
            .values({
              id: round.id,
              document_id: round.documentId,
              number: sql<number>`(SELECT COALESCE(MAX(number), 0) + 1 FROM rounds WHERE document_id = ${round.documentId})`,
              amendment_deadline: round.amendmentDeadline,
              sub_amendment_deadline: round.subAmendmentDeadline,
              opened_at: round.openedAt,
              opened_by_id: round.openedById,
              opened_by_name: round.openedByName,
            })
            .execute();
          break;
        } catch (err) {
          if (!isUniqueViolation(err) || attempt >= 4 || (await get(round.id))) throw err;
        }
      }
      const created = await get(round.id);
      if (!created) throw new Error(`round ${round.id} vanished after creation`);
      return created;
    },
    get,
    async list(documentId) {
      const rows = await q
        .db()
        .selectFrom('rounds')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('number')
        .execute();
      return rows.map(toRound);
    },
    async latest(documentId) {
      const row = await q
        .db()
        .selectFrom('rounds')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRound(row) : null;
    },
    async close(id, closed) {
      const result = await q
        .db()
        .updateTable('rounds')
        .set({
          closed_at: closed.at,
          closed_by_id: closed.byId,
          closed_by_name: closed.byName,
          version_id: closed.versionId,
        })
        .where('id', '=', id)
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 0n ? null : get(id);
    },
    async attachClosingVersion(id, versionId) {
      const result = await q
        .db()
        .updateTable('rounds')
        .set({ version_id: versionId })
        .where('id', '=', id)
        .where('closed_at', 'is not', null)
        .where('version_id', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 0n ? null : get(id);
    },
  };
}
