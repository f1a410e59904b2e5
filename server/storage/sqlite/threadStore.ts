import type Database from 'better-sqlite3';
import type { Group, Role } from '../../../shared/roles.js';
import type { Comment, Thread, ThreadVisibility } from '../../../shared/threads.js';
import type { ThreadStore, UnreadComment } from '../Store.js';

const SCHEMA = `
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
`;

interface ThreadRow {
  id: string;
  document_id: string;
  section_id: string;
  paragraph: number | null;
  anchor_from: string | null;
  anchor_to: string | null;
  anchor_quote: string | null;
  amendment_id: string | null;
  visibility: string;
  grp: string | null;
  resolved: number;
  created_at: number;
  updated_at: number;
}

interface CommentRow {
  seq: number;
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
}

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    threadId: row.thread_id,
    authorId: row.author_id,
    authorName: row.author_name,
    authorRole: row.author_role as Role,
    authorGroup: row.author_group as Group | null,
    authorMemberState: row.author_member_state,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted: row.deleted === 1,
  };
}

function toThread(row: ThreadRow, comments: Comment[]): Thread {
  const anchor =
    row.anchor_from !== null && row.anchor_to !== null
      ? { from: row.anchor_from, to: row.anchor_to, quote: row.anchor_quote ?? '' }
      : null;
  return {
    id: row.id,
    documentId: row.document_id,
    sectionId: row.section_id,
    paragraph: row.paragraph,
    anchor,
    amendmentId: row.amendment_id,
    visibility: row.visibility as ThreadVisibility,
    group: row.grp as Group | null,
    resolved: row.resolved === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    comments,
  };
}

/**
 * Comment threads in SQLite: tables `threads` and `comments`, plus `section_reads` for unread counts.
 * A deleted comment keeps its row (body emptied, `deleted` set), so a thread keeps its shape and the
 * replies after it keep their context.
 */
