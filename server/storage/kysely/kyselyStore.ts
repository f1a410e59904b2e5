import { AsyncLocalStorage } from 'node:async_hooks';
import { type Selectable, sql } from 'kysely';
import type { DocumentOutline, DocumentSummary, SectionMeta } from '../../../shared/document.js';
import { canonicalState } from '../../../shared/ownerKey.js';
import type { RegionalGroup } from '../../../shared/regions.js';
import type { Group, Role } from '../../../shared/roles.js';
import { systemClock } from '../../clock.js';
import { idempotencyScope } from '../idempotencyScope.js';
import type {
  AccountChange,
  AmendmentStore,
  AuditStore,
  ClientBinding,
  CorrectionStore,
  IdempotencyStore,
  ImportStore,
  NewUser,
  RoundStore,
  SessionRecord,
  SignInLinkRecord,
  Store,
  StoredUpdate,
  StoreTransaction,
  SuggestionOwner,
  ThreadStore,
  TransactionOptions,
  UserRecord,
  VersionStore,
  VisitStore,
} from '../Store.js';
import type { OwnershipStore } from '../sectionFence.js';
import { createAmendmentStore } from './amendmentStore.js';
import { createAuditStore } from './auditStore.js';
import { createCorrectionStore } from './correctionStore.js';
import { type GroupCommitOptions, type GroupCommitStats, GroupCommitter } from './groupCommit.js';
import { createIdempotencyStore, writeClaim } from './idempotencyStore.js';
import { createImportStore } from './importStore.js';
import { createOwnershipStore } from './ownershipStore.js';
import { createRoundStore } from './roundStore.js';
import type { Db, Engine, Queries, Tables } from './schema.js';
import { createThreadStore } from './threadStore.js';
import { createVersionStore } from './versionStore.js';
import { createVisitStore } from './visitStore.js';

/**
 * What differs between the engines: the connection(s), how a transaction begins, and the hot path
 * (`appendUpdate`, `loadUpdates` outside a transaction), which uses each engine's prepared statements
 * instead of building the query on every update.
 */
export interface EngineAdapter {
  readonly engine: Engine;
  readonly db: Db;
  /** Runs `work` as one transaction on one connection; a throw rolls it back and is rethrown. */
  begin<T>(work: (db: Db) => Promise<T>): Promise<T>;
  appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number>;
  loadUpdates(documentId: string, sectionId: string): Promise<StoredUpdate[]>;
  /** Runs `work` while holding a lock named `name` shared by every process on the database. */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

type UserRow = Selectable<Tables['users']>;
type SectionRow = Selectable<Tables['sections']>;
type DocumentRow = Pick<Selectable<Tables['documents']>, 'id' | 'symbol' | 'title' | 'language' | 'date' | 'date_name'>;

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
    deactivatedAt: row.deactivated_at ?? null,
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

function toSummary(row: DocumentRow): DocumentSummary {
  const { date, date_name, ...summary } = row;
  return { ...summary, date: date ? { value: date, name: date_name === 'document' ? 'document' : 'import' } : null };
}

const DOCUMENT_COLUMNS = ['id', 'symbol', 'title', 'language', 'date', 'date_name'] as const;

/** Rows deleted per statement when compacting: far below either engine's limit on bound parameters. */
const DELETE_CHUNK = 500;

/**
 * The one implementation of `Store` for both engines, over Kysely. A call made from inside a
 * transaction's work (however it reaches the store) runs on the transaction's connection, so a step's
 * writes stay together; see `Queries`.
 */
export class KyselyStore implements Store {
  readonly amendments: AmendmentStore;
  readonly threads: ThreadStore;
  readonly rounds: RoundStore;
  readonly versions: VersionStore;
  readonly audit: AuditStore;
  readonly imports: ImportStore;
  readonly corrections: CorrectionStore;
  readonly ownership: OwnershipStore;
  readonly visits: VisitStore;
  readonly idempotency: IdempotencyStore;
  private readonly current = new AsyncLocalStorage<Db>();
  private readonly q: Queries;
  private readonly transactionView: StoreTransaction;

