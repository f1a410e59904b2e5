import { randomUUID } from 'node:crypto';
import { routes } from '../../shared/contract/index.js';
import type { Comment, Thread, UnreadResponse } from '../../shared/threads.js';
import type { Authenticated } from '../auth/sessions.js';
import { HttpError, badRequest, forbidden, notFound } from '../errors.js';
import { type Router, parseWith, readJson } from '../http/router.js';
import {
  type Refusal,
  canAttachThreadTo,
  groupOfNewThread,
  visibleThreads,
  whyCannotComment,
  whyCannotCreateThread,
  whyCannotDeleteComment,
  whyCannotEditComment,
  whyCannotReply,
  whyCannotResolve,
  whyCannotSeeThread,
} from '../policies/threads.js';
import { type ThreadView, presentThreadFor } from '../presenters/thread.js';
import { publishThreadChanged } from '../realtime/threadEvents.js';
import type { UserRecord } from '../storage/Store.js';
import { checkAnchor } from '../threads/anchorCheck.js';
import { type AppServices, requireUser } from './context.js';

/**
 * Comment threads: read what you may see, write through the thread policies, and push every change to
 * the sockets allowed to see it. A thread the caller may not see answers 404, as if it did not exist.
 */
export function threadRoutes(router: Router, services: AppServices): void {
  const { store } = services;

  function refuse(reason: Refusal): void {
    if (reason) throw forbidden(reason);
  }

  async function requireDocument(documentId: string) {
    const outline = await store.getDocument(documentId);
    if (!outline) throw notFound(`There is no document "${documentId}".`);
    return outline;
  }

  /** The thread, if it exists and the user may see it; 404 otherwise. */
  async function visibleThread(user: UserRecord, id: string): Promise<Thread> {
    const thread = await store.threads.get(id);
    if (!thread || whyCannotSeeThread(user, thread)) throw notFound('There is no such thread.');
    return thread;
  }

  /** The comment and its thread, if the user may see that thread; 404 otherwise. */
  async function visibleComment(user: UserRecord, id: string): Promise<{ comment: Comment; thread: Thread }> {
    const comment = await store.threads.getComment(id);
    const thread = comment ? await store.threads.get(comment.threadId) : null;
    if (!comment || !thread || whyCannotSeeThread(user, thread)) throw notFound('There is no such comment.');
    return { comment, thread };
  }

  /** Pushes the changed thread to those who may see it, and answers with it as this user sees it. */
  function changed(user: UserRecord, thread: Thread | null): ThreadView {
    if (!thread) throw notFound('There is no such thread.');
    publishThreadChanged(services.events, thread);
    return presentThreadFor(user, thread);
  }

  function newComment(auth: Authenticated, threadId: string, body: string, at: number): Comment {
    const { user } = auth;
    return {
      id: randomUUID(),
      threadId,
      authorId: user.id,
      authorName: user.name,
      authorRole: user.role,
      authorGroup: user.group,
      authorMemberState: user.memberState,
      body,
      createdAt: at,
      editedAt: null,
      deleted: false,
    };
  }

  router.route(routes.threads, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.threads.params, ctx.params);
    const query = parseWith(routes.threads.query, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(documentId);
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
    const auth = await requireUser(services, ctx);
    const { user } = auth;
    const { documentId } = parseWith(routes.createThread.params, ctx.params);
    await requireDocument(documentId);
    refuse(whyCannotComment(user));
    const request = await readJson(ctx.req, routes.createThread.request);
    refuse(whyCannotCreateThread(user, request.visibility));
    const section = await store.getSection(documentId, request.sectionId);
    if (!section) throw badRequest(`sectionId: there is no section "${request.sectionId}" in this document.`);
    if (request.paragraph !== undefined && !section.paragraphs.includes(request.paragraph)) {
      throw badRequest(`paragraph: paragraph ${request.paragraph} is not in section "${section.label}".`);
    }
    if (request.amendmentId !== undefined) {
      const target = await store.amendments.get(request.amendmentId);
      if (!canAttachThreadTo(user, documentId, target))
        throw notFound(`amendmentId: there is no amendment "${request.amendmentId}" in this document.`);
    }
    let paragraph = request.paragraph ?? null;
    let anchor: Thread['anchor'] = null;
    if (request.anchor) {
      const requested = request.anchor;
      const checked = await services.collab.withSectionDoc(documentId, section.id, (room) =>
        checkAnchor(room.doc, requested),
      );
      if (paragraph !== null && checked.paragraph !== null && checked.paragraph !== paragraph) {
        throw badRequest(`anchor: the selected words are in paragraph ${checked.paragraph}, not ${paragraph}.`);
      }
      paragraph ??= checked.paragraph;
      anchor = checked.anchor;
    }
    const now = Date.now();
    const id = randomUUID();
    const thread = await store.threads.create(
      {
        id,
        documentId,
        sectionId: section.id,
        paragraph,
        anchor,
        amendmentId: request.amendmentId ?? null,
        visibility: request.visibility,
        group: groupOfNewThread(user, request.visibility),
        resolved: false,
        createdAt: now,
        updatedAt: now,
      },
      newComment(auth, id, request.body, now),
    );
    return changed(user, thread);
  });

  router.route(routes.thread, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.thread.params, ctx.params);
    return presentThreadFor(user, await visibleThread(user, id));
  });

  router.route(routes.reply, async (ctx) => {
    const auth = await requireUser(services, ctx);
    const { id } = parseWith(routes.reply.params, ctx.params);
    const thread = await visibleThread(auth.user, id);
    refuse(whyCannotReply(auth.user, thread));
    const { body } = await readJson(ctx.req, routes.reply.request);
    return changed(auth.user, await store.threads.addComment(newComment(auth, thread.id, body, Date.now())));
  });

  for (const [spec, resolved] of [
    [routes.resolve, true],
    [routes.reopen, false],
  ] as const) {
    router.route(spec, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { id } = parseWith(spec.params, ctx.params);
      const thread = await visibleThread(user, id);
      refuse(whyCannotResolve(user, thread));
      if (thread.resolved === resolved) return presentThreadFor(user, thread);
      return changed(user, await store.threads.setResolved(thread.id, resolved, Date.now()));
    });
  }

  router.route(routes.editComment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.editComment.params, ctx.params);
    const { comment } = await visibleComment(user, id);
    if (comment.deleted && comment.authorId === user.id) {
      throw new HttpError(409, 'comment_deleted', 'This comment was deleted; it can no longer be edited.');
    }
    refuse(whyCannotEditComment(user, comment));
    const { body } = await readJson(ctx.req, routes.editComment.request);
    return changed(user, await store.threads.editComment(comment.id, body, Date.now()));
  });

  router.route(routes.deleteComment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.deleteComment.params, ctx.params);
    const { comment, thread } = await visibleComment(user, id);
    refuse(whyCannotDeleteComment(user, comment));
    if (comment.deleted) return presentThreadFor(user, thread);
    return changed(user, await store.threads.deleteComment(comment.id, Date.now()));
  });

  router.route(routes.markRead, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, sectionId } = parseWith(routes.markRead.params, ctx.params);
    if (!(await store.getSection(documentId, sectionId))) {
      throw notFound(`There is no section "${sectionId}" in document "${documentId}".`);
    }
    const readAt = Date.now();
    await store.threads.markRead(user.id, documentId, sectionId, readAt);
    return { documentId, sectionId, readAt };
  });

  router.route(routes.unread, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.unread.params, ctx.params);
    const outline = await requireDocument(documentId);
    const visible = new Set(visibleThreads(user, await store.threads.listByDocument(documentId)).map((t) => t.id));
    const counts: UnreadResponse = Object.fromEntries(outline.sections.map((s) => [s.id, 0]));
    for (const unread of await store.threads.unreadComments(user.id, documentId)) {
      if (visible.has(unread.threadId)) counts[unread.sectionId] = (counts[unread.sectionId] ?? 0) + 1;
    }
    return counts;
  });
}
