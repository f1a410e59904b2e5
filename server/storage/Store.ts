import type {
  Amendment,
  AmendmentEvent,
  AmendmentForm,
  AmendmentStatus,
  AmendmentVote,
  Cosponsor,
  Seconder,
  Stance,
} from '../../shared/amendments.js';
import type { AuditEntry } from '../../shared/audit.js';
import type { Correction } from '../../shared/corrections.js';
import type { DocumentOutline, DocumentSummary, SectionMeta } from '../../shared/document.js';
import type { ImportPreview } from '../../shared/imports.js';
import type { RegionalGroup } from '../../shared/regions.js';
import type { Group, Role } from '../../shared/roles.js';
import type { Round } from '../../shared/rounds.js';
import type { Comment, Thread } from '../../shared/threads.js';
import type { Version, VersionSummary } from '../../shared/versions.js';
import type { DecisionTrace } from './decisionTrace.js';
import type { IdempotencyClaim, StoredIdempotency } from './idempotencyScope.js';
import type { OwnershipStore } from './sectionFence.js';

/** A user as stored, with the secrets that never leave the server. */
export interface UserRecord {
  id: string;
  username: string;
  name: string;
  role: Role;
  group: Group | null;
  memberState: string | null;
  passwordHash: string;
  /** Created by demo mode; refused at sign-in when demo mode is off. */
  demo: boolean;
  createdAt: number;
  /**
   * Codes of the regional groups the user's State belongs to (`AFRICA`), read with the user: a
   * government delegate may speak for them. Absent on a record not read from the store: none.
   */
  regions?: readonly string[];
  /** When the Office deactivated the account (null: active); a deactivated account cannot sign in. */
  deactivatedAt: number | null;
}

export type NewUser = Omit<UserRecord, 'createdAt' | 'regions' | 'deactivatedAt'>;

/** What the Office may change of an account: who it is in the consultation. */
export type AccountChange = Partial<Pick<UserRecord, 'name' | 'role' | 'group' | 'memberState'>>;

