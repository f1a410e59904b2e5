import { z } from 'zod';
import { SlugParam } from '../../shared/api.js';
import { CreateThreadRequest, EditCommentRequest, ReplyRequest, type Thread } from '../../shared/threads.js';
import {
  createThread,
  deleteComment,
  editComment,
  markSectionRead,
  replyToThread,
  requireDocument,
  setThreadResolved,
  visibleThread,
} from '../commands/threads.js';
import { type RequestContext, type Router, parseWith, readJson, sendJson } from '../http/router.js';
import { visibleThreads } from '../policies/threads.js';
import { presentThreadFor } from '../presenters/thread.js';
import type { UserRecord } from '../storage/Store.js';
import { type AppServices, requireUser } from './context.js';

const DocumentParams = z.object({ documentId: SlugParam });
const SectionParams = z.object({ documentId: SlugParam, sectionId: SlugParam });
const IdParams = z.object({ id: z.string().min(1).max(64) });
const ThreadQuery = z.object({
  section: SlugParam.optional(),
  paragraph: z.coerce.number().int().positive().optional(),
  amendment: z.string().min(1).max(64).optional(),
  resolved: z.enum(['true', 'false']).optional(),
});

/** Unread comments per section of a document: every section is listed, 0 when all is read. */
export type UnreadResponse = Record<string, number>;

/**
 * Comment threads: read what you may see; every change goes through server/commands/threads.ts, which
 * checks the policies and pushes the thread to the sockets allowed to see it.
 */
export function threadRoutes(router: Router, services: AppServices): void {
  const { store } = services;

  function sendThread(ctx: RequestContext, user: UserRecord, thread: Thread, status: number): undefined {
    sendJson(ctx.res, status, presentThreadFor(user, thread));
    return undefined;
  }

  router.get('/api/documents/:documentId/threads', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const query = parseWith(ThreadQuery, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(services, documentId);
    const threads = visibleThreads(user, await store.threads.listByDocument(documentId)).filter(
      (t) =>
        (query.section === undefined || t.sectionId === query.section) &&
        (query.paragraph === undefined || t.paragraph === query.paragraph) &&
        (query.amendment === undefined || t.amendmentId === query.amendment) &&
        (query.resolved === undefined || t.resolved === (query.resolved === 'true')),
    );
    return threads.map((t) => presentThreadFor(user, t));
  });

  router.post('/api/documents/:documentId/threads', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const thread = await createThread(services, user, documentId, () => readJson(ctx.req, CreateThreadRequest));
    return sendThread(ctx, user, thread, 201);
  });

  router.get('/api/threads/:id', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(IdParams, ctx.params);
    return presentThreadFor(user, await visibleThread(services, user, id));
  });

  router.post('/api/threads/:id/replies', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(IdParams, ctx.params);
    const thread = await replyToThread(services, user, id, () => readJson(ctx.req, ReplyRequest));
    return sendThread(ctx, user, thread, 201);
  });

  for (const [action, resolved] of [
    ['resolve', true],
    ['reopen', false],
  ] as const) {
    router.post(`/api/threads/:id/${action}`, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { id } = parseWith(IdParams, ctx.params);
      const { thread } = await setThreadResolved(services, user, id, resolved);
      return presentThreadFor(user, thread);
    });
  }

  router.add('PATCH', '/api/comments/:id', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(IdParams, ctx.params);
    const thread = await editComment(services, user, id, () => readJson(ctx.req, EditCommentRequest));
    return presentThreadFor(user, thread);
  });

  router.delete('/api/comments/:id', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(IdParams, ctx.params);
    const { thread } = await deleteComment(services, user, id);
    return presentThreadFor(user, thread);
  });

  router.post('/api/documents/:documentId/sections/:sectionId/read', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, sectionId } = parseWith(SectionParams, ctx.params);
    const readAt = await markSectionRead(services, user, documentId, sectionId);
    return { documentId, sectionId, readAt };
  });

  router.get('/api/documents/:documentId/unread', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const outline = await requireDocument(services, documentId);
    const visible = new Set(visibleThreads(user, await store.threads.listByDocument(documentId)).map((t) => t.id));
    const counts: UnreadResponse = Object.fromEntries(outline.sections.map((s) => [s.id, 0]));
    for (const unread of await store.threads.unreadComments(user.id, documentId)) {
      if (visible.has(unread.threadId)) counts[unread.sectionId] = (counts[unread.sectionId] ?? 0) + 1;
    }
    return counts;
  });
}