  /** PostgreSQL: the steps of rooms that share transactions (group commit); null: each its own. */
  private readonly group: GroupCommitter | null;

  constructor(
    private readonly adapter: EngineAdapter,
    options: { groupCommit?: GroupCommitOptions | null } = {},
  ) {
    const current = this.current;
    this.group = options.groupCommit ? new GroupCommitter((work) => adapter.begin(work), options.groupCommit) : null;
    this.q = {
      engine: adapter.engine,
      db: () => current.getStore() ?? adapter.db,
      tx: (work) => {
        const open = current.getStore();
        if (open) return work(open);
        // An HTTP command with an idempotency key: its first committed transaction writes the key too,
        // so the key exists exactly when the effect does (server/http/idempotency.ts).
        const claim = idempotencyScope.getStore();
        if (!claim || claim.claimed || claim.ended) return adapter.begin((db) => current.run(db, () => work(db)));
        return adapter
          .begin((db) =>
            current.run(db, async () => {
              const result = await work(db);
              await writeClaim(db, claim);
              return result;
            }),
          )
          .then((result) => {
            claim.claimed = true;
            return result;
          });
      },
    };
    this.amendments = createAmendmentStore(this.q);
    this.threads = createThreadStore(this.q);
    this.rounds = createRoundStore(this.q);
    this.versions = createVersionStore(this.q);
    this.audit = createAuditStore(this.q);
    this.imports = createImportStore(this.q);
    this.corrections = createCorrectionStore(this.q);
    this.ownership = createOwnershipStore(this.q);
    this.visits = createVisitStore(this.q);
    this.idempotency = createIdempotencyStore(this.q);
    // Read through the store each time: a test may replace one of its methods and expect steps to use it.
    const store = this;
    this.transactionView = {
      appendUpdate: (documentId, sectionId, update) => store.appendUpdate(documentId, sectionId, update),
      findUserById: (id) => store.findUserById(id),
      get amendments() {
        return store.amendments;
      },
      get audit() {
        return store.audit;
      },
      get corrections() {
        return store.corrections;
      },
      get ownership() {
        return store.ownership;
      },
    };
  }

  get engine(): Engine {
    return this.adapter.engine;
  }

  /** True while the caller runs inside one of this store's transactions. */
  inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (!options?.groupCommit || !this.group || this.current.getStore())
      return this.q.tx(() => work(this.transactionView));
    // As q.tx does, but in a batch's savepoint: the idempotency key is written with the step's effect,
    // and counts as written once the batch has committed.
    const claim = idempotencyScope.getStore();
    const writesClaim = claim && !claim.claimed && !claim.ended ? claim : null;
    return this.group
      .submit((db) =>
        this.current.run(db, async () => {
          const result = await work(this.transactionView);
          if (writesClaim) await writeClaim(db, writesClaim);
          return result;
        }),
      )
      .then((result) => {
        if (writesClaim) writesClaim.claimed = true;
        return result;
      });
  }

  /** How many batches and steps the group commit made (null without group commit). */
  groupCommitStats(): GroupCommitStats | null {
    return this.group ? { ...this.group.stats } : null;
  }

