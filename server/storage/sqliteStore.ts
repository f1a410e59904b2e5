import { systemClock } from '../clock.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BackgroundCheckpointer } from './checkpointer.js';
import { SQLITE_BUSY_TIMEOUT_MS, retryWhenBusy, retryWhileBusy } from './sqlite/busyRetry.js';
import type { DocumentOutline, DocumentSummary, SectionMeta } from '../../shared/document.js';
import type { Group, Role } from '../../shared/roles.js';
import { createSqliteAmendmentStore } from './sqlite/amendmentStore.js';
import { createSqliteAuditStore } from './sqlite/auditStore.js';
import { createSqliteCorrectionStore } from './sqlite/correctionStore.js';
import { createSqliteImportStore } from './sqlite/importStore.js';
import { createSqliteRoundStore } from './sqlite/roundStore.js';
import { createSqliteThreadStore } from './sqlite/threadStore.js';
import { createSqliteVersionStore } from './sqlite/versionStore.js';
import type {
  AmendmentStore,
  AuditStore,
  ClientBinding,
  CorrectionStore,
  ImportStore,
  NewUser,
  RoundStore,
  SessionRecord,
  Store,
  StoredUpdate,
  StoreTransaction,
  SuggestionOwner,
  ThreadStore,
  UserRecord,
  VersionStore,
} from './Store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  grp TEXT,
  member_state TEXT,
  password_hash TEXT NOT NULL,
  demo INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  symbol TEXT NOT NULL,
  title TEXT NOT NULL,
  language TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  title TEXT NOT NULL,
  parent_id TEXT,
  paragraphs TEXT NOT NULL,
  PRIMARY KEY (document_id, id)
);
CREATE TABLE IF NOT EXISTS section_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  update_data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS section_updates_room ON section_updates (document_id, section_id, seq);
CREATE TABLE IF NOT EXISTS client_bindings (
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  client_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (document_id, section_id, client_id)
);
CREATE TABLE IF NOT EXISTS suggestion_owners (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`;

interface SuggestionOwnerRow {
  id: string;
  document_id: string;
  section_id: string;
  owner_key: string;
  user_id: string;
  created_at: number;
}

interface UserRow {
  id: string;
  username: string;
  name: string;
  role: string;
  grp: string | null;
  member_state: string | null;
  password_hash: string;
  demo: number;
  created_at: number;
}

interface SectionRow {
  id: string;
  kind: string;
  label: string;
  title: string;
  parent_id: string | null;
  paragraphs: string;
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role as Role,
    group: row.grp as Group | null,
    memberState: row.member_state,
    passwordHash: row.password_hash,
    demo: row.demo === 1,
    createdAt: row.created_at,
  };
}

function toSection(row: SectionRow): SectionMeta {
  return {
    id: row.id,
    kind: row.kind as SectionMeta['kind'],
    label: row.label,
    title: row.title,
    parentId: row.parent_id,
    paragraphs: JSON.parse(row.paragraphs) as number[],
  };
}

/**
 * The embedded store: one SQLite file in the data folder. WAL mode with `synchronous=NORMAL` makes each
 * committed write survive a crash of this process (kill -9) — the page cache holds it; set
 * `durability: 'full'` to also survive a power cut, at the price of an fsync per write.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt;
  readonly amendments: AmendmentStore;
  readonly threads: ThreadStore;
  readonly rounds: RoundStore;
  readonly versions: VersionStore;
  readonly audit: AuditStore;
  readonly imports: ImportStore;
  readonly corrections: CorrectionStore;
  /** The open transaction, settled when it ends; null when none is open. */
  private readonly busyRetryMs: number;
  private openTransaction: Promise<void> | null = null;
  private transactionTail: Promise<void> = Promise.resolve();
  private readonly transactionView: StoreTransaction;

  private readonly checkpointer: BackgroundCheckpointer | null = null;

  /**
   * `busyRetryMs`: how long a call retries (from timers, never blocking) while another process holds
   * the file's lock, before it fails with StorageBusyError.
   */
  constructor(file: string, options: { durability?: 'normal' | 'full'; busyRetryMs?: number } = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    // Long enough to ride out this process's own checkpointer, short enough never to stall the event
    // loop; longer waits are retried from timers (retryWhenBusy).
    this.db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    if (file !== ':memory:') {
      // Checkpoints happen in a worker thread, not in the commit of whichever update crosses the limit.
      this.db.pragma('wal_autocheckpoint = 0');
      this.db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      this.checkpointer = new BackgroundCheckpointer(file);
    }
    this.db.exec(SCHEMA);
    addDocumentDateColumns(this.db);
    // Each concern creates its own tables and statements on the same connection.
    const busyRetryMs = options.busyRetryMs ?? 5000;
    this.busyRetryMs = busyRetryMs;
    this.amendments = retryWhenBusy(createSqliteAmendmentStore(this.db), busyRetryMs);
    this.threads = retryWhenBusy(createSqliteThreadStore(this.db), busyRetryMs);
    this.rounds = retryWhenBusy(createSqliteRoundStore(this.db), busyRetryMs);
    this.versions = retryWhenBusy(createSqliteVersionStore(this.db), busyRetryMs);
    this.audit = retryWhenBusy(createSqliteAuditStore(this.db), busyRetryMs);
    this.imports = retryWhenBusy(createSqliteImportStore(this.db), busyRetryMs);
    this.corrections = retryWhenBusy(createSqliteCorrectionStore(this.db), busyRetryMs);
    this.transactionView = {
      appendUpdate: (documentId, sectionId, update) =>
        unguarded(this.appendUpdate).call(this, documentId, sectionId, update),
      findUserById: (id) => unguarded(this.findUserById).call(this, id),
      amendments: unguardedView(this.amendments),
      audit: unguardedView(this.audit),
      corrections: unguardedView(this.corrections),
    };
    const db = this.db;
    this.stmt = {
      insertUser: db.prepare(
        `INSERT INTO users (id, username, name, role, grp, member_state, password_hash, demo, created_at)
         VALUES (@id, @username, @name, @role, @grp, @member_state, @password_hash, @demo, @created_at)`,
      ),
      userByUsername: db.prepare('SELECT * FROM users WHERE username = ?'),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      users: db.prepare('SELECT * FROM users ORDER BY created_at, username'),
      deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
      setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
      insertSession: db.prepare(
        'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      ),
      session: db.prepare('SELECT * FROM sessions WHERE token_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      upsertDocument: db.prepare(
        `INSERT INTO documents (id, symbol, title, language, date, date_name, position)
         VALUES (@id, @symbol, @title, @language, @date, @dateName, COALESCE((SELECT MAX(position) + 1 FROM documents), 0))
         ON CONFLICT (id) DO UPDATE SET symbol = excluded.symbol, title = excluded.title, language = excluded.language,
           date = CASE WHEN excluded.date_name = 'document' OR documents.date IS NULL THEN excluded.date ELSE documents.date END,
           date_name = CASE WHEN excluded.date_name = 'document' OR documents.date IS NULL THEN excluded.date_name ELSE documents.date_name END`,
      ),
      deleteSections: db.prepare('DELETE FROM sections WHERE document_id = ?'),
      insertSection: db.prepare(
        `INSERT INTO sections (document_id, id, position, kind, label, title, parent_id, paragraphs)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      documents: db.prepare('SELECT id, symbol, title, language, date, date_name FROM documents ORDER BY position'),
      document: db.prepare('SELECT id, symbol, title, language, date, date_name FROM documents WHERE id = ?'),
      sections: db.prepare('SELECT * FROM sections WHERE document_id = ? ORDER BY position'),
      section: db.prepare('SELECT * FROM sections WHERE document_id = ? AND id = ?'),
      appendUpdate: db.prepare('INSERT INTO section_updates (document_id, section_id, update_data) VALUES (?, ?, ?)'),
      loadUpdates: db.prepare(
        'SELECT seq, update_data FROM section_updates WHERE document_id = ? AND section_id = ? ORDER BY seq',
      ),
      countUpdates: db.prepare('SELECT COUNT(*) AS n FROM section_updates WHERE document_id = ? AND section_id = ?'),
      deleteUpdates: db.prepare(
        'DELETE FROM section_updates WHERE document_id = ? AND section_id = ? AND seq IN (SELECT value FROM json_each(?))',
      ),
      insertUpdateAt: db.prepare(
        'INSERT INTO section_updates (seq, document_id, section_id, update_data) VALUES (?, ?, ?, ?)',
      ),
      bindClient: db.prepare(
        'INSERT OR IGNORE INTO client_bindings (document_id, section_id, client_id, user_id) VALUES (?, ?, ?, ?)',
      ),
      clientBinding: db.prepare(
        'SELECT user_id FROM client_bindings WHERE document_id = ? AND section_id = ? AND client_id = ?',
      ),
      clientBindings: db.prepare(
        'SELECT client_id, user_id FROM client_bindings WHERE document_id = ? AND section_id = ?',
      ),
      bindSuggestion: db.prepare(
        'INSERT OR IGNORE INTO suggestion_owners (id, document_id, section_id, owner_key, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      suggestionOwner: db.prepare(
        'SELECT id, document_id, section_id, owner_key, user_id, created_at FROM suggestion_owners WHERE id = ?',
      ),
    };
    // One connection serves every caller: while a transaction is open, a write from anyone else would
    // join it (and vanish with its rollback) and a read would see half of it, so they wait for its end.
    // The transaction itself writes through the unguarded objects of `transactionView`.
    // Callers also get every method retried while another process holds the file's lock; a transaction
    // retries only its BEGIN (below), never work it has already done.
    // biome-ignore lint/correctness/noConstructorReturn: the guarded view is the store callers get
    return retryWhenBusy(
      guardedStore(this, () => this.openTransaction),
      busyRetryMs,
      ['transaction'],
    );
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const run = this.transactionTail.then(async () => {
      let end = () => {};
      this.openTransaction = new Promise<void>((resolve) => {
        end = resolve;
      });
      try {
        await retryWhileBusy(async () => this.db.exec('BEGIN IMMEDIATE'), this.busyRetryMs);
        const result = await insideTransaction.run(true, () => work(this.transactionView));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        this.openTransaction = null;
        end();
      }
    });
    this.transactionTail = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    // Users are made by the CLI and the demo seed as well as by a running server: the real time.
    const createdAt = systemClock.now();
    this.stmt.insertUser.run({
      id: user.id,
      username: user.username,
      name: user.name,
      role: user.role,
      grp: user.group,
      member_state: user.memberState,
      password_hash: user.passwordHash,
      demo: user.demo ? 1 : 0,
      created_at: createdAt,
    });
    return { ...user, createdAt };
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = this.stmt.userByUsername.get(username) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = this.stmt.userById.get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.stmt.users.all() as UserRow[]).map(toUser);
  }

  async deleteUser(id: string): Promise<boolean> {
    // Sessions go with the account (ON DELETE CASCADE).
    return this.stmt.deleteUser.run(id).changes > 0;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    this.db.transaction(() => {
      this.stmt.setPasswordHash.run(passwordHash, id);
      this.stmt.deleteUserSessions.run(id);
    })();
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.stmt.insertSession.run(s.tokenHash, s.userId, s.createdAt, s.expiresAt);
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = this.stmt.session.get(tokenHash) as
      | { token_hash: string; user_id: string; created_at: number; expires_at: number }
      | undefined;
    if (!row) return null;
    return { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt.deleteSession.run(tokenHash);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.stmt.deleteExpired.run(now).changes;
  }

  async saveDocument(outline: DocumentOutline): Promise<void> {
    const save = this.db.transaction(() => {
      this.stmt.upsertDocument.run({
        id: outline.id,
        symbol: outline.symbol,
        title: outline.title,
        language: outline.language,
        date: outline.date?.value ?? null,
        dateName: outline.date?.name ?? null,
      });
      this.stmt.deleteSections.run(outline.id);
      outline.sections.forEach((s, position) => {
        this.stmt.insertSection.run(
          outline.id,
          s.id,
          position,
          s.kind,
          s.label,
          s.title,
          s.parentId,
          JSON.stringify(s.paragraphs),
        );
      });
    });
    save();
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    return (this.stmt.documents.all() as DocumentRow[]).map(toSummary);
  }

  async getDocument(documentId: string): Promise<DocumentOutline | null> {
    const row = this.stmt.document.get(documentId) as DocumentRow | undefined;
    if (!row) return null;
    const doc = toSummary(row);
    const sections = (this.stmt.sections.all(documentId) as SectionRow[]).map(toSection);
    return { ...doc, sections };
  }

  async getSection(documentId: string, sectionId: string): Promise<SectionMeta | null> {
    const row = this.stmt.section.get(documentId, sectionId) as SectionRow | undefined;
    return row ? toSection(row) : null;
  }

  async appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number> {
    return Number(this.stmt.appendUpdate.run(documentId, sectionId, update).lastInsertRowid);
  }

  async loadUpdates(documentId: string, sectionId: string): Promise<StoredUpdate[]> {
    const rows = this.stmt.loadUpdates.all(documentId, sectionId) as { seq: number; update_data: Buffer }[];
    return rows.map((r) => ({ seq: r.seq, update: new Uint8Array(r.update_data) }));
  }

  async countUpdates(documentId: string, sectionId: string): Promise<number> {
    return (this.stmt.countUpdates.get(documentId, sectionId) as { n: number }).n;
  }

  async compactUpdates(
    documentId: string,
    sectionId: string,
    merged: Uint8Array,
    mergedSeqs: readonly number[],
  ): Promise<void> {
    if (mergedSeqs.length === 0) return;
    const at = mergedSeqs.reduce((a, b) => Math.max(a, b));
    // The merged update takes the sequence number of the last update it replaces, so that the order of
    // what remains — merged state first, then anything appended since — is the order of acceptance.
    const compact = this.db.transaction(() => {
      this.stmt.deleteUpdates.run(documentId, sectionId, JSON.stringify(mergedSeqs));
      this.stmt.insertUpdateAt.run(at, documentId, sectionId, merged);
    });
    compact();
  }

  async bindClient(documentId: string, sectionId: string, clientId: number, userId: string): Promise<string> {
    this.stmt.bindClient.run(documentId, sectionId, clientId, userId);
    return (this.stmt.clientBinding.get(documentId, sectionId, clientId) as { user_id: string }).user_id;
  }

  async loadClientBindings(documentId: string, sectionId: string): Promise<ClientBinding[]> {
    const rows = this.stmt.clientBindings.all(documentId, sectionId) as { client_id: number; user_id: string }[];
    return rows.map((r) => ({ clientId: r.client_id, userId: r.user_id }));
  }

  async bindSuggestion(owner: SuggestionOwner): Promise<SuggestionOwner> {
    const { id, documentId, sectionId, ownerKey, userId, createdAt } = owner;
    this.stmt.bindSuggestion.run(id, documentId, sectionId, ownerKey, userId, createdAt);
    return (await this.findSuggestionOwner(id)) as SuggestionOwner;
  }

  async findSuggestionOwner(id: string): Promise<SuggestionOwner | null> {
    const row = this.stmt.suggestionOwner.get(id) as SuggestionOwnerRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      documentId: row.document_id,
      sectionId: row.section_id,
      ownerKey: row.owner_key,
      userId: row.user_id,
      createdAt: row.created_at,
    };
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.db.close();
  }
}

