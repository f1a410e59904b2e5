import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { getMigrations } from '../../server/storage/kysely/migrations.js';
import type { Tables } from '../../server/storage/kysely/schema.js';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import type { Store } from '../../server/storage/Store.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { expectFencedLog } from '../support/replayCheck.js';

/**
 * Migration 0013 on a store whose sections already had owners: the rows stored before carry no epoch
 * (null), the head and its numbering go on, and the fenced log's checks hold across the change.
 */

const MIGRATION = '0013_update_epochs';
const [D, S] = ['doc', 'part-1'];

interface Engine {
  name: 'sqlite' | 'postgres';
  /** A database migrated by every migration but 0013 (a store of the release before). */
  before(): Promise<Kysely<Tables>>;
  /** The current store on that database: it runs 0013 as it opens. */
  open(): Promise<Store>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function migrateAllBut(db: Kysely<Tables>, engine: Engine['name']): Promise<void> {
  const { [MIGRATION]: _, ...earlier } = getMigrations(engine);
  const migrator = new Migrator({
    db: db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => earlier },
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
  expect(error).toBeUndefined();
}

function sqlite(): Engine {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-migration-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'concord.sqlite');
  return {
    name: 'sqlite',
    async before() {
      const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new Database(file) }) });
      await migrateAllBut(db, 'sqlite');
      return db;
    },
    async open() {
      const store = new SqliteStore(file);
      cleanups.push(() => store.close());
      return store;
    },
  };
}

async function postgres(): Promise<Engine> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return {
    name: 'postgres',
    async before() {
      const db = new Kysely<Tables>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 1 }) }),
      });
      await migrateAllBut(db, 'postgres');
      return db;
    },
    async open() {
      const store = new PostgresStore(database.url);
      cleanups.push(() => store.close());
      return store;
    },
  };
}

const engines: { name: string; make: () => Promise<Engine> }[] = [{ name: 'sqlite', make: async () => sqlite() }];
if (postgresAvailable()) engines.push({ name: 'postgres', make: postgres });

describe.each(engines)(`migration ${MIGRATION} on $name`, ({ make }) => {
  it('leaves rows stored before without an epoch; the owners after record theirs; the fenced log still holds', async () => {
    const engine = await make();
    const old = await engine.before();
    try {
      // Imported text (no owner), then two rows of an owner at epoch 1, as the release before stored them.
      const row = (update: number, headSeq: number | null) => ({
        document_id: D,
        section_id: S,
        update_data: Buffer.from([update]),
        head_seq: headSeq,
      });
      await old.insertInto('section_updates').values(row(0, null)).execute();
      await old.insertInto('section_head').values({ document_id: D, section_id: S, epoch: 1, seq: 2 }).execute();
      await old
        .insertInto('section_updates')
        .values([row(1, 1), row(2, 2)])
        .execute();
    } finally {
      await old.destroy();
    }

    const store = await engine.open();
    const log = async () => (await store.ownership.log(D, S, 0)).map((r) => [r.headEpoch, r.headSeq, [...r.update]]);
    expect(await log()).toEqual([
      [null, null, [0]],
      [null, 1, [1]],
      [null, 2, [2]],
    ]);
    await expectFencedLog(store, D, S);

    const taken = await store.ownership.takeOver(D, S, 'B', 60_000);
    if (!taken.ok) throw new Error('not taken');
    expect(taken.fence).toEqual({ epoch: 2, seq: 2 });
    const next = await store.ownership.append(D, S, taken.fence, new Uint8Array([3]));
    await store.ownership.append(D, S, next, new Uint8Array([4]));
    expect(await log()).toEqual([
      [null, null, [0]],
      [null, 1, [1]],
      [null, 2, [2]],
      [2, 3, [3]],
      [2, 4, [4]],
    ]);
    await expectFencedLog(store, D, S, [], taken.fence);
    expect((await store.ownership.log(D, S, 2)).map((r) => r.headEpoch)).toEqual([2, 2]);
    expect((await store.loadUpdates(D, S)).map((u) => [...u.update])).toEqual([[0], [1], [2], [3], [4]]);
  });
});