  /** Runs `work` while no other process on the same database runs work under the same name. */
  exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.adapter.exclusively(name, work);
  }

  async createUser(user: NewUser): Promise<UserRecord> {
    // Users are made by the CLI and the demo seed as well as by a running server: the real time.
    const createdAt = systemClock.now();
    await this.q
      .db()
      .insertInto('users')
      .values({
        id: user.id,
        username: user.username,
        name: user.name,
        role: user.role,
        grp: user.group,
        member_state: user.memberState,
        password_hash: user.passwordHash,
        demo: user.demo ? 1 : 0,
        created_at: createdAt,
      })
      .execute();
    return { ...user, createdAt, deactivatedAt: null, regions: await this.regionsOfState(user.memberState) };
  }

  /** The regional groups of a State as stored (a code, or an English name from before migration 0004). */
  private async regionsOfState(memberState: string | null): Promise<string[]> {
    if (!memberState) return [];
    const rows = await this.q
      .db()
      .selectFrom('regional_group_members')
      .select('group_code')
      .where('state', '=', canonicalState(memberState))
      .orderBy('group_code')
      .execute();
    return rows.map((r) => r.group_code);
  }

  private async withRegions(row: UserRow): Promise<UserRecord> {
    return { ...toUser(row), regions: await this.regionsOfState(row.member_state) };
  }

  async findUserByUsername(username: string): Promise<UserRecord | null> {
    const row = await this.q.db().selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? this.withRegions(row) : null;
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const row = await this.q.db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.withRegions(row) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.q.db().selectFrom('users').selectAll().orderBy('created_at').orderBy('username').execute();
    return Promise.all(rows.map((row) => this.withRegions(row)));
  }

  async deleteUser(id: string): Promise<boolean> {
    // Sessions go with the account (ON DELETE CASCADE).
    const result = await this.q.db().deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.q.tx(async (db) => {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
      await db.deleteFrom('sessions').where('user_id', '=', id).execute();
      // A sign-in link is a credential too: a reset (an account thought compromised) ends the ones sent.
      await db.deleteFrom('sign_in_links').where('user_id', '=', id).execute();
    });
  }

  /**
   * Changes of regional groups take turns (the Office's desk, the CLI, other processes): on PostgreSQL a
   * transaction's reads of members would otherwise not see a concurrent change, and two changes of one
   * State would mix, or one insert a member of a group another just removed.
   */
  private regionsInTurn<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return this.exclusively('regional-groups', () => this.q.tx(work));
  }

  async listRegionalGroups(): Promise<RegionalGroup[]> {
    const db = this.q.db();
    const [groups, members] = await Promise.all([
      db.selectFrom('regional_groups').selectAll().orderBy('code').execute(),
      db.selectFrom('regional_group_members').selectAll().orderBy('group_code').orderBy('state').execute(),
    ]);
    return groups.map((g) => ({
      code: g.code,
      nameEn: g.name_en,
      nameFr: g.name_fr,
      nameEs: g.name_es,
      shortName: g.short_name,
      members: members.filter((m) => m.group_code === g.code).map((m) => m.state),
    }));
  }

  async saveRegionalGroup(group: RegionalGroup): Promise<void> {
    await this.regionsInTurn(async (db) => {
      await db.deleteFrom('regional_group_members').where('group_code', '=', group.code).execute();
      await db.deleteFrom('regional_groups').where('code', '=', group.code).execute();
      await db
        .insertInto('regional_groups')
        .values({
          code: group.code,
          name_en: group.nameEn,
          name_fr: group.nameFr,
          name_es: group.nameEs,
          short_name: group.shortName,
        })
        .execute();
      const states = [...new Set(group.members)];
      if (states.length > 0) {
        await db
          .insertInto('regional_group_members')
          .values(states.map((state) => ({ group_code: group.code, state })))
          .execute();
      }
    });
  }

  async setStateRegions(
    state: string,
    codes: readonly string[],
  ): Promise<{ unknown: string[]; before: string[]; after: string[] }> {
    const wanted = [...new Set(codes)].sort();
    return this.regionsInTurn(async (db) => {
      const known =
        wanted.length === 0
          ? []
          : (await db.selectFrom('regional_groups').select('code').where('code', 'in', wanted).execute()).map(
              (r) => r.code,
            );
      const unknown = wanted.filter((code) => !known.includes(code));
      if (unknown.length > 0) return { unknown, before: [], after: [] };
      const before = (
        await db
          .selectFrom('regional_group_members')
          .select('group_code')
          .where('state', '=', state)
          .orderBy('group_code')
          .execute()
      ).map((r) => r.group_code);
      const leave = before.filter((code) => !wanted.includes(code));
      if (leave.length > 0) {
        await db
          .deleteFrom('regional_group_members')
          .where('state', '=', state)
          .where('group_code', 'in', leave)
          .execute();
      }
      const join = wanted.filter((code) => !before.includes(code));
      if (join.length > 0) {
        await db
          .insertInto('regional_group_members')
          .values(join.map((group_code) => ({ group_code, state })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      return { unknown: [], before, after: wanted };
    });
  }

  async removeRegionalGroup(code: string): Promise<boolean> {
    return this.regionsInTurn(async (db) => {
      await db.deleteFrom('regional_group_members').where('group_code', '=', code).execute();
      const result = await db.deleteFrom('regional_groups').where('code', '=', code).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async updateUser(id: string, change: AccountChange): Promise<UserRecord | null> {
    const set = {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.group !== undefined ? { grp: change.group } : {}),
      ...(change.memberState !== undefined ? { member_state: change.memberState } : {}),
    };
    if (Object.keys(set).length > 0) await this.q.db().updateTable('users').set(set).where('id', '=', id).execute();
    return this.findUserById(id);
  }

  async setUserDeactivated(
    id: string,
    at: number | null,
  ): Promise<{ user: UserRecord; endedSessions: string[] } | null> {
    return this.q.tx(async (db) => {
      const result = await db.updateTable('users').set({ deactivated_at: at }).where('id', '=', id).executeTakeFirst();
      if (result.numUpdatedRows === 0n) return null;
      let endedSessions: string[] = [];
      if (at !== null) {
        const rows = await db.selectFrom('sessions').select('token_hash').where('user_id', '=', id).execute();
        endedSessions = rows.map((r) => r.token_hash);
        await db.deleteFrom('sessions').where('user_id', '=', id).execute();
        await db.deleteFrom('sign_in_links').where('user_id', '=', id).execute();
      }
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { user: toUser(row), endedSessions };
    });
  }

  async sessionHashesOf(userId: string): Promise<string[]> {
    const rows = await this.q.db().selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute();
    return rows.map((r) => r.token_hash);
  }

  /**
   * Whether the account exists and is active, holding its row until the transaction ends (PostgreSQL; a
   * SQLite write transaction is alone already): the turn of every change to its credentials — a reset and
   * a deactivation update that row first too.
   */
  private async activeAccountInTurn(db: Db, userId: string): Promise<boolean> {
    let account = db.selectFrom('users').select('deactivated_at').where('id', '=', userId);
    if (this.q.engine === 'postgres') account = account.forUpdate();
    const row = await account.executeTakeFirst();
    return row !== undefined && row.deactivated_at === null;
  }

  async createSignInLink(link: SignInLinkRecord): Promise<{ replaced: number } | null> {
    return this.q.tx(async (db) => {
      // The account's row is the turn: links sent at once (several processes) would otherwise each drop
      // the other's row before it is committed and both stay usable. A reset or a deactivation changes that
      // row first too, so a link cannot slip past the links they end.
      if (!(await this.activeAccountInTurn(db, link.userId))) return null;
      const usable = await db
        .selectFrom('sign_in_links')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', link.userId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', link.createdAt)
        .executeTakeFirstOrThrow();
      await db.deleteFrom('sign_in_links').where('user_id', '=', link.userId).where('used_at', 'is', null).execute();
      await db
        .insertInto('sign_in_links')
        .values({
          token_hash: link.tokenHash,
          user_id: link.userId,
          created_at: link.createdAt,
          expires_at: link.expiresAt,
          used_at: null,
        })
        .execute();
      return { replaced: Number(usable.n) };
    });
  }

  async signInByLink(linkHash: string, now: number, session: Omit<SessionRecord, 'userId'>): Promise<string | null> {
    return this.q.tx(async (db) => {
      const link = await db
        .selectFrom('sign_in_links')
        .select('user_id')
        .where('token_hash', '=', linkHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (!link) return null;
      if (!(await this.activeAccountInTurn(db, link.user_id))) return null;
      // The update is the claim: of two uses at once, only one finds the link unused (a reset that went
      // first has deleted it).
      const claimed = await db
        .updateTable('sign_in_links')
        .set({ used_at: now })
        .where('token_hash', '=', linkHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) return null;
      await db
        .insertInto('sessions')
        .values({
          token_hash: session.tokenHash,
          user_id: link.user_id,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
      return link.user_id;
    });
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.q
      .db()
      .insertInto('sessions')
      .values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute();
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = await this.q
      .db()
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    return { tokenHash: row.token_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.q.db().deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    const result = await this.q.db().deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveDocument(outline: DocumentOutline): Promise<void> {
    await this.q.tx(async (db) => {
      // A date found in the document itself wins; one given at import only fills a missing date.
      const keepDate = sql`excluded.date_name = 'document' OR documents.date IS NULL`;
      await db
        .insertInto('documents')
        .values({
          id: outline.id,
          symbol: outline.symbol,
          title: outline.title,
          language: outline.language,
          date: outline.date?.value ?? null,
          date_name: outline.date?.name ?? null,
          position: sql<number>`COALESCE((SELECT MAX(position) + 1 FROM documents), 0)`,
        })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            symbol: sql`excluded.symbol`,
            title: sql`excluded.title`,
            language: sql`excluded.language`,
            date: sql`CASE WHEN ${keepDate} THEN excluded.date ELSE documents.date END`,
            date_name: sql`CASE WHEN ${keepDate} THEN excluded.date_name ELSE documents.date_name END`,
          }),
        )
        .execute();
      await db.deleteFrom('sections').where('document_id', '=', outline.id).execute();
      if (outline.sections.length > 0) {
        await db
          .insertInto('sections')
          .values(
            outline.sections.map((s, position) => ({
              document_id: outline.id,
              id: s.id,
              position,
              kind: s.kind,
              label: s.label,
              title: s.title,
              parent_id: s.parentId,
              paragraphs: JSON.stringify(s.paragraphs),
            })),
          )
          .execute();
      }
    });
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    const rows = await this.q.db().selectFrom('documents').select(DOCUMENT_COLUMNS).orderBy('position').execute();
    return rows.map(toSummary);
  }

  async getDocument(documentId: string): Promise<DocumentOutline | null> {
    const db = this.q.db();
    const row = await db
      .selectFrom('documents')
      .select(DOCUMENT_COLUMNS)
      .where('id', '=', documentId)
      .executeTakeFirst();
    if (!row) return null;
    const sections = await db
      .selectFrom('sections')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('position')
      .execute();
    return { ...toSummary(row), sections: sections.map(toSection) };
  }

  async getSection(documentId: string, sectionId: string): Promise<SectionMeta | null> {
    const row = await this.q
      .db()
      .selectFrom('sections')
      .selectAll()
      .where('document_id', '=', documentId)
      .where('id', '=', sectionId)
      .executeTakeFirst();
    return row ? toSection(row) : null;
  }

  async appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number> {
    const open = this.current.getStore();
    if (!open) return this.adapter.appendUpdate(documentId, sectionId, update);
    const row = await open
      .insertInto('section_updates')
      .values({
        document_id: documentId,
        section_id: sectionId,
        update_data: Buffer.from(update.buffer, update.byteOffset, update.byteLength),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return row.seq;
  }

  async loadUpdates(documentId: string, sectionId: string): Promise<StoredUpdate[]> {
    const open = this.current.getStore();
    if (!open) return this.adapter.loadUpdates(documentId, sectionId);
    const rows = await open
      .selectFrom('section_updates')
      .select(['seq', 'update_data'])
      .where('document_id', '=', documentId)
      .where('section_id', '=', sectionId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ seq: r.seq, update: new Uint8Array(r.update_data) }));
  }

  async countUpdates(documentId: string, sectionId: string): Promise<number> {
    const row = await this.q
      .db()
      .selectFrom('section_updates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('document_id', '=', documentId)
      .where('section_id', '=', sectionId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
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
    await this.q.tx(async (db) => {
      // The merged row keeps the owner's highest number among those it replaces: a relaying process
      // that asks for rows past a number still finds what they held. And the latest epoch among them:
      // epochs never go down along the log.
      let headSeq: number | null = null;
      let headEpoch: number | null = null;
      for (let i = 0; i < mergedSeqs.length; i += DELETE_CHUNK) {
        const top = await db
          .selectFrom('section_updates')
          .select((eb) => [eb.fn.max('head_seq').as('top'), eb.fn.max('head_epoch').as('epoch')])
          .where('document_id', '=', documentId)
          .where('section_id', '=', sectionId)
          .where('seq', 'in', mergedSeqs.slice(i, i + DELETE_CHUNK))
          .executeTakeFirst();
        if (top?.top != null) headSeq = Math.max(headSeq ?? 0, Number(top.top));
        if (top?.epoch != null) headEpoch = Math.max(headEpoch ?? 0, Number(top.epoch));
      }
      for (let i = 0; i < mergedSeqs.length; i += DELETE_CHUNK) {
        await db
          .deleteFrom('section_updates')
          .where('document_id', '=', documentId)
          .where('section_id', '=', sectionId)
          .where('seq', 'in', mergedSeqs.slice(i, i + DELETE_CHUNK))
          .execute();
      }
      await db
        .insertInto('section_updates')
        .values({
          seq: at,
          document_id: documentId,
          section_id: sectionId,
          update_data: Buffer.from(merged),
          head_seq: headSeq,
          head_epoch: headEpoch,
        })
        .execute();
    });
  }

  async bindClient(documentId: string, sectionId: string, clientId: number, userId: string): Promise<string> {
    const db = this.q.db();
    // First wins, also between processes: the insert does nothing when a binding exists, and the
    // read then answers whichever binding holds.
    await db
      .insertInto('client_bindings')
      .values({ document_id: documentId, section_id: sectionId, client_id: clientId, user_id: userId })
      .onConflict((oc) => oc.columns(['document_id', 'section_id', 'client_id']).doNothing())
      .execute();
    const row = await db
      .selectFrom('client_bindings')
      .select('user_id')
      .where('document_id', '=', documentId)
      .where('section_id', '=', sectionId)
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    return row.user_id;
  }

  async loadClientBindings(documentId: string, sectionId: string): Promise<ClientBinding[]> {
    const rows = await this.q
      .db()
      .selectFrom('client_bindings')
      .select(['client_id', 'user_id'])
      .where('document_id', '=', documentId)
      .where('section_id', '=', sectionId)
      .execute();
    return rows.map((r) => ({ clientId: r.client_id, userId: r.user_id }));
  }

  async bindSuggestion(owner: SuggestionOwner): Promise<SuggestionOwner> {
    await this.q
      .db()
      .insertInto('suggestion_owners')
      .values({
        id: owner.id,
        document_id: owner.documentId,
        section_id: owner.sectionId,
        owner_key: owner.ownerKey,
        user_id: owner.userId,
        created_at: owner.createdAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return (await this.findSuggestionOwner(owner.id)) as SuggestionOwner;
  }

  async findSuggestionOwner(id: string): Promise<SuggestionOwner | null> {
    const row = await this.q.db().selectFrom('suggestion_owners').selectAll().where('id', '=', id).executeTakeFirst();
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
    await this.adapter.close();
  }
}
