import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { consultationDocument } from '../support/consultation.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';
import type { GroupCommitOptions } from '../../server/storage/kysely/groupCommit.js';
import { type IdempotencyClaim, idempotencyScope } from '../../server/storage/idempotencyScope.js';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import { FencedOut, type SectionFence } from '../../server/storage/sectionFence.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';

/**
 * Group commit on PostgreSQL (issue 15 §1): steps of different sections share one transaction, each in
 * a savepoint of its own. A long window and one batch at a time make the batches deterministic here:
 * steps submitted in the same turn are one batch (the stats say so).
 */

const D = 'doc';
const GROUPED: GroupCommitOptions = { windowMs: 50, maxSteps: 32, maxInFlight: 1 };
const bytes = (...b: number[]) => new Uint8Array(b);

describe.skipIf(!postgresAvailable())('group commit on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let admin: pg.Client;

  beforeEach(async () => {
    db = await createTestDatabase();
    store = new PostgresStore(db.url, { groupCommit: GROUPED });
    await store.ready;
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.end();
    await store.close();
    await db.drop();
  });

  async function own(sectionId: string): Promise<SectionFence> {
    const taken = await store.ownership.takeOver(D, sectionId, 'me', 60_000);
    if (!taken.ok) throw new Error('not taken');
    return taken.fence;
  }

  /** One room step as Room.commit makes it: the fenced append, in a transaction that may be grouped. */
  const step = (sectionId: string, fence: SectionFence, update: Uint8Array, then?: () => Promise<void>) =>
    store.transaction(
      async (tx) => {
        const head = await tx.ownership.append(D, sectionId, fence, update);
        await then?.();
        return head;
      },
      { groupCommit: true },
    );

  const logOf = async (sectionId: string) =>
    (await store.ownership.log(D, sectionId, 0)).map((r) => [r.headSeq, [...r.update]]);

  it('commits steps of several sections in one transaction; a fenced-out section fails alone', async () => {
    const [a, b, c] = [await own('a'), await own('b'), await own('c')];
    // b's owner is stale: another process took b over after it.
    await store.ownership.release(D, 'b', 'me');
    expect((await store.ownership.takeOver(D, 'b', 'other', 60_000)).ok).toBe(true);
    const before = store.groupCommitStats();
    const results = await Promise.allSettled([step('a', a, bytes(1)), step('b', b, bytes(2)), step('c', c, bytes(3))]);
    const after = store.groupCommitStats();
    expect(after && before && after.batches - before.batches).toBe(1);
    expect(after?.largestBatch).toBe(3);
    expect(results[0]).toEqual({ status: 'fulfilled', value: { epoch: 1, seq: 1 } });
    expect(results[1].status === 'rejected' && results[1].reason).toBeInstanceOf(FencedOut);
    expect(results[2]).toEqual({ status: 'fulfilled', value: { epoch: 1, seq: 1 } });
    expect(await logOf('a')).toEqual([[1, [1]]]);
    expect(await logOf('b')).toEqual([]);
    expect(await store.ownership.head(D, 'b')).toEqual({ epoch: 2, seq: 0 });
    expect(await logOf('c')).toEqual([[1, [3]]]);
  });

  it('rolls back only the step that threw, with everything it wrote; the others keep theirs', async () => {
    const [a, b, c] = [await own('a'), await own('b'), await own('c')];
    const boom = new Error('the step failed after writing');
    const results = await Promise.allSettled([
      step('a', a, bytes(1)),
      step('b', b, bytes(2), async () => {
        throw boom;
      }),
      step('c', c, bytes(3)),
    ]);
    expect(store.groupCommitStats()?.largestBatch).toBe(3);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1].status === 'rejected' && results[1].reason).toBe(boom);
    expect(await logOf('a')).toEqual([[1, [1]]]);
    // b's append ran (its head moved inside the savepoint) and was undone with the step.
    expect(await logOf('b')).toEqual([]);
    expect(await store.ownership.head(D, 'b')).toEqual({ epoch: 1, seq: 0 });
    expect(await logOf('c')).toEqual([[1, [3]]]);
    // The section that failed goes on from where it stood.
    await step('b', b, bytes(4));
    expect(await logOf('b')).toEqual([[1, [4]]]);
  });

  it('keeps the order of one section’s steps within a batch, between other sections’ steps', async () => {
    const [a, b] = [await own('a'), await own('b')];
    const at = (f: SectionFence, n: number) => ({ epoch: f.epoch, seq: f.seq + n });
    const results = await Promise.all([
      step('a', at(a, 0), bytes(10)),
      step('b', at(b, 0), bytes(20)),
      step('a', at(a, 1), bytes(11)),
      step('b', at(b, 1), bytes(21)),
      step('a', at(a, 2), bytes(12)),
    ]);
    expect(store.groupCommitStats()?.largestBatch).toBe(5);
    expect(results.map((h) => h.seq)).toEqual([1, 1, 2, 2, 3]);
    expect(await logOf('a')).toEqual([
      [1, [10]],
      [2, [11]],
      [3, [12]],
    ]);
    expect(await logOf('b')).toEqual([
      [1, [20]],
      [2, [21]],
    ]);
  });

  it('settles no step before its batch has committed', async () => {
    const [a, b] = [await own('a'), await own('b')];
    // b's step will wait on a lock held here, after a's step has run in the same transaction.
    await admin.query('CREATE TABLE hold (n int)');
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE hold IN ACCESS EXCLUSIVE MODE');
    let aSettled = false;
    const first = step('a', a, bytes(1)).finally(() => {
      aSettled = true;
    });
    const second = step('b', b, bytes(2), async () => {
      await sql(store, 'SELECT count(*) FROM hold');
    });
    // Another session watches (the admin's own reads of pg_stat_activity are one snapshot per transaction).
    const seen = new pg.Client({ connectionString: db.url });
    await seen.connect();
    try {
      // Once b's statement is seen waiting for the lock, a's step has run and the batch is still open.
      for (;;) {
        const { rows } = await seen.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM hold%'",
        );
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(aSettled).toBe(false);
      // Nothing of the batch is visible to another session either.
      expect((await seen.query('SELECT count(*)::int AS n FROM section_updates')).rows[0].n).toBe(0);
      await admin.query('COMMIT');
      expect(await first).toEqual({ epoch: 1, seq: 1 });
      expect(await second).toEqual({ epoch: 1, seq: 1 });
      expect((await seen.query('SELECT count(*)::int AS n FROM section_updates')).rows[0].n).toBe(2);
    } finally {
      await seen.end();
    }
  });

  it('fails every step of a batch whose commit fails, and stores none of them', async () => {
    const [a, b] = [await own('a'), await own('b')];
    // A deferred constraint is checked at COMMIT: the batch's commit fails after both steps ran.
    await admin.query(`
      CREATE TABLE commit_check (n int UNIQUE DEFERRABLE INITIALLY DEFERRED);
      INSERT INTO commit_check VALUES (1);
      CREATE FUNCTION clash() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO commit_check VALUES (1); RETURN NEW; END $$;
      CREATE TRIGGER clash AFTER INSERT ON section_updates FOR EACH ROW
        WHEN (get_byte(NEW.update_data, 0) = 9) EXECUTE FUNCTION clash();`);
    const results = await Promise.allSettled([step('a', a, bytes(1)), step('b', b, bytes(9))]);
    expect(store.groupCommitStats()?.largestBatch).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const reasons = results.map((r) => (r.status === 'rejected' ? String(r.reason) : ''));
    expect(reasons[0]).toMatch(/duplicate key/);
    expect(reasons[1]).toBe(reasons[0]);
    expect(await logOf('a')).toEqual([]);
    expect(await logOf('b')).toEqual([]);
    expect(await store.ownership.head(D, 'a')).toEqual({ epoch: 1, seq: 0 });
  });

  it('writes an HTTP command’s idempotency key with its step, and not when the step fails alone', async () => {
    const [a, b] = [await own('a'), await own('b')];
    const claimOf = (key: string): IdempotencyClaim => ({
      userId: 'u1',
      key,
      fingerprint: 'f',
      claimId: `claim-${key}`,
      createdAt: 1,
      claimed: false,
      ended: false,
    });
    const kept = claimOf('kept');
    const lost = claimOf('lost');
    // Each step submitted from inside its own request's scope, as a command's room step is.
    const results = await Promise.allSettled([
      idempotencyScope.run(kept, () => step('a', a, bytes(1))),
      idempotencyScope.run(lost, () =>
        step('b', b, bytes(2), async () => {
          throw new Error('refused after writing');
        }),
      ),
    ]);
    expect(store.groupCommitStats()?.largestBatch).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(kept.claimed).toBe(true);
    expect(lost.claimed).toBe(false);
    expect((await store.idempotency.find('u1', 'kept'))?.claimId).toBe('claim-kept');
    expect(await store.idempotency.find('u1', 'lost')).toBeNull();
  });

  it('runs a step in its caller’s async context and joins a transaction already open', async () => {
    const a = await own('a');
    // Inside an open transaction the step is that transaction's, not a batch's.
    const before = store.groupCommitStats()?.steps;
    await store.transaction(async () => {
      await step('a', a, bytes(1));
    });
    expect(store.groupCommitStats()?.steps).toBe(before);
    expect(await logOf('a')).toEqual([[1, [1]]]);
  });
});