/** A guarded method's own function: what a transaction calls, since it must not wait for itself. */
const RAW = Symbol('raw');

// biome-ignore lint/suspicious/noExplicitAny: any method
type Method = (...args: any[]) => any;

function unguarded<F extends Method>(fn: F): F {
  return ((fn as F & { [RAW]?: F })[RAW] ?? fn) as F;
}

/** `object` with its methods unguarded, even when a test put a guarded one back on it. */
function unguardedView<O extends object>(object: O): O {
  return new Proxy(object, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      return typeof value === 'function' ? unguarded(value as Method).bind(obj) : value;
    },
  });
}

/** Set while a transaction's own work runs: its calls never wait for itself, however they reach the store. */
const insideTransaction = new AsyncLocalStorage<true>();

const UNGUARDED = new Set<PropertyKey>(['transaction', 'close', 'constructor']);
const SUB_STORES = new Set<PropertyKey>([
  'amendments',
  'threads',
  'rounds',
  'versions',
  'audit',
  'imports',
  'corrections',
]);

/** Every method of `target` (and of its sub-stores) waits until no transaction is open, then runs. */
function guardedStore<T extends object>(target: T, open: () => Promise<void> | null): T {
  const wrap = <O extends object>(object: O): O => {
    const cache = new Map<PropertyKey, { of: unknown; wrapper: unknown }>();
    return new Proxy(object, {
      get(obj, prop) {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (object === (target as object) && UNGUARDED.has(prop)) {
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
        }
        // Cached per value: a test may replace a method, and must then get its replacement.
        const cached = cache.get(prop);
        if (cached && cached.of === value) return cached.wrapper;
        if (object === (target as object) && SUB_STORES.has(prop) && typeof value === 'object' && value !== null) {
          const wrapper = wrap(value);
          cache.set(prop, { of: value, wrapper });
          return wrapper;
        }
        if (typeof value !== 'function') return value;
        const fn = unguarded(value as Method);
        const wrapper = Object.assign(
          (...args: unknown[]) => {
            if (open() === null || insideTransaction.getStore()) return fn.apply(obj, args);
            return (async () => {
              // Checked again after each wait: another transaction may have begun in between.
              for (let pending = open(); pending !== null; pending = open()) await pending;
              return fn.apply(obj, args);
            })();
          },
          { [RAW]: fn },
        );
        cache.set(prop, { of: value, wrapper });
        return wrapper;
      },
    });
  };
  return wrap(target);
}

interface DocumentRow {
  id: string;
  symbol: string;
  title: string;
  language: string;
  date: string | null;
  date_name: string | null;
}

function toSummary(row: DocumentRow): DocumentSummary {
  const { date, date_name, ...summary } = row;
  return { ...summary, date: date ? { value: date, name: date_name === 'document' ? 'document' : 'import' } : null };
}

/** Stores made before documents had a date get the two columns (null: no date recorded). */
function addDocumentDateColumns(db: Database.Database): void {
  const columns = (db.prepare('PRAGMA table_info(documents)').all() as { name: string }[]).map((c) => c.name);
  if (!columns.includes('date')) db.exec('ALTER TABLE documents ADD COLUMN date TEXT');
  if (!columns.includes('date_name')) db.exec('ALTER TABLE documents ADD COLUMN date_name TEXT');
}
