import { routes } from '../../shared/contract/index.js';
import type { UnreadResponse } from '../../shared/threads.js';
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
import { type Router, parseWith, readJson } from '../http/router.js';
import { visibleThreads } from '../policies/threads.js';
import { presentThreadFor } from '../presenters/thread.js';
import { unreadBySection } from '../whatsNew/unread.js';
import { type AppServices, requireUser } from './context.js';

/**
 * Comment threads: read what you may see; every change goes through server/commands/threads.ts, which
 * checks the policies and pushes the thread to the sockets allowed to see it. Statuses (201 on creation)
 * come from the contract's route table.
 */
export function threadRoutes(router: Router, services: AppServices): void {
  const { store } = services;

  router.route(routes.threads, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.threads.params, ctx.params);
    const query = parseWith(routes.threads.query, Object.fromEntries(ctx.url.searchParams));
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

  router.route(routes.createThread, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.createThread.params, ctx.params);
    const thread = await createThread(services, user, documentId, () => readJson(ctx.req, routes.createThread.request));
    return presentThreadFor(user, thread);
  });

  router.route(routes.thread, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.thread.params, ctx.params);
    return presentThreadFor(user, await visibleThread(services, user, id));
  });

  router.route(routes.reply, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.reply.params, ctx.params);
    const thread = await replyToThread(services, user, id, () => readJson(ctx.req, routes.reply.request));
    return presentThreadFor(user, thread);
  });

  for (const [spec, resolved] of [
    [routes.resolve, true],
    [routes.reopen, false],
  ] as const) {
    router.route(spec, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { id } = parseWith(spec.params, ctx.params);
      const { thread } = await setThreadResolved(services, user, id, resolved);
      return presentThreadFor(user, thread);
    });
  }

  router.route(routes.editComment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.editComment.params, ctx.params);
    const thread = await editComment(services, user, id, () => readJson(ctx.req, routes.editComment.request));
    return presentThreadFor(user, thread);
  });

  router.route(routes.deleteComment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.deleteComment.params, ctx.params);
    const { thread } = await deleteComment(services, user, id);
    return presentThreadFor(user, thread);
  });

  router.route(routes.markRead, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, sectionId } = parseWith(routes.markRead.params, ctx.params);
    const readAt = await markSectionRead(services, user, documentId, sectionId);
    return { documentId, sectionId, readAt };
  });

  router.route(routes.unread, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.unread.params, ctx.params);
    const outline = await requireDocument(services, documentId);
    const counts: UnreadResponse = await unreadBySection(
      services,
      user,
      documentId,
      outline.sections.map((s) => s.id),
    );
    return counts;
  });
}
