import { type Selectable, sql } from 'kysely';
import type { Version, VersionSection, VersionSummary } from '../../../shared/versions.js';
import type { VersionStore } from '../Store.js';
import type { Queries, Tables } from './schema.js';

type VersionRow = Omit<Selectable<Tables['versions']>, 'sections'>;

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

const SUMMARY = ['id', 'document_id', 'name', 'created_at', 'created_by_id', 'created_by_name', 'round_id'] as const;

/** Named versions: written once; the database refuses any UPDATE or DELETE (migrations.ts). */
export function createVersionStore(q: Queries): VersionStore {
  // Insertion order among versions made in the same millisecond: SQLite's rowid, PostgreSQL's identity.
  const insertionOrder = sql.ref(q.engine === 'postgres' ? 'ord' : 'rowid');
  const get = async (id: string): Promise<Version | null> => {
    const row = await q
      .db()
      .selectFrom('versions')
      .select([...SUMMARY, 'sections'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    return { ...toSummary(row), sections: JSON.parse(row.sections ?? '[]') as VersionSection[] };
  };
  return {
    async create(v) {
      await q
        .db()
        .insertInto('versions')
        .values({
          id: v.id,
          document_id: v.documentId,
          name: v.name,
          created_at: v.createdAt,
          created_by_id: v.createdById,
          created_by_name: v.createdByName,
          round_id: v.roundId,
          sections: JSON.stringify(v.sections),
        })
        .execute();
      const created = await get(v.id);
      if (!created) throw new Error(`version ${v.id} vanished after creation`);
      return created;
    },
    get,
    async list(documentId) {
      const rows = await q
        .db()
        .selectFrom('versions')
        .select([...SUMMARY])
        .where('document_id', '=', documentId)
        .orderBy('created_at')
        .orderBy(insertionOrder)
        .execute();
      return rows.map(toSummary);
    },
  };
}
