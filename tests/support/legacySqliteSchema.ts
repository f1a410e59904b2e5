/**
 * The schema the hand-written SQLite store (before the Kysely store) created on a new data folder,
 * before any of its later ALTERs: a data folder made by that release must open as schema version 1.
 */
export const LEGACY_SQLITE_SCHEMA = `
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
CREATE TABLE IF NOT EXISTS amendment_counters (
  document_id TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS amendments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  ref_number INTEGER NOT NULL,
  section_id TEXT NOT NULL,
  paragraphs TEXT NOT NULL,
  type TEXT NOT NULL,
  original_text TEXT NOT NULL,
  proposed_text TEXT NOT NULL,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  grp TEXT,
  member_state TEXT,
  rationale TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (document_id, ref_number)
);
CREATE INDEX IF NOT EXISTS amendments_section ON amendments (document_id, section_id, status);
CREATE TABLE IF NOT EXISTS amendment_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  amendment_id TEXT NOT NULL REFERENCES amendments(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS amendment_events_amendment ON amendment_events (amendment_id, seq);
CREATE TABLE IF NOT EXISTS amendment_votes (
  amendment_id TEXT NOT NULL REFERENCES amendments(id) ON DELETE CASCADE,
  owner_key TEXT NOT NULL,
  stance TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (amendment_id, owner_key)
);
CREATE TABLE IF NOT EXISTS amendment_cosponsors (
  amendment_id TEXT NOT NULL REFERENCES amendments(id) ON DELETE CASCADE,
  owner_key TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (amendment_id, owner_key)
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  document_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  target_ref TEXT,
  details TEXT NOT NULL,
  via TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_document ON audit_log (document_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS corrections (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  paragraph INTEGER,
  before_text TEXT NOT NULL,
  after_text TEXT NOT NULL,
  by_user_id TEXT NOT NULL,
  by_name TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  at INTEGER NOT NULL,
  audited INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS corrections_section ON corrections (document_id, section_id, seq);
CREATE TABLE IF NOT EXISTS imports (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  owner_key TEXT NOT NULL,
  file_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  preview TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_document ON imports (document_id, created_at);
CREATE TABLE IF NOT EXISTS rounds (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  amendment_deadline INTEGER NOT NULL,
  sub_amendment_deadline INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  opened_by_id TEXT NOT NULL,
  opened_by_name TEXT NOT NULL,
  closed_at INTEGER,
  closed_by_id TEXT,
  closed_by_name TEXT,
  version_id TEXT,
  UNIQUE (document_id, number)
);
CREATE TABLE IF NOT EXISTS threads (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  paragraph INTEGER,
  anchor_from TEXT,
  anchor_to TEXT,
  anchor_quote TEXT,
  amendment_id TEXT,
  visibility TEXT NOT NULL,
  grp TEXT,
  resolved INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS threads_document ON threads (document_id, created_at);
CREATE TABLE IF NOT EXISTS comments (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  author_role TEXT NOT NULL,
  author_group TEXT,
  author_member_state TEXT,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS comments_thread ON comments (thread_id, seq);
CREATE TABLE IF NOT EXISTS section_reads (
  user_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  section_id TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, document_id, section_id)
);
CREATE TABLE IF NOT EXISTS versions (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_id TEXT NOT NULL,
  created_by_name TEXT NOT NULL,
  round_id TEXT,
  sections TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_document ON versions (document_id, created_at);
CREATE TRIGGER IF NOT EXISTS versions_no_update BEFORE UPDATE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS versions_no_delete BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;
`;
