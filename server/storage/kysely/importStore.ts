import type { ImportPreview } from '../../../shared/imports.js';
import type { ImportStore } from '../Store.js';
import type { Db, Queries } from './schema.js';

/** Word imports: the preview of each upload, and which of its amendments were tabled since. */
export function createImportStore(q: Queries): ImportStore {
  const get = async (db: Db, id: string, forUpdate = false): Promise<ImportPreview | null> => {
    let query = db.selectFrom('imports').select('preview').where('id', '=', id);
    // Two tablings from one import at once (two processes) must not lose each other's mark.
    if (forUpdate && q.engine === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row ? (JSON.parse(row.preview) as ImportPreview) : null;
  };
  return {
    async create(preview) {
      await q
        .db()
        .insertInto('imports')
        .values({
          id: preview.id,
          document_id: preview.documentId,
          user_id: preview.userId,
          owner_key: preview.ownerKey,
          file_name: preview.fileName,
          created_at: preview.createdAt,
          preview: JSON.stringify(preview),
        })
        .execute();
      return preview;
    },
    async get(id) {
      return get(q.db(), id);
    },
    async markTabled(id, amendmentId, tabled) {
      return q.tx(async (db) => {
        const preview = await get(db, id, true);
        if (!preview) return null;
        const item = preview.amendments.find((a) => a.id === amendmentId);
        if (item) item.tabled = tabled;
        await db
          .updateTable('imports')
          .set({ preview: JSON.stringify(preview) })
          .where('id', '=', id)
          .execute();
        return preview;
      });
    },
  };
}
