import { type RawBuilder, sql } from 'kysely';
import { FencedOut, type OwnershipStore, type SectionFence } from '../sectionFence.js';
import type { Engine, Queries } from './schema.js';

/** The database's clock in milliseconds: every process judges leases by the same clock. */
function dbNowMs(engine: Engine): RawBuilder<number> {
  return engine === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
}

/** Leases and fenced appends of sections (sectionFence.ts), on either engine. */
export function createOwnershipStore(q: Queries): OwnershipStore {
  const now = () => dbNowMs(q.engine);
  const store: OwnershipStore = {
    takeOver(documentId, sectionId, owner, ttlMs) {
      return q.tx(async (db) => {
        const taken = await db
          .insertInto('section_lease')
          .values({
            document_id: documentId,
            section_id: sectionId,
            owner,
            expires_at: sql<number>`${now()} + ${ttlMs}`,
          })
          .onConflict((oc) =>
            oc
              .columns(['document_id', 'section_id'])
              .doUpdateSet({ owner: sql`excluded.owner`, expires_at: sql`excluded.expires_at` })
              .where((eb) =>
                eb.or([eb('section_lease.owner', '=', owner), eb('section_lease.expires_at', '<=', now())]),
              ),
          )
          .returning('owner')
          .executeTakeFirst();
        if (!taken) {
          const row = await db
            .selectFrom('section_lease')
            .select('owner')
            .where('document_id', '=', documentId)
            .where('section_id', '=', sectionId)
            .executeTakeFirstOrThrow();
          return { ok: false as const, owner: row.owner };
        }
        // Rows stored before the section had owners are not numbered: the count starts at 0 for them.
        const head = await db
          .insertInto('section_head')
          .values({ document_id: documentId, section_id: sectionId, epoch: 1, seq: 0 })
          .onConflict((oc) =>
            oc.columns(['document_id', 'section_id']).doUpdateSet({ epoch: sql`section_head.epoch + 1` }),
          )
          .returning(['epoch', 'seq'])
          .executeTakeFirstOrThrow();
        return { ok: true as const, fence: { epoch: Number(head.epoch), seq: Number(head.seq) } };
      });
    },

    async renew(documentId, sectionId, owner, epoch, ttlMs) {
      const result = await q
        .db()
        .updateTable('section_lease')
        .set({ expires_at: sql<number>`${now()} + ${ttlMs}` })
        .where('document_id', '=', documentId)
        .where('section_id', '=', sectionId)
        .where('owner', '=', owner)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('section_head')
              .select('epoch')
              .where('section_head.document_id', '=', documentId)
              .where('section_head.section_id', '=', sectionId)
              .where('section_head.epoch', '=', epoch),
          ),
        )
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async release(documentId, sectionId, owner) {
      await q
        .db()
        .deleteFrom('section_lease')
        .where('document_id', '=', documentId)
        .where('section_id', '=', sectionId)
        .where('owner', '=', owner)
        .execute();
    },

    async holder(documentId, sectionId) {
      const row = await q
        .db()
        .selectFrom('section_lease')
        .select('owner')
        .where('document_id', '=', documentId)
        .where('section_id', '=', sectionId)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      return row?.owner ?? null;
    },

    async head(documentId, sectionId) {
      const row = await q
        .db()
        .selectFrom('section_head')
        .select(['epoch', 'seq'])
        .where('document_id', '=', documentId)
        .where('section_id', '=', sectionId)
        .executeTakeFirst();
      return row ? { epoch: Number(row.epoch), seq: Number(row.seq) } : null;
    },

    append(documentId, sectionId, fence, update) {
      const next: SectionFence = { epoch: fence.epoch, seq: fence.seq + 1 };
      if (q.engine === 'postgres') {
        // One statement, one round trip: the row is inserted only if the head moved (zero rows: fenced).
        // On the hot path, and in a group commit each step's round trips add up on one connection.
        return q.tx(async (db) => {
          const inserted = await db
            .with('moved', (w) =>
              w
                .updateTable('section_head')
                .set({ seq: next.seq })
                .where('document_id', '=', documentId)
                .where('section_id', '=', sectionId)
                .where('epoch', '=', fence.epoch)
                .where('seq', '=', fence.seq)
                .returning(['document_id', 'section_id', 'epoch']),
            )
            .insertInto('section_updates')
            .columns(['document_id', 'section_id', 'head_seq', 'head_epoch', 'update_data'])
            .expression((eb) =>
              eb.selectFrom('moved').select([
                'moved.document_id',
                'moved.section_id',
                sql<number>`${next.seq}::bigint`.as('head_seq'),
                // The epoch the head held when it moved: the fence's own, read from the row it matched.
                'moved.epoch',
                sql<Buffer>`${Buffer.from(update.buffer, update.byteOffset, update.byteLength)}::bytea`.as(
                  'update_data',
                ),
              ]),
            )
            .returning('seq')
            .executeTakeFirst();
          if (!inserted) throw new FencedOut(documentId, sectionId, fence);
          return next;
        });
      }
      return q.tx(async (db) => {
        const moved = await db
          .updateTable('section_head')
          .set({ seq: next.seq })
          .where('document_id', '=', documentId)
          .where('section_id', '=', sectionId)
          .where('epoch', '=', fence.epoch)
          .where('seq', '=', fence.seq)
          .executeTakeFirst();
        if (moved.numUpdatedRows === 0n) throw new FencedOut(documentId, sectionId, fence);
        await db
          .insertInto('section_updates')
          .values({
            document_id: documentId,
            section_id: sectionId,
            head_seq: next.seq,
            head_epoch: fence.epoch,
            update_data: Buffer.from(update.buffer, update.byteOffset, update.byteLength),
          })
          .execute();
        return next;
      });
    },

    async log(documentId, sectionId, after) {
      let query = q
        .db()
        .selectFrom('section_updates')
        .select(['seq', 'head_seq', 'head_epoch', 'update_data'])
        .where('document_id', '=', documentId)
        .where('section_id', '=', sectionId);
      if (after > 0) query = query.where('head_seq', '>', after);
      const rows = await query.orderBy('seq').execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        headSeq: r.head_seq === null ? null : Number(r.head_seq),
        headEpoch: r.head_epoch === null ? null : Number(r.head_epoch),
        update: new Uint8Array(r.update_data),
      }));
    },
  };
  return store;
}
