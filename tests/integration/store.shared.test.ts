import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, setUpDemoIfEmpty } from '../../server/commands/demo.js';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { LEGACY_SQLITE_SCHEMA } from '../support/legacySqliteSchema.js';

/** Every migration, in name order: a database at the latest version has run all of them. */
const ALL_MIGRATIONS = [
  '0001_initial',
  '0002_section_ownership',
  '0003_idempotency',
  '0004_states_by_code',
  '0005_amendment_seconders',
  '0006_section_visits',
  '0007_account_administration',
  '0008_draft_circles',
  '0013_update_epochs',
];

import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { AFRICA } from '../support/regions.js';
import { storedAmendment } from '../support/storeEngines.js';

/** Several stores ("processes") on one database, and data folders made by earlier releases. */

const amendment = (id: string) => storedAmendment(id);

describe('SQLite data folder made by the hand-written store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is recognised as schema version 1: kept as it is, with the columns later releases added', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'concord-legacy-'));
    dirs.push(dir);
    const file = path.join(dir, 'concord.sqlite');
    const legacy = new Database(file);
    legacy.exec(LEGACY_SQLITE_SCHEMA);
    legacy
      .prepare('INSERT INTO documents (id, symbol, title, language, position) VALUES (?, ?, ?, ?, ?)')
      .run('doc', 'GB.1', 'Old', 'fr', 0);
    legacy
      .prepare('INSERT INTO section_updates (document_id, section_id, update_data) VALUES (?, ?, ?)')
      .run('doc', 'part-1', Buffer.from([1, 2, 3]));
    legacy.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.listDocuments()).toEqual([
        { id: 'doc', symbol: 'GB.1', title: 'Old', language: 'fr', date: null },
      ]);
      expect((await store.loadUpdates('doc', 'part-1')).map((u) => [...u.update])).toEqual([[1, 2, 3]]);
      const created = await store.amendments.create(amendment('a1'));
      expect(created.ref).toBe('A-1');
      expect(created.form).toBeNull();
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      const migrations = check.prepare('SELECT name FROM kysely_migration').all() as { name: string }[];
      expect(migrations.map((m) => m.name)).toEqual(ALL_MIGRATIONS);
      expect(() => check.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow();
    } finally {
      check.close();
    }
    // Opened again: nothing to migrate, nothing lost.
    const again = new SqliteStore(file);
    expect((await again.amendments.get('a1'))?.ref).toBe('A-1');
    await again.close();
  });
});