/** A one-time sign-in link: only the hash of its token is stored; used once, then never again. */
export interface SignInLinkRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRecord {
  /** SHA-256 of the token: a leaked database does not leak live sessions. */
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/** A Yjs clientID of a section, bound to the user who first wrote with it (or `server`). */
export interface ClientBinding {
  clientId: number;
  userId: string;
}

/**
 * Who a suggestion id belongs to, bound the first time it is typed (before any record exists), so that
 * an id never changes hands: not to another group or State, not to another section.
 */
export interface SuggestionOwner {
  id: string;
  documentId: string;
  sectionId: string;
  ownerKey: string;
  userId: string;
  createdAt: number;
}

/** One stored update of a section's Yjs document. */
export interface StoredUpdate {
  seq: number;
  update: Uint8Array;
}

/**
 * Everything Concord keeps, in SQLite or PostgreSQL (one implementation for both: kysely/kyselyStore.ts),
 * which is why every method is asynchronous even where SQLite is not.
 */
export interface Store {
  // Users and sessions
  createUser(user: NewUser): Promise<UserRecord>;
  findUserByUsername(username: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** Removes an account and, with it, every session it has; false when there was none. */
  deleteUser(id: string): Promise<boolean>;
  /** Replaces an account's password hash and ends every session and unused sign-in link it has. */
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /** Changes who an account is; null when there is no such account. */
  updateUser(id: string, change: AccountChange): Promise<UserRecord | null>;
  /**
   * Deactivates (`at`) or reactivates (null) an account. Deactivating ends every session it has, in the
   * same transaction; answers the token hashes of the sessions ended (for live sockets to close).
   */
  setUserDeactivated(id: string, at: number | null): Promise<{ user: UserRecord; endedSessions: string[] } | null>;
  /** Hashes of an account's sessions (to close their live sockets when the sessions end). */
  sessionHashesOf(userId: string): Promise<string[]>;
  /**
   * Stores an account's new one-time link and, in the same transaction, drops the links it had not used:
   * only the latest link the Office sent signs in (a forwarded or mislaid older one no longer does).
   * Answers how many of those were still usable; null, storing nothing, when the account is gone or deactivated.
   */
  createSignInLink(link: SignInLinkRecord): Promise<{ replaced: number } | null>;
  /**
   * Signs in with a one-time link in one transaction: claims the link (unused, not expired at `now`),
   * checks its account is not deactivated, and stores the session — taking the
   * account's row first, so a password reset or a deactivation either ends this session or finds the link
   * gone. Answers the account's id; null (nothing stored, the link untouched) otherwise.
   */
  signInByLink(linkHash: string, now: number, session: Omit<SessionRecord, 'userId'>): Promise<string | null>;
  createSession(session: SessionRecord): Promise<void>;

  // Regional groups of the Government group (data the Office keeps: `npm run groups`)
  listRegionalGroups(): Promise<RegionalGroup[]>;
  /** Creates or replaces a group, its members included. */
  saveRegionalGroup(group: RegionalGroup): Promise<void>;
  /** False when there was no such group. */
  removeRegionalGroup(code: string): Promise<boolean>;
  /**
   * A State's memberships, all of them: it joins the groups listed and leaves the others, row by row, so
   * that two States changed at once in the same group both count. Nothing changes when a code names no
   * group (`unknown`); `before` and `after` are the State's group codes, sorted.
   */
  setStateRegions(
    state: string,
    codes: readonly string[],
  ): Promise<{ unknown: string[]; before: string[]; after: string[] }>;
  findSession(tokenHash: string): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  // Documents and their sections (structure only; the text lives in Yjs updates)
  /** Creates or replaces a document's outline. Existing section updates are kept. */
  saveDocument(outline: DocumentOutline): Promise<void>;
  listDocuments(): Promise<DocumentSummary[]>;
  getDocument(documentId: string): Promise<DocumentOutline | null>;
  getSection(documentId: string, sectionId: string): Promise<SectionMeta | null>;

  // Yjs updates of a section, in the order they were accepted
  /** Durably appends an update; resolves only once it would survive a crash of this process. */
  appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number>;
  loadUpdates(documentId: string, sectionId: string): Promise<StoredUpdate[]>;
  countUpdates(documentId: string, sectionId: string): Promise<number>;
  /**
   * Replaces exactly the rows `mergedSeqs` (those the caller loaded or appended, all contained in
   * `merged`) by `merged`, at the highest of them, atomically. Rows anyone else appended stay, whatever
   * their number: another process on the same store may have stored updates this one never saw.
   */
  compactUpdates(
    documentId: string,
    sectionId: string,
    merged: Uint8Array,
    mergedSeqs: readonly number[],
  ): Promise<void>;

  // Yjs clientIDs of a section and their users: a clientID proves nothing until the server binds it
  /**
   * Binds `clientId` to `userId` unless it is already bound; resolves with the user it is bound to
   * afterwards, so that two processes binding the same clientID agree on the first.
   */
  bindClient(documentId: string, sectionId: string, clientId: number, userId: string): Promise<string>;
  loadClientBindings(documentId: string, sectionId: string): Promise<ClientBinding[]>;

  // Suggestion ids and their owners: the first use of an id binds it for good (see SuggestionOwner)
  /** Binds the id unless it is already bound; resolves with the binding that holds afterwards. */
  bindSuggestion(owner: SuggestionOwner): Promise<SuggestionOwner>;
  findSuggestionOwner(id: string): Promise<SuggestionOwner | null>;

  readonly amendments: AmendmentStore;
  readonly threads: ThreadStore;
  readonly rounds: RoundStore;
  readonly versions: VersionStore;
  readonly audit: AuditStore;
  readonly imports: ImportStore;
  readonly corrections: CorrectionStore;
  /** Sections' leases and fenced appends: one writer per section across processes. */
  readonly ownership: OwnershipStore;
  readonly visits: VisitStore;
  readonly idempotency: IdempotencyStore;

  /**
   * Runs `work` as one transaction: every write it makes through `tx` stays, or none does (a throw
   * rolls all back and is rethrown). Other callers of the store wait until it ends, so they never see
   * half of it. `work` must use only `tx` — calling the store itself from inside waits forever.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;

  /**
   * Runs `work` while no other process on the same database runs work under the same `name` (a
   * PostgreSQL advisory lock; SQLite has one server per data folder). For set-up that must happen
   * once however many processes start at once.
   */
  exclusively?<T>(name: string, work: () => Promise<T>): Promise<T>;

  close(): Promise<void>;
}

/**
 * The store's sub-stores, by name: the wrappers that act on every method (the SQLite busy retry, the
 * ready gate, the metrics) walk into these. One list, so that a new sub-store is wrapped by all of them.
 */
export const SUB_STORES = [
  'amendments',
  'threads',
  'rounds',
  'versions',
  'audit',
  'imports',
  'corrections',
  'ownership',
  'visits',
  'idempotency',
] as const satisfies readonly (keyof Store)[];

/** How a transaction may be carried out. */
export interface TransactionOptions {
  /**
   * A section's step that may share one database transaction with other sections' steps (PostgreSQL's
   * group commit, server/storage/kysely/groupCommit.ts): its writes still stay or go together and
   * alone, and the call resolves only once they are committed. Ignored where there is none (SQLite)
   * and inside a transaction already open.
   */
  groupCommit?: boolean;
}

/**
 * What one step of a section writes together: the Yjs update that carries a change, the amendment
 * records it changes, their audit lines and the Office's corrections.
 */
export interface StoreTransaction {
  findUserById(id: string): Promise<UserRecord | null>;
  appendUpdate(documentId: string, sectionId: string, update: Uint8Array): Promise<number>;
  readonly amendments: AmendmentStore;
  readonly audit: Pick<AuditStore, 'append'>;
  readonly corrections: CorrectionStore;
  /** The owner's fenced append (joins the transaction). */
  readonly ownership: Pick<OwnershipStore, 'append'>;
}

/** The Office's direct corrections of the official text (shared/corrections.ts). */
export interface CorrectionStore {
  /** Creates the correction, or replaces the one with the same id (a burst going on). */
  save(correction: Correction): Promise<Correction>;
  /** Oldest first; of one section when `sectionId` is given. */
  list(documentId: string, sectionId?: string): Promise<Correction[]>;
  /** Records that the correction's (closed) burst is in the audit log. */
  markAudited(id: string): Promise<void>;
  /** A section's corrections whose burst is not yet in the audit log, oldest first. */
  unaudited(documentId: string, sectionId: string): Promise<Correction[]>;
}

/** What creating a record takes: the new fields of sub-amendments, drafts and forms are optional. */
export type NewAmendment = Omit<
  Amendment,
  'ref' | 'history' | 'votes' | 'cosponsors' | 'parentId' | 'form' | 'modifiedText' | 'seconder'
> &
  Partial<Pick<Amendment, 'parentId' | 'form' | 'modifiedText'>>;

/** The content of a draft its group may edit. */
export type DraftContent = Pick<Amendment, 'paragraphs' | 'type' | 'originalText' | 'proposedText' | 'rationale'> & {
  form: AmendmentForm;
};

/** Amendment records. A record's id is the id its suggestion marks carry in the text. */
export interface AmendmentStore {
  /** Creates the record, giving it the document's next reference (`A-1`, `A-2`, …). */
  create(amendment: NewAmendment): Promise<Amendment>;
  get(id: string): Promise<Amendment | null>;
  list(documentId: string, filter?: AmendmentFilter): Promise<Amendment[]>;
  /**
   * Updates the derived fields (text, paragraphs, type) of a pending amendment. `known`: the record as
   * read in the same transaction, answered with the new fields instead of read again (a typed keystroke
   * does this, and the reading was five queries).
   */
  updateContent(
    id: string,
    content: Pick<Amendment, 'paragraphs' | 'type' | 'originalText' | 'proposedText' | 'sectionId'>,
    at: number,
    known?: Amendment,
  ): Promise<Amendment | null>;
  updateRationale(id: string, rationale: string, at: number): Promise<Amendment | null>;
  /** Records a state change with who and when, atomically with the status. */
  setStatus(id: string, event: AmendmentEvent): Promise<Amendment | null>;
  /** One voice per owner: sets, replaces or (stance null) withdraws it. */
  setVote(id: string, vote: Omit<AmendmentVote, 'stance'> & { stance: Stance | null }): Promise<Amendment | null>;
  /**
   * A decision and what undoing it needs, atomically: the status with its history entry, the Office's
   * words when it accepted with modifications (null otherwise), and the trace of where the words are.
   */
  decide(
    id: string,
    event: AmendmentEvent,
    decision: { modifiedText: string | null; trace: DecisionTrace | null },
  ): Promise<Amendment | null>;
  /** Where a decided amendment's words are (see decisionTrace.ts); null when none was kept. */
  getTrace(id: string): Promise<DecisionTrace | null>;
  /** Edits a draft (status `draft` only). */
  updateDraft(id: string, content: DraftContent, at: number): Promise<Amendment | null>;
  /**
   * Tables a draft in one step: its owner becomes the tabling member's group or State, its content what
   * the text now holds, its status `proposed` with a history entry noted `tabled`.
   */
  table(
    id: string,
    tabled: Pick<Amendment, 'ownerKey' | 'authorId' | 'authorName' | 'group' | 'memberState'> &
      Pick<Amendment, 'paragraphs' | 'type' | 'originalText' | 'proposedText' | 'sectionId'>,
    event: AmendmentEvent,
  ): Promise<Amendment | null>;
  /** Adds (on) or removes a co-sponsor; one entry per owner key. */
  setCosponsor(id: string, cosponsor: Cosponsor, on: boolean): Promise<Amendment | null>;
  /** Records the amendment's one seconder; null when it has one already (or does not exist). */
  second(id: string, seconder: Seconder): Promise<Amendment | null>;
}

export interface AmendmentFilter {
  sectionId?: string;
  paragraph?: number;
  /** A group (`government`, `employers`, `workers`) or `secretariat`. */
  group?: string;
  status?: AmendmentStatus;
}

/** Consultation rounds of documents. */
export interface RoundStore {
  /** Creates a round with the document's next number. */
  create(round: Omit<Round, 'number'>): Promise<Round>;
  get(id: string): Promise<Round | null>;
  list(documentId: string): Promise<Round[]>;
  /** The document's latest round (open or closed), or null. */
  latest(documentId: string): Promise<Round | null>;
  /** Closes an open round; null when it was closed already. */
  close(
    id: string,
    closed: { at: number; byId: string; byName: string; versionId: string | null },
  ): Promise<Round | null>;
  /**
   * Names a closed round's closing version, once (the version is taken after the round closed, so that
   * nothing tabled in the round can be missing from it); null when the round has one already.
   */
  attachClosingVersion(id: string, versionId: string): Promise<Round | null>;
}

/** Named versions: written once, never updated or deleted (the table refuses it). */
export interface VersionStore {
  create(version: Version): Promise<Version>;
  get(id: string): Promise<Version | null>;
  list(documentId: string): Promise<VersionSummary[]>;
}

/** The append-only audit log. */
export interface AuditStore {
  append(entry: Omit<AuditEntry, 'seq'>): Promise<AuditEntry>;
  /** Newest first. */
  list(
    documentId: string,
    page: { limit: number; offset: number; action?: string; hiddenTargets?: readonly string[] },
  ): Promise<{ entries: AuditEntry[]; total: number }>;
  /** Every entry of a document, oldest first (CSV export); `hiddenTargets`: target ids left out. */
  all(documentId: string, hiddenTargets?: readonly string[]): Promise<AuditEntry[]>;
}

/** Comment threads and their comments. */
export interface ThreadStore {
  create(thread: Omit<Thread, 'comments'>, first: Omit<Comment, 'threadId'>): Promise<Thread>;
  get(id: string): Promise<Thread | null>;
  listByDocument(documentId: string): Promise<Thread[]>;
  addComment(comment: Comment): Promise<Thread | null>;
  getComment(id: string): Promise<Comment | null>;
  editComment(id: string, body: string, at: number): Promise<Thread | null>;
  deleteComment(id: string, at: number): Promise<Thread | null>;
  setResolved(threadId: string, resolved: boolean, at: number): Promise<Thread | null>;
  /** Records that a user has read a section's comments up to every comment that exists now. */
  markRead(userId: string, documentId: string, sectionId: string, at: number): Promise<void>;
  /**
   * Comments of a document the user has not read: not by the user, not deleted, and stored after the
   * user last marked the comment's section read. The caller filters by what the user may see.
   */
  unreadComments(userId: string, documentId: string): Promise<UnreadComment[]>;
}

/** When each user last viewed each section: what is "new since my last visit" starts there. */
export interface VisitStore {
  /** Records a view of the section at `at` (the first one is kept too); an earlier `at` than the last leaves it. */
  markVisited(userId: string, documentId: string, sectionId: string, at: number): Promise<void>;
  /** The user's last view of each section of the document they have viewed. */
  list(userId: string, documentId: string): Promise<SectionVisit[]>;
}

export interface SectionVisit {
  sectionId: string;
  /** The user's first view of the section: never moves, so "never viewed since" has a fixed start. */
  firstVisitedAt: number;
  visitedAt: number;
}

/** One unread comment, located by its thread and section. */
export interface UnreadComment {
  commentId: string;
  threadId: string;
  sectionId: string;
}

/** Word imports of amendments (server/imports/): each upload's preview and what was tabled from it. */
export interface ImportStore {
  create(preview: ImportPreview): Promise<ImportPreview>;
  get(id: string): Promise<ImportPreview | null>;
  /** Records that one of the import's amendments was tabled; returns the updated preview. */
  markTabled(id: string, amendmentId: string, tabled: { id: string; ref: string }): Promise<ImportPreview | null>;
}

/**
 * Idempotency keys of HTTP commands, per user. A key is written by the first transaction a command
 * commits while `idempotencyScope` holds its claim (the same transaction as its effect); its answer is
 * added by {@link IdempotencyStore.complete} once known.
 */
export interface IdempotencyStore {
  find(userId: string, key: string): Promise<StoredIdempotency | null>;
  /** Stores the answer of the request that claimed the key. */
  complete(userId: string, key: string, claimId: string, status: number, body: string): Promise<void>;
  /** For a command that committed nothing in a transaction: the key and its answer at once; false if taken. */
  record(claim: IdempotencyClaim, status: number, body: string): Promise<boolean>;
  /** Forgets keys written before `before` (ms). */
  deleteOlderThan(before: number): Promise<number>;
}
