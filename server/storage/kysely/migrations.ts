import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { stateCode } from '../../../shared/states.js';
import type { Db, Engine } from './schema.js';

/**
 * Versioned schema, run at start by Kysely's Migrator. On PostgreSQL the Migrator holds an advisory
 * lock while it works, so that several processes starting at once on an empty database migrate it
 * once; SQLite has one server per data folder (dataDirLock.ts).
 *
 * Migration 1 is the schema the hand-written SQLite store created. Data folders made by it have no
 * migration table yet: every statement of migration 1 is "if not exists" (and columns added by later
 * releases of that store are added when missing), so such a database is recognised as version 1 and
 * kept as it is.
 */
function initial(engine: Engine): Migration {
  const pg = engine === 'postgres';
  // Timestamps in milliseconds and Yjs clientIDs need 64 bits on PostgreSQL; SQLite's integer has them.
  const int = pg ? 'bigint' : 'integer';
  const blob = pg ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      const serial = <T extends { primaryKey(): T; autoIncrement(): T; generatedByDefaultAsIdentity(): T }>(c: T) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
      const s = db.schema;
      await s
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('grp', 'text')
        .addColumn('member_state', 'text')
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('demo', int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', int, (c) => c.notNull())
        .execute();
      await s
        .createTable('sessions')
        .ifNotExists()
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('expires_at', int, (c) => c.notNull())
        .execute();
      await s
        .createTable('documents')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('symbol', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('position', int, (c) => c.notNull())
        .addColumn('date', 'text')
        .addColumn('date_name', 'text')
        .execute();
      await s
        .createTable('sections')
        .ifNotExists()
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('position', int, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('paragraphs', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sections_pk', ['document_id', 'id'])
        .execute();
      await s
        .createTable('section_updates')
        .ifNotExists()
        .addColumn('seq', int, serial)
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('update_data', blob, (c) => c.notNull())
        .execute();
      await s
        .createIndex('section_updates_room')
        .ifNotExists()
        .on('section_updates')
        .columns(['document_id', 'section_id', 'seq'])
        .execute();
      await s
        .createTable('client_bindings')
        .ifNotExists()
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('client_id', int, (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('client_bindings_pk', ['document_id', 'section_id', 'client_id'])
        .execute();
      await s
        .createTable('suggestion_owners')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('created_at', int, (c) => c.notNull())
        .execute();

      // Amendments
      await s
        .createTable('amendment_counters')
        .ifNotExists()
        .addColumn('document_id', 'text', (c) => c.primaryKey())
        .addColumn('last', int, (c) => c.notNull())
        .execute();
      await s
        .createTable('amendments')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('ref_number', int, (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('paragraphs', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('original_text', 'text', (c) => c.notNull())
        .addColumn('proposed_text', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('grp', 'text')
        .addColumn('member_state', 'text')
        .addColumn('rationale', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('updated_at', int, (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('form', 'text')
        .addColumn('modified_text', 'text')
        .addColumn('trace', 'text')
        .addUniqueConstraint('amendments_ref', ['document_id', 'ref_number'])
        .execute();
      await s
        .createIndex('amendments_section')
        .ifNotExists()
        .on('amendments')
        .columns(['document_id', 'section_id', 'status'])
        .execute();
      await s
        .createTable('amendment_events')
        .ifNotExists()
        .addColumn('seq', int, serial)
        .addColumn('amendment_id', 'text', (c) => c.notNull().references('amendments.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull())
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', int, (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await s
        .createIndex('amendment_events_amendment')
        .ifNotExists()
        .on('amendment_events')
        .columns(['amendment_id', 'seq'])
        .execute();
      await s
        .createTable('amendment_votes')
        .ifNotExists()
        .addColumn('amendment_id', 'text', (c) => c.notNull().references('amendments.id').onDelete('cascade'))
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('stance', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull())
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('amendment_votes_pk', ['amendment_id', 'owner_key'])
        .execute();
      await s
        .createTable('amendment_cosponsors')
        .ifNotExists()
        .addColumn('amendment_id', 'text', (c) => c.notNull().references('amendments.id').onDelete('cascade'))
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull())
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('amendment_cosponsors_pk', ['amendment_id', 'owner_key'])
        .execute();

      // Audit log (append-only, below)
      await s
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('seq', int, serial)
        .addColumn('at', int, (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('target_ref', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await s.createIndex('audit_log_document').ifNotExists().on('audit_log').columns(['document_id', 'seq']).execute();

      await s
        .createTable('corrections')
        .ifNotExists()
        .addColumn('seq', int, serial)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('paragraph', int)
        .addColumn('before_text', 'text', (c) => c.notNull())
        .addColumn('after_text', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull())
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('started_at', int, (c) => c.notNull())
        .addColumn('at', int, (c) => c.notNull())
        .addColumn('audited', int, (c) => c.notNull().defaultTo(0))
        .execute();
      await s
        .createIndex('corrections_section')
        .ifNotExists()
        .on('corrections')
        .columns(['document_id', 'section_id', 'seq'])
        .execute();

      await s
        .createTable('imports')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('preview', 'text', (c) => c.notNull())
        .execute();
      await s
        .createIndex('imports_document')
        .ifNotExists()
        .on('imports')
        .columns(['document_id', 'created_at'])
        .execute();

      await s
        .createTable('rounds')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('number', int, (c) => c.notNull())
        .addColumn('amendment_deadline', int, (c) => c.notNull())
        .addColumn('sub_amendment_deadline', int, (c) => c.notNull())
        .addColumn('opened_at', int, (c) => c.notNull())
        .addColumn('opened_by_id', 'text', (c) => c.notNull())
        .addColumn('opened_by_name', 'text', (c) => c.notNull())
        .addColumn('closed_at', int)
        .addColumn('closed_by_id', 'text')
        .addColumn('closed_by_name', 'text')
        .addColumn('version_id', 'text')
        .addUniqueConstraint('rounds_number', ['document_id', 'number'])
        .execute();

      // Versions (immutable, below). SQLite lists them in insertion order by rowid; PostgreSQL has no
      // rowid, so it gets an identity column for the same order.
      let versions = s
        .createTable('versions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('created_by_id', 'text', (c) => c.notNull())
        .addColumn('created_by_name', 'text', (c) => c.notNull())
        .addColumn('round_id', 'text')
        .addColumn('sections', 'text', (c) => c.notNull());
      if (pg) versions = versions.addColumn('ord', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity());
      await versions.execute();
      await s
        .createIndex('versions_document')
        .ifNotExists()
        .on('versions')
        .columns(['document_id', 'created_at'])
        .execute();

      // Threads
      await s
        .createTable('threads')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('paragraph', int)
        .addColumn('anchor_from', 'text')
        .addColumn('anchor_to', 'text')
        .addColumn('anchor_quote', 'text')
        .addColumn('amendment_id', 'text')
        .addColumn('visibility', 'text', (c) => c.notNull())
        .addColumn('grp', 'text')
        .addColumn('resolved', int, (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('updated_at', int, (c) => c.notNull())
        .execute();
      await s
        .createIndex('threads_document')
        .ifNotExists()
        .on('threads')
        .columns(['document_id', 'created_at'])
        .execute();
      await s
        .createTable('comments')
        .ifNotExists()
        .addColumn('seq', int, serial)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('thread_id', 'text', (c) => c.notNull().references('threads.id').onDelete('cascade'))
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('author_role', 'text', (c) => c.notNull())
        .addColumn('author_group', 'text')
        .addColumn('author_member_state', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('edited_at', int)
        .addColumn('deleted', int, (c) => c.notNull().defaultTo(0))
        .execute();
      await s.createIndex('comments_thread').ifNotExists().on('comments').columns(['thread_id', 'seq']).execute();
      await s
        .createTable('section_reads')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('last_seq', int, (c) => c.notNull())
        .addColumn('read_at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('section_reads_pk', ['user_id', 'document_id', 'section_id'])
        .execute();

      if (pg) await appendOnlyPostgres(db);
      else {
        await addMissingSqliteColumns(db);
        await appendOnlySqlite(db);
      }
    },
  };
}

/**
 * One writer per section (storage/sectionFence.ts): each section's head (the epoch of its current owner
 * and the owner's row count), its lease, and the owner's number on each row it stored, so that a
 * relaying process sees a gap and a replay sees each number once.
 */
function sectionOwnership(engine: Engine): Migration {
  const int = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      const s = db.schema;
      await s
        .createTable('section_head')
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('epoch', int, (c) => c.notNull())
        .addColumn('seq', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('section_head_pk', ['document_id', 'section_id'])
        .execute();
      await s
        .createTable('section_lease')
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('section_lease_pk', ['document_id', 'section_id'])
        .execute();
      await s.alterTable('section_updates').addColumn('head_seq', int).execute();
      await s
        .createIndex('section_updates_head_seq')
        .unique()
        .on('section_updates')
        .columns(['document_id', 'section_id', 'head_seq'])
        .execute();
    },
  };
}

/** Columns the hand-written SQLite store added after its first release, on folders that predate them. */
const ADDED_SQLITE_COLUMNS: [table: string, column: string, definition: string][] = [
  ['documents', 'date', 'TEXT'],
  ['documents', 'date_name', 'TEXT'],
  ['amendments', 'parent_id', 'TEXT'],
  ['amendments', 'form', 'TEXT'],
  ['amendments', 'modified_text', 'TEXT'],
  ['amendments', 'trace', 'TEXT'],
  ['amendment_events', 'note', 'TEXT'],
];

async function addMissingSqliteColumns(db: Kysely<unknown>): Promise<void> {
  for (const [table, column, definition] of ADDED_SQLITE_COLUMNS) {
    const { rows } = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db);
    if (!rows.some((c) => c.name === column)) {
      await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN ${sql.ref(column)} ${sql.raw(definition)}`.execute(db);
    }
  }
}

/** Versions and the audit log refuse UPDATE and DELETE: not even a bug or a hand-run statement rewrites them. */
const APPEND_ONLY: [table: string, message: string][] = [
  ['audit_log', 'the audit log is append-only'],
  ['versions', 'versions are immutable'],
];

async function appendOnlySqlite(db: Kysely<unknown>): Promise<void> {
  for (const [table, message] of APPEND_ONLY) {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op} BEFORE ${op.toUpperCase()} ON ${table}
           BEGIN SELECT RAISE(ABORT, '${message}'); END`,
        )
        .execute(db);
    }
  }
}

/**
 * When each user last viewed each section ("what's new since my last visit"). Apart from
 * `section_reads`, which follows comments read, this follows the text seen: amendments and decisions too.
 */
function sectionVisits(engine: Engine): Migration {
  const int = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('section_visits')
        .ifNotExists()
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('section_id', 'text', (c) => c.notNull())
        .addColumn('first_visited_at', int, (c) => c.notNull())
        .addColumn('visited_at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('section_visits_pk', ['user_id', 'document_id', 'section_id'])
        .execute();
    },
  };
}

async function appendOnlyPostgres(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION concord_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$`,
    )
    .execute(db);
  for (const [table, message] of APPEND_ONLY) {
    // Row triggers for UPDATE and DELETE, a statement trigger for TRUNCATE (which skips row triggers).
    await sql
      .raw(
        `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION concord_refuse_change('${message}')`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION concord_refuse_change('${message}')`,
      )
      .execute(db);
  }
}

/**
 * Idempotency keys of HTTP commands: the key, its user and a fingerprint of the request are written in
 * the transaction that commits the command's effect; the answer is added once it is known.
 */
function idempotency(engine: Engine): Migration {
  const int = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('claim_id', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('body', 'text')
        .addColumn('created_at', int, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'idem_key'])
        .execute();
      await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
    },
  };
}

/** Columns that hold an owner key (`government:South Africa` before issue 13, `government:ZA` after). */
const OWNER_KEY_COLUMNS: [table: string, column: string][] = [
  ['suggestion_owners', 'owner_key'],
  ['amendments', 'owner_key'],
  ['amendment_votes', 'owner_key'],
  ['amendment_cosponsors', 'owner_key'],
  ['imports', 'owner_key'],
];

/** Columns that hold a member State (an English name before issue 13, an ISO 3166-1 alpha-2 code after). */
const STATE_COLUMNS: [table: string, column: string][] = [
  ['users', 'member_state'],
  ['amendments', 'member_state'],
  ['comments', 'author_member_state'],
];

/**
 * Issue 13: States by code, regional groups as data, and the circle a thread is visible to.
 * The English names the demo and the CLI stored are mapped to their codes with shared/states.ts (in
 * JavaScript, so both engines map alike); a name CLDR does not know stays as it was. The audit log and
 * versions are append-only and keep their names: their readers map them (parseOwnerKey, stateName).
 */
function statesByCode(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [table, column] of STATE_COLUMNS) {
        const { rows } = await sql<{ value: string }>`
          SELECT DISTINCT ${sql.ref(column)} AS value FROM ${sql.table(table)} WHERE ${sql.ref(column)} IS NOT NULL`.execute(
          db,
        );
        for (const { value } of rows) {
          const code = stateCode(value);
          if (!code || code === value) continue;
          await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${code} WHERE ${sql.ref(column)} = ${value}`.execute(
            db,
          );
        }
      }
      for (const [table, column] of OWNER_KEY_COLUMNS) {
        const { rows } = await sql<{ value: string }>`
          SELECT DISTINCT ${sql.ref(column)} AS value FROM ${sql.table(table)}
          WHERE ${sql.ref(column)} LIKE 'government:%'`.execute(db);
        for (const { value } of rows) {
          const code = stateCode(value.slice('government:'.length));
          if (!code || `government:${code}` === value) continue;
          await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${`government:${code}`}
                    WHERE ${sql.ref(column)} = ${value}`.execute(db);
        }
      }
      const s = db.schema;
      await s
        .createTable('regional_groups')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('name_fr', 'text', (c) => c.notNull())
        .addColumn('name_es', 'text', (c) => c.notNull())
        .addColumn('short_name', 'text', (c) => c.notNull())
        .execute();
      await s
        .createTable('regional_group_members')
        .addColumn('group_code', 'text', (c) => c.notNull().references('regional_groups.code').onDelete('cascade'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('regional_group_members_pk', ['group_code', 'state'])
        .execute();
      await s.createIndex('regional_group_members_state').on('regional_group_members').column('state').execute();
      // The owner key a delegation-only or region-only thread is visible to (`government:ZA`, `region:AFRICA`).
      await s.alterTable('threads').addColumn('circle', 'text').execute();
    },
  };
}

/**
 * One State's amendment waits for a seconder (issue 13): one row per seconded amendment, kept apart
 * from the amendment row so that seconding never races an edit of the record itself.
 */
function seconders(engine: Engine): Migration {
  const int = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('amendment_seconders')
        .ifNotExists()
        .addColumn('amendment_id', 'text', (c) => c.primaryKey().references('amendments.id').onDelete('cascade'))
        .addColumn('owner_key', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull())
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('at', int, (c) => c.notNull())
        .addColumn('in_room', int, (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}

/** The Office administers accounts in the browser: deactivation, and one-time sign-in links (stored hashed). */
function accountAdministration(engine: Engine): Migration {
  const int = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('deactivated_at', int).execute();
      await db.schema
        .createTable('sign_in_links')
        .ifNotExists()
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', int, (c) => c.notNull())
        .addColumn('expires_at', int, (c) => c.notNull())
        .addColumn('used_at', int)
        .execute();
    },
  };
}

/**
 * A draft's circle (issue 13): my delegation, my regional group, my group or everyone. Null, as every
 * draft made before, is its group.
 */
function draftCircles(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('amendments').addColumn('draft_circle', 'text').execute();
    },
  };
}

/**
 * Each row of a section's log names the epoch of the owner that wrote it, beside its number
 * (`head_seq`): the fence's "no commit of a stale epoch" can be read off the rows, and a replica that
 * fetches rows sees at once that the section changed hands. Rows stored before keep null: unknown.
 */
function updateEpochs(engine: Engine): Migration {
  const int = engine === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('section_updates').addColumn('head_epoch', int).execute();
    },
  };
}

/** Every migration of the schema, by name (Kysely runs them in name order). */
export function getMigrations(engine: Engine): Record<string, Migration> {
  return {
    '0001_initial': initial(engine),
    '0002_section_ownership': sectionOwnership(engine),
    '0003_idempotency': idempotency(engine),
    '0004_states_by_code': statesByCode(),
    '0005_amendment_seconders': seconders(engine),
    '0006_section_visits': sectionVisits(engine),
    '0007_account_administration': accountAdministration(engine),
    '0008_draft_circles': draftCircles(),
    '0013_update_epochs': updateEpochs(engine),
  };
}

/** Brings the schema to the latest version; throws with the failing migration's error. */
export async function migrateToLatest(db: Db, engine: Engine): Promise<void> {
  const migrator = new Migrator({
    db: db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => getMigrations(engine) },
    // Migrations were written side by side on branches (0002 to 0007 at once): a database
    // migrated by a build that had only some of them takes the others when they arrive, whatever their order.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `store migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}
