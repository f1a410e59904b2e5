import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getMigrations } from '../../server/storage/kysely/migrations.js';
import type { Tables } from '../../server/storage/kysely/schema.js';

/**
 * Migration 0004 on a store made before issue 13: English State names (as the demo and the CLI stored
 * them) become ISO codes in users and owner keys; the append-only audit log keeps what it recorded.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0004_states_by_code', () => {
  it('maps English names to codes in users and owner keys, leaves unknown names and the audit log alone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'concord-migration-'));
    dirs.push(dir);
    const raw = new Database(path.join(dir, 'concord.sqlite'));
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) });
    try {
      const migrator = new Migrator({
        db: db as unknown as Kysely<unknown>,
        provider: { getMigrations: async () => getMigrations('sqlite') },
      });
      // A store from before issue 13: every migration up to 0003.
      expect((await migrator.migrateTo('0003_idempotency')).error).toBeUndefined();

      const user = (id: string, memberState: string | null) => ({
        id,
        username: id,
        name: id,
        role: 'delegate',
        grp: 'government',
        member_state: memberState,
        password_hash: 'x',
        demo: 1,
        created_at: 1,
      });
      await db
        .insertInto('users')
        .values([user('za', 'South Africa'), user('fr', 'France'), user('xx', 'Atlantis'), user('ng', 'NG')])
        .execute();
      const binding = (id: string, ownerKey: string) => ({
        id,
        document_id: 'd',
        section_id: 's',
        owner_key: ownerKey,
        user_id: 'za',
        created_at: 1,
      });
      await db
        .insertInto('suggestion_owners')
        .values([
          binding('a1', 'government:South Africa'),
          binding('a2', 'workers'),
          binding('a3', 'government:Atlantis'),
          binding('a4', 'government:United Republic of Tanzania'),
        ])
        .execute();
      await db
        .insertInto('audit_log')
        .values({
          at: 1,
          user_id: 'za',
          user_name: 'za',
          role: 'delegate',
          action: 'created',
          document_id: 'd',
          target_type: 'amendment',
          target_id: 'a1',
          target_ref: 'A-1',
          details: JSON.stringify({ ownerKey: 'government:South Africa' }),
          via: 'http',
          ip: null,
          user_agent: null,
        })
        .execute();

      const { error, results } = await migrator.migrateToLatest();
      expect(error).toBeUndefined();
      expect(results?.map((r) => r.migrationName)[0]).toBe('0004_states_by_code');

      const users = await db.selectFrom('users').select(['id', 'member_state']).orderBy('id').execute();
      expect(users).toEqual([
        { id: 'fr', member_state: 'FR' },
        { id: 'ng', member_state: 'NG' },
        { id: 'xx', member_state: 'Atlantis' },
        { id: 'za', member_state: 'ZA' },
      ]);
      const owners = await db.selectFrom('suggestion_owners').select(['id', 'owner_key']).orderBy('id').execute();
      expect(owners.map((o) => o.owner_key)).toEqual(['government:ZA', 'workers', 'government:Atlantis', 'government:TZ']);
      const audit = await db.selectFrom('audit_log').select('details').execute();
      expect(audit).toEqual([{ details: JSON.stringify({ ownerKey: 'government:South Africa' }) }]);
      // The new tables are there and empty.
      expect(await db.selectFrom('regional_groups').selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
