import type { Selectable } from 'kysely';
import type { Group, Role } from '../../../shared/roles.js';
import type { Comment, Thread, ThreadVisibility } from '../../../shared/threads.js';
import type { ThreadStore, UnreadComment } from '../Store.js';
import type { Db, Queries, Tables } from './schema.js';

type ThreadRow = Selectable<Tables['threads']>;
type CommentRow = Selectable<Tables['comments']>;

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
    circle: row.circle,
    resolved: row.resolved === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    comments,
  };
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

/**
 * Comment threads: tables `threads` and `comments`, plus `section_reads` for unread counts. A deleted
 * comment keeps its row (body emptied, `deleted` set), so a thread keeps its shape and the replies
 * after it keep their context.
 */
export function createThreadStore(q: Queries): ThreadStore {
  async function load(db: Db, id: string): Promise<Thread | null> {
    const row = await db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const comments = await db.selectFrom('comments').selectAll().where('thread_id', '=', id).orderBy('seq').execute();
    return toThread(row, comments.map(toComment));
  }

  /** Runs a change to a thread atomically and returns the thread as it is after it. */
  function change(threadId: string, apply: (db: Db) => Promise<boolean>): Promise<Thread | null> {
    return q.tx(async (db) => ((await apply(db)) ? load(db, threadId) : null));
  }

  const touchThread = (db: Db, threadId: string, at: number) =>
    db.updateTable('threads').set({ updated_at: at }).where('id', '=', threadId).execute();

  const getComment = (id: string) => q.db().selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    async create(thread, first) {
      const created = await q.tx(async (db) => {
        await db
          .insertInto('threads')
          .values({
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
            circle: thread.circle ?? null,
            resolved: thread.resolved ? 1 : 0,
            created_at: thread.createdAt,
            updated_at: thread.updatedAt,
          })
          .execute();
        await db
          .insertInto('comments')
          .values(commentRow({ ...first, threadId: thread.id }))
          .execute();
        return load(db, thread.id);
      });
      if (!created) throw new Error(`thread ${thread.id} was not stored`);
      return created;
    },

    async get(id) {
      return load(q.db(), id);
    },

    async listByDocument(documentId) {
      const db = q.db();
      const comments = await db
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .selectAll('c')
        .where('t.document_id', '=', documentId)
        .orderBy('c.seq')
        .execute();
      const byThread = new Map<string, Comment[]>();
      for (const row of comments) {
        const list = byThread.get(row.thread_id);
        if (list) list.push(toComment(row));
        else byThread.set(row.thread_id, [toComment(row)]);
      }
      const threads = await db
        .selectFrom('threads')
        .selectAll()
        .where('document_id', '=', documentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return threads.map((row) => toThread(row, byThread.get(row.id) ?? []));
    },

    async addComment(comment) {
      return change(comment.threadId, async (db) => {
        if (!(await db.selectFrom('threads').select('id').where('id', '=', comment.threadId).executeTakeFirst())) {
          return false;
        }
        await db.insertInto('comments').values(commentRow(comment)).execute();
        await touchThread(db, comment.threadId, comment.createdAt);
        return true;
      });
    },

    async getComment(id) {
      const row = await getComment(id);
      return row ? toComment(row) : null;
    },

    async editComment(id, body, at) {
      const row = await getComment(id);
      if (!row) return null;
      return change(row.thread_id, async (db) => {
        const result = await db
          .updateTable('comments')
          .set({ body, edited_at: at })
          .where('id', '=', id)
          .where('deleted', '=', 0)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        await touchThread(db, row.thread_id, at);
        return true;
      });
    },

    async deleteComment(id, at) {
      const row = await getComment(id);
      if (!row) return null;
      return change(row.thread_id, async (db) => {
        await db.updateTable('comments').set({ body: '', deleted: 1 }).where('id', '=', id).execute();
        await touchThread(db, row.thread_id, at);
        return true;
      });
    },

    async setResolved(threadId, resolved, at) {
      return change(threadId, async (db) => {
        const result = await db
          .updateTable('threads')
          .set({ resolved: resolved ? 1 : 0, updated_at: at })
          .where('id', '=', threadId)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      });
    },

    async markRead(userId, documentId, sectionId, at) {
      await q
        .db()
        .insertInto('section_reads')
        .values((eb) => ({
          user_id: userId,
          document_id: documentId,
          section_id: sectionId,
          last_seq: eb.fn.coalesce(
            eb.selectFrom('comments').select((s) => s.fn.max('seq').as('m')),
            eb.lit(0),
          ),
          read_at: at,
        }))
        .onConflict((oc) =>
          oc.columns(['user_id', 'document_id', 'section_id']).doUpdateSet((eb) => ({
            last_seq: eb.ref('excluded.last_seq'),
            read_at: eb.ref('excluded.read_at'),
          })),
        )
        .execute();
    },

    async unreadComments(userId, documentId): Promise<UnreadComment[]> {
      const rows = await q
        .db()
        .selectFrom('comments as c')
        .innerJoin('threads as t', 't.id', 'c.thread_id')
        .leftJoin('section_reads as r', (join) =>
          join
            .on('r.user_id', '=', userId)
            .onRef('r.document_id', '=', 't.document_id')
            .onRef('r.section_id', '=', 't.section_id'),
        )
        .select(['c.id as comment_id', 't.id as thread_id', 't.section_id as section_id'])
        .where('t.document_id', '=', documentId)
        .where('c.author_id', '<>', userId)
        .where('c.deleted', '=', 0)
        .where((eb) => eb('c.seq', '>', eb.fn.coalesce('r.last_seq', eb.lit(0))))
        .orderBy('c.seq')
        .execute();
      return rows.map((r) => ({ commentId: r.comment_id, threadId: r.thread_id, sectionId: r.section_id }));
    },
  };
}