describe.skipIf(!postgresAvailable())('a room on PostgreSQL with group commit', () => {
  const DOC = 'gb-999-gc-1';
  let db: TestDatabase;
  let server: TestServer;
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server?.stop();
    await db?.drop();
  });

  /** A websocket ping answered: whatever the server sent the client before its pong has arrived. */
  const pong = (ws: WebSocket) =>
    new Promise<void>((resolve) => {
      ws.once('pong', () => resolve());
      ws.ping();
    });
  const textOf = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();

  it('relays nothing of two sections’ updates until their commit is done', async () => {
    db = await createTestDatabase();
    server = await startTestServer({ databaseUrl: db.url, document: consultationDocument(DOC) });
    const office = await buildUser(server.store, { username: 'office', role: 'secretariat', group: null });
    const token = await server.login(office);
    const open = async (section: string) => {
      const c = connectProvider(server.url, `${DOC}/${section}`, token);
      cleanups.push(() => c.provider.destroy());
      await waitForSync(c.provider);
      return c;
    };
    const [writer1, watcher1, writer2, watcher2] = [
      await open('part-1'),
      await open('part-1'),
      await open('decision'),
      await open('decision'),
    ];
    // Every insert of an update waits for this lock: the steps are stored, not yet committed.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const seen = new pg.Client({ connectionString: db.url });
    await seen.connect();
    cleanups.push(
      () => void admin.end(),
      () => void seen.end(),
    );
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE section_updates IN SHARE MODE');
    typeInto(writer1.doc, ' GROUPE-UN');
    typeInto(writer2.doc, ' GROUPE-DEUX');
    for (;;) {
      const { rows } = await seen.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%section_updates%' AND pid <> pg_backend_pid()",
      );
      if (rows[0].n >= 2) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Both steps wait inside their transaction: the watchers have received nothing of them.
    const ws = (c: { provider: { ws: unknown } }) => c.provider.ws as WebSocket;
    await Promise.all([pong(ws(watcher1)), pong(ws(watcher2))]);
    expect(textOf(watcher1.doc)).not.toContain('GROUPE-UN');
    expect(textOf(watcher2.doc)).not.toContain('GROUPE-DEUX');
    await admin.query('COMMIT');
    await eventually(() => expect(textOf(watcher1.doc)).toContain('GROUPE-UN'));
    await eventually(() => expect(textOf(watcher2.doc)).toContain('GROUPE-DEUX'));
  });
});

/** A raw statement on the store's current connection (the step's transaction when inside one). */
async function sql(store: PostgresStore, text: string): Promise<void> {
  // findUserById runs on the current transaction's connection; a raw query needs the same one.
  const { sql: tag } = await import('kysely');
  const db = (store as unknown as { q: { db(): import('../../server/storage/kysely/schema.js').Db } }).q.db();
  await tag.raw(text).execute(db);
}
