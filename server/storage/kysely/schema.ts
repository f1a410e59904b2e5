import type { Generated, Kysely } from 'kysely';

/**
 * The tables, as Kysely sees them. Column names are those of the first SQLite release, so existing
 * data folders keep working; integers are JavaScript numbers on both engines (PostgreSQL's bigint is
 * parsed as a number: timestamps and Yjs clientIDs stay far below 2^53).
 */
export interface Tables {
  users: {
    id: string;
    username: string;
    name: string;
    role: string;
    grp: string | null;
    member_state: string | null;
    password_hash: string;
    demo: number;
    created_at: number;
    deactivated_at: number | null;
  };
  regional_groups: { code: string; name_en: string; name_fr: string; name_es: string; short_name: string };
  regional_group_members: { group_code: string; state: string };
  sign_in_links: {
    token_hash: string;
    user_id: string;
    created_at: number;
    expires_at: number;
    used_at: number | null;
  };
  sessions: { token_hash: string; user_id: string; created_at: number; expires_at: number };
  documents: {
    id: string;
    symbol: string;
    title: string;
    language: string;
    position: number;
    date: string | null;
    date_name: string | null;
  };
  sections: {
    document_id: string;
    id: string;
    position: number;
    kind: string;
    label: string;
    title: string;
    parent_id: string | null;
    paragraphs: string;
  };
  section_updates: {
    seq: Generated<number>;
    document_id: string;
    section_id: string;
    update_data: Uint8Array;
    /** The owner's number of the row (migration 0002); null for rows stored without an owner. */
    head_seq: number | null;
    /** The epoch of the owner that stored the row (migration 0013); null for rows stored without one. */
    head_epoch: number | null;
  };
  section_head: { document_id: string; section_id: string; epoch: number; seq: number };
  section_lease: { document_id: string; section_id: string; owner: string; expires_at: number };
  client_bindings: { document_id: string; section_id: string; client_id: number; user_id: string };
  idempotency_keys: {
    user_id: string;
    idem_key: string;
    fingerprint: string;
    /** The request that claimed the key: tells its own later transactions from another request's. */
    claim_id: string;
    status: number | null;
    body: string | null;
    created_at: number;
  };
  suggestion_owners: {
    id: string;
    document_id: string;
    section_id: string;
    owner_key: string;
    user_id: string;
    created_at: number;
  };
  amendment_counters: { document_id: string; last: number };
  amendments: {
    id: string;
    document_id: string;
    ref_number: number;
    section_id: string;
    paragraphs: string;
    type: string;
    original_text: string;
    proposed_text: string;
    author_id: string;
    author_name: string;
    owner_key: string;
    grp: string | null;
    member_state: string | null;
    rationale: string;
    status: string;
    created_at: number;
    updated_at: number;
    parent_id: string | null;
    form: string | null;
    modified_text: string | null;
    trace: string | null;
    draft_circle?: string | null;
  };
  amendment_events: {
    seq: Generated<number>;
    amendment_id: string;
    status: string;
    by_user_id: string;
    by_name: string;
    at: number;
    note: string | null;
  };
  amendment_votes: {
    amendment_id: string;
    owner_key: string;
    stance: string;
    by_user_id: string;
    by_name: string;
    at: number;
  };
  amendment_cosponsors: { amendment_id: string; owner_key: string; by_user_id: string; by_name: string; at: number };
  amendment_seconders: {
    amendment_id: string;
    owner_key: string;
    by_user_id: string;
    by_name: string;
    at: number;
    /** 1: the Office recorded that it was seconded in the room. */
    in_room: number;
  };
  audit_log: {
    seq: Generated<number>;
    at: number;
    user_id: string;
    user_name: string;
    role: string;
    action: string;
    document_id: string;
    target_type: string;
    target_id: string;
    target_ref: string | null;
    details: string;
    via: string;
    ip: string | null;
    user_agent: string | null;
  };
  corrections: {
    seq: Generated<number>;
    id: string;
    document_id: string;
    section_id: string;
    paragraph: number | null;
    before_text: string;
    after_text: string;
    by_user_id: string;
    by_name: string;
    started_at: number;
    at: number;
    audited: Generated<number>;
  };
  imports: {
    id: string;
    document_id: string;
    user_id: string;
    owner_key: string;
    file_name: string;
    created_at: number;
    preview: string;
  };
  rounds: {
    id: string;
    document_id: string;
    number: number;
    amendment_deadline: number;
    sub_amendment_deadline: number;
    opened_at: number;
    opened_by_id: string;
    opened_by_name: string;
    closed_at: number | null;
    closed_by_id: string | null;
    closed_by_name: string | null;
    version_id: string | null;
  };
  versions: {
    id: string;
    document_id: string;
    name: string;
    created_at: number;
    created_by_id: string;
    created_by_name: string;
    round_id: string | null;
    sections: string;
  };
  threads: {
    id: string;
    document_id: string;
    section_id: string;
    paragraph: number | null;
    anchor_from: string | null;
    anchor_to: string | null;
    anchor_quote: string | null;
    amendment_id: string | null;
    visibility: string;
    circle: string | null;
    grp: string | null;
    resolved: number;
    created_at: number;
    updated_at: number;
  };
  comments: {
    seq: Generated<number>;
    id: string;
    thread_id: string;
    author_id: string;
    author_name: string;
    author_role: string;
    author_group: string | null;
    author_member_state: string | null;
    body: string;
    created_at: number;
    edited_at: number | null;
    deleted: number;
  };
  section_reads: { user_id: string; document_id: string; section_id: string; last_seq: number; read_at: number };
  section_visits: {
    user_id: string;
    document_id: string;
    section_id: string;
    first_visited_at: number;
    visited_at: number;
  };
}

export type Db = Kysely<Tables>;
export type Engine = 'sqlite' | 'postgres';

/**
 * How a concern reaches the database: `db()` is the open transaction's connection when called from
 * inside one (so a step's writes stay together), the store's otherwise; `tx` runs several statements
 * as one transaction, joining the open one if there is.
 */
export interface Queries {
  readonly engine: Engine;
  db(): Db;
  tx<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

/** A unique constraint refused the row (either engine): a racing writer took the number first. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