describe.skipIf(!postgresAvailable())('several processes on one PostgreSQL database', () => {
  let db: TestDatabase | null = null;
  const stores: PostgresStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await db?.drop();
    db = null;
  });

  async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: db?.url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }

  it('start at once on an empty database: the schema is migrated once and the demo set up once', async () => {
    db = await createTestDatabase();
    const url = db.url;
    const opened = Array.from({ length: 4 }, () => new PostgresStore(url));
    stores.push(...opened);
    const setUp = await Promise.all(opened.map((s) => setUpDemoIfEmpty(s)));
    expect(setUp.filter(Boolean)).toHaveLength(1);
    for (const s of opened) {
      expect((await s.listUsers()).length).toBe(DEMO_ACCOUNTS.length);
      expect((await s.listDocuments()).length).toBe(1);
    }
    expect(
      (await query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).map((r) => r.name),
    ).toEqual(ALL_MIGRATIONS);
  });

  it('keep one unused sign-in link per account, however many are sent at once from several processes', async () => {
    db = await createTestDatabase();
    const a = new PostgresStore(db.url);
    const b = new PostgresStore(db.url);
    stores.push(a, b);
    await setUpDemoIfEmpty(a);
    const user = (await a.listUsers())[0];
    if (!user) throw new Error('no demo account');
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).createSignInLink({ tokenHash: `h${i}`, userId: user.id, createdAt: now, expiresAt: now + 3_600_000 }),
      ),
    );
    const unused = await query<{ token_hash: string }>(
      `SELECT token_hash FROM sign_in_links WHERE user_id = '${user.id}' AND used_at IS NULL`,
    );
    expect(unused).toHaveLength(1);
    const session = { tokenHash: 'session', createdAt: now, expiresAt: now + 3_600_000 };
    expect(await b.signInByLink(unused[0]?.token_hash ?? '', now, session)).toBe(user.id);
  });

  it('a link sign-in racing a password reset or a deactivation leaves no session standing', async () => {
    db = await createTestDatabase();
    const a = new PostgresStore(db.url);
    const b = new PostgresStore(db.url);
    stores.push(a, b);
    await setUpDemoIfEmpty(a);
    const user = (await a.listUsers()).find((u) => u.role === 'delegate');
    if (!user) throw new Error('no demo delegate');
    const now = Date.now();
    const endIt = (i: number) => (i % 2 ? a.setPasswordHash(user.id, `hash${i}`) : a.setUserDeactivated(user.id, now));
    for (let i = 0; i < 30; i++) {
      await a.createSignInLink({ tokenHash: `link${i}`, userId: user.id, createdAt: now, expiresAt: now + 3_600_000 });
      const session = { tokenHash: `session${i}`, createdAt: now, expiresAt: now + 3_600_000 };
      // Each order in turn: the sign-in wholly first, the reset or deactivation wholly first, and both at once.
      const order = i % 3;
      let by: string | null;
      if (order === 0) {
        by = await b.signInByLink(`link${i}`, now, session);
        expect(by).toBe(user.id);
        await endIt(i);
      } else if (order === 1) {
        await endIt(i);
        by = await b.signInByLink(`link${i}`, now, session);
        expect(by).toBeNull();
      } else {
        [by] = await Promise.all([b.signInByLink(`link${i}`, now, session), endIt(i)]);
      }
      // Whichever went first, the reset or the deactivation ended what the link gave.
      expect(await a.findSession(`session${i}`)).toBeNull();
      expect(await b.signInByLink(`link${i}`, now, { ...session, tokenHash: `again${i}` })).toBeNull();
      if (i % 2 === 0) await a.setUserDeactivated(user.id, null);
    }
  });

  it('allocate amendment references atomically and bind first-wins across processes', async () => {
    db = await createTestDatabase();
    const a = new PostgresStore(db.url);
    const b = new PostgresStore(db.url);
    stores.push(a, b);
    const created = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).amendments.create(amendment(`am${i}`))),
    );
    const refs = created.map((c) => Number(c.ref.slice(2))).sort((x, y) => x - y);
    expect(refs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const drafts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).amendments.create({ ...amendment(`dr${i}`), status: 'draft' }),
      ),
    );
    expect(new Set(drafts.map((d) => d.ref)).size).toBe(10);
    const bound = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).bindClient('doc', 'part-1', 42, `user${i}`)),
    );
    expect(new Set(bound).size).toBe(1);
  });

  it('set the memberships of two States of one regional group at once: both count', async () => {
    db = await createTestDatabase();
    const a = new PostgresStore(db.url);
    const b = new PostgresStore(db.url);
    stores.push(a, b);
    await a.saveRegionalGroup({ ...AFRICA, members: ['ZA'] });
    await a.saveRegionalGroup({ ...AFRICA, code: 'SADC', shortName: 'SADC', members: ['ZA'] });
    // Twelve States join AFRICA through two processes at once; ZA leaves SADC meanwhile.
    const states = ['NG', 'KE', 'GH', 'SN', 'EG', 'MA', 'ET', 'TZ', 'UG', 'RW', 'CM', 'CI'];
    const results = await Promise.all([
      ...states.map((state, i) => (i % 2 ? a : b).setStateRegions(state, ['AFRICA'])),
      a.setStateRegions('ZA', ['AFRICA']),
    ]);
    expect(results.every((r) => r.unknown.length === 0)).toBe(true);
    const groups = await b.listRegionalGroups();
    expect(groups.find((g) => g.code === 'AFRICA')?.members).toEqual([...states, 'ZA'].sort());
    expect(groups.find((g) => g.code === 'SADC')?.members).toEqual([]);
    // An unknown group changes nothing.
    expect(await a.setStateRegions('NG', ['AFRICA', 'NOWHERE'])).toEqual({
      unknown: ['NOWHERE'],
      before: [],
      after: [],
    });
    expect((await b.listRegionalGroups()).find((g) => g.code === 'AFRICA')?.members).toContain('NG');
  });

  it('refuse any change to the audit log and to versions, even by hand', async () => {
    db = await createTestDatabase();
    const store = new PostgresStore(db.url);
    stores.push(store);
    await store.audit.append({
      at: 1,
      userId: 'u',
      userName: 'U',
      role: 'secretariat',
      action: 'x',
      documentId: 'doc',
      targetType: 'amendment',
      targetId: 't',
      targetRef: null,
      details: {},
      via: 'system',
      ip: null,
      userAgent: null,
    });
    await store.versions.create({
      id: 'v1',
      documentId: 'doc',
      name: 'V',
      createdAt: 1,
      createdById: 'u',
      createdByName: 'U',
      roundId: null,
      sections: [],
    });
    await expect(query("UPDATE audit_log SET action = 'y'")).rejects.toThrow(/append-only/);
    await expect(query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    await expect(query("UPDATE versions SET name = 'W'")).rejects.toThrow(/immutable/);
    await expect(query('DELETE FROM versions')).rejects.toThrow(/immutable/);
    await expect(query('TRUNCATE versions')).rejects.toThrow(/immutable/);
    expect((await store.audit.all('doc')).map((e) => e.action)).toEqual(['x']);
    expect((await store.versions.get('v1'))?.name).toBe('V');
  });
});
