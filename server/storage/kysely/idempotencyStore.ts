import type { IdempotencyClaim, StoredIdempotency } from '../idempotencyScope.js';
import { IdempotencyKeyTaken } from '../idempotencyScope.js';
import type { IdempotencyStore } from '../Store.js';
import type { Db, Queries } from './schema.js';

/**
 * Writes the claim inside the transaction `db` is running: nothing if this request's claim is already
 * there, {@link IdempotencyKeyTaken} (rolling the transaction back) if another request's is.
 */
export async function writeClaim(db: Db, claim: IdempotencyClaim): Promise<void> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      user_id: claim.userId,
      idem_key: claim.key,
      fingerprint: claim.fingerprint,
      claim_id: claim.claimId,
      status: null,
      body: null,
      created_at: claim.createdAt,
    })
    .onConflict((oc) => oc.columns(['user_id', 'idem_key']).doNothing())
    .executeTakeFirst();
  if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return;
  const held = await db
    .selectFrom('idempotency_keys')
    .select('claim_id')
    .where('user_id', '=', claim.userId)
    .where('idem_key', '=', claim.key)
    .executeTakeFirst();
  if (held?.claim_id !== claim.claimId) throw new IdempotencyKeyTaken();
}

export function createIdempotencyStore(q: Queries): IdempotencyStore {
  return {
    async find(userId, key): Promise<StoredIdempotency | null> {
      const row = await q
        .db()
        .selectFrom('idempotency_keys')
        .select(['fingerprint', 'claim_id', 'status', 'body'])
        .where('user_id', '=', userId)
        .where('idem_key', '=', key)
        .executeTakeFirst();
      if (!row) return null;
      return { fingerprint: row.fingerprint, claimId: row.claim_id, status: row.status, body: row.body };
    },
    async complete(userId, key, claimId, status, body) {
      await q
        .db()
        .updateTable('idempotency_keys')
        .set({ status, body })
        .where('user_id', '=', userId)
        .where('idem_key', '=', key)
        .where('claim_id', '=', claimId)
        .execute();
    },
    async record(claim, status, body) {
      const inserted = await q
        .db()
        .insertInto('idempotency_keys')
        .values({
          user_id: claim.userId,
          idem_key: claim.key,
          fingerprint: claim.fingerprint,
          claim_id: claim.claimId,
          status,
          body,
          created_at: claim.createdAt,
        })
        .onConflict((oc) => oc.columns(['user_id', 'idem_key']).doNothing())
        .executeTakeFirst();
      return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
    async deleteOlderThan(before) {
      const result = await q.db().deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