export function createSqliteThreadStore(db: Database.Database): ThreadStore {
  db.exec(SCHEMA);
  const stmt = {
    insertThread: db.prepare(
      `INSERT INTO threads (id, document_id, section_id, paragraph, anchor_from, anchor_to, anchor_quote, amendment_id,
         visibility, grp, resolved, created_at, updated_at)
       VALUES (@id, @document_id, @section_id, @paragraph, @anchor_from, @anchor_to, @anchor_quote, @amendment_id,
         @visibility, @grp, @resolved, @created_at, @updated_at)`,
    ),
    insertComment: db.prepare(
      `INSERT INTO comments (id, thread_id, author_id, author_name, author_role, author_group, author_member_state,
         body, created_at, edited_at, deleted)
       VALUES (@id, @thread_id, @author_id, @author_name, @author_role, @author_group, @author_member_state,
         @body, @created_at, @edited_at, @deleted)`,
    ),
    thread: db.prepare('SELECT * FROM threads WHERE id = ?'),
    threadsOf: db.prepare('SELECT * FROM threads WHERE document_id = ? ORDER BY created_at, id'),
    commentsOfThread: db.prepare('SELECT * FROM comments WHERE thread_id = ? ORDER BY seq'),
    commentsOfDocument: db.prepare(
      `SELECT c.* FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.document_id = ? ORDER BY c.seq`,
    ),
    comment: db.prepare('SELECT * FROM comments WHERE id = ?'),
    editComment: db.prepare('UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND deleted = 0'),
    deleteComment: db.prepare("UPDATE comments SET body = '', deleted = 1 WHERE id = ?"),
    touchThread: db.prepare('UPDATE threads SET updated_at = ? WHERE id = ?'),
    setResolved: db.prepare('UPDATE threads SET resolved = ?, updated_at = ? WHERE id = ?'),
    markRead: db.prepare(
      `INSERT INTO section_reads (user_id, document_id, section_id, last_seq, read_at)
       VALUES (?, ?, ?, COALESCE((SELECT MAX(seq) FROM comments), 0), ?)
       ON CONFLICT (user_id, document_id, section_id)
       DO UPDATE SET last_seq = excluded.last_seq, read_at = excluded.read_at`,
    ),
    unread: db.prepare(
      `SELECT c.id AS comment_id, t.id AS thread_id, t.section_id AS section_id
       FROM comments c
       JOIN threads t ON t.id = c.thread_id
       LEFT JOIN section_reads r
         ON r.user_id = ? AND r.document_id = t.document_id AND r.section_id = t.section_id
       WHERE t.document_id = ? AND c.author_id <> ? AND c.deleted = 0 AND c.seq > COALESCE(r.last_seq, 0)
       ORDER BY c.seq`,
    ),
  };

  function load(id: string): Thread | null {
    const row = stmt.thread.get(id) as ThreadRow | undefined;
    if (!row) return null;
    return toThread(row, (stmt.commentsOfThread.all(id) as CommentRow[]).map(toComment));
  }

  /** Runs a change to a thread atomically and returns the thread as it is after it. */
  function change(threadId: string, apply: () => boolean): Thread | null {
    return db.transaction(() => (apply() ? load(threadId) : null))();
  }

  function commentRow(c: Comment) {
    return {
      id: c.id,
      thread_id: c.threadId,
      author_id: c.authorId,
      author_name: c.authorName,
      author_role: c.authorRole,
      author_group: c.authorGroup,
      author_member_state: c.authorMemberState,
      body: c.body,
      created_at: c.createdAt,
      edited_at: c.editedAt,
      deleted: c.deleted ? 1 : 0,
    };
  }

  return {
    async create(thread, first) {
      const created = db.transaction(() => {
        stmt.insertThread.run({
          id: thread.id,
          document_id: thread.documentId,
          section_id: thread.sectionId,
          paragraph: thread.paragraph,
          anchor_from: thread.anchor?.from ?? null,
          anchor_to: thread.anchor?.to ?? null,
          anchor_quote: thread.anchor?.quote ?? null,
          amendment_id: thread.amendmentId,
          visibility: thread.visibility,
          grp: thread.group,
          resolved: thread.resolved ? 1 : 0,
          created_at: thread.createdAt,
          updated_at: thread.updatedAt,
        });
        stmt.insertComment.run(commentRow({ ...first, threadId: thread.id }));
        return load(thread.id);
      })();
      if (!created) throw new Error(`thread ${thread.id} was not stored`);
      return created;
    },

    async get(id) {
      return load(id);
    },

    async listByDocument(documentId) {
      const byThread = new Map<string, Comment[]>();
      for (const row of stmt.commentsOfDocument.all(documentId) as CommentRow[]) {
        const list = byThread.get(row.thread_id);
        if (list) list.push(toComment(row));
        else byThread.set(row.thread_id, [toComment(row)]);
      }
      return (stmt.threadsOf.all(documentId) as ThreadRow[]).map((row) => toThread(row, byThread.get(row.id) ?? []));
    },

    async addComment(comment) {
      return change(comment.threadId, () => {
        if (!stmt.thread.get(comment.threadId)) return false;
        stmt.insertComment.run(commentRow(comment));
        stmt.touchThread.run(comment.createdAt, comment.threadId);
        return true;
      });
    },

    async getComment(id) {
      const row = stmt.comment.get(id) as CommentRow | undefined;
      return row ? toComment(row) : null;
    },

    async editComment(id, body, at) {
      const row = stmt.comment.get(id) as CommentRow | undefined;
      if (!row) return null;
      return change(row.thread_id, () => {
        if (stmt.editComment.run(body, at, id).changes === 0) return false;
        stmt.touchThread.run(at, row.thread_id);
        return true;
      });
    },

    async deleteComment(id, at) {
      const row = stmt.comment.get(id) as CommentRow | undefined;
      if (!row) return null;
      return change(row.thread_id, () => {
        stmt.deleteComment.run(id);
        stmt.touchThread.run(at, row.thread_id);
        return true;
      });
    },

    async setResolved(threadId, resolved, at) {
      return change(threadId, () => stmt.setResolved.run(resolved ? 1 : 0, at, threadId).changes > 0);
    },

    async markRead(userId, documentId, sectionId, at) {
      stmt.markRead.run(userId, documentId, sectionId, at);
    },

    async unreadComments(userId, documentId): Promise<UnreadComment[]> {
      const rows = stmt.unread.all(userId, documentId, userId) as {
        comment_id: string;
        thread_id: string;
        section_id: string;
      }[];
      return rows.map((r) => ({ commentId: r.comment_id, threadId: r.thread_id, sectionId: r.section_id }));
    },
  };
}
