import { randomUUID } from 'node:crypto';
import type { Comment, CreateThreadRequest, Thread } from '../../shared/threads.js';
import type { DocumentOutline } from '../../shared/document.js';
import { HttpError, badRequest, notFound } from '../errors.js';
import { throwIfRefused } from '../policies/refusal.js';
import {
  canAttachThreadTo,
  circleOfNewThread,
  groupOfNewThread,
  whyCannotComment,
  whyCannotCreateThread,
  whyCannotDeleteComment,
  whyCannotEditComment,
  whyCannotReply,
  whyCannotResolve,
  whyCannotSeeThread,
} from '../policies/threads.js';
import { publishThreadChanged } from '../realtime/threadEvents.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { checkAnchor } from '../threads/anchorCheck.js';

/**
 * Comment threads: every change checks the thread policies, writes the record and pushes the thread to
 * the sockets allowed to see it. A thread the caller may not see is a 404, as if it did not exist.
 * Commands that take a body take it as `read`: it is read only once the caller may act, so a refused
 * caller gets the refusal whatever the body holds.
 */

/** Reads and validates a request body, called once the caller has passed the checks. */
export type ReadBody<T> = () => Promise<T>;

export async function requireDocument(services: AppServices, documentId: string): Promise<DocumentOutline> {
  const outline = await services.store.getDocument(documentId);
  if (!outline) throw notFound(`There is no document "${documentId}".`);
  return outline;
}

/** The thread, if it exists and the user may see it; 404 otherwise. */
export async function visibleThread(services: AppServices, user: UserRecord, id: string): Promise<Thread> {
  const thread = await services.store.threads.get(id);
  if (!thread || whyCannotSeeThread(user, thread)) throw notFound('There is no such thread.');
  return thread;
}

/** The comment and its thread, if the user may see that thread; 404 otherwise. */
async function visibleComment(
  services: AppServices,
  user: UserRecord,
  id: string,
): Promise<{ comment: Comment; thread: Thread }> {
  const comment = await services.store.threads.getComment(id);
  const thread = comment ? await services.store.threads.get(comment.threadId) : null;
  if (!comment || !thread || whyCannotSeeThread(user, thread)) throw notFound('There is no such comment.');
  return { comment, thread };
}

/** Pushes the changed thread to those who may see it; a thread gone meanwhile is a 404. */
function announce(services: AppServices, thread: Thread | null): Thread {
  if (!thread) throw notFound('There is no such thread.');
  publishThreadChanged(services.events, thread);
  return thread;
}

function newComment(user: UserRecord, threadId: string, body: string, at: number): Comment {
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

/** Opens a thread on a section, a paragraph, some words or an amendment, with its first comment. */
export async function createThread(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  read: ReadBody<CreateThreadRequest>,
): Promise<Thread> {
  const { store } = services;
  await requireDocument(services, documentId);
  throwIfRefused(whyCannotComment(user));
  const request = await read();
  throwIfRefused(whyCannotCreateThread(user, request.visibility, request.region));
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
  const now = services.clock.now();
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
      circle: circleOfNewThread(user, request.visibility, request.region),
      resolved: false,
      createdAt: now,
      updatedAt: now,
    },
    newComment(user, id, request.body, now),
  );
  return announce(services, thread);
}

export async function replyToThread(
  services: AppServices,
  user: UserRecord,
  id: string,
  read: ReadBody<{ body: string }>,
): Promise<Thread> {
  const thread = await visibleThread(services, user, id);
  throwIfRefused(whyCannotReply(user, thread));
  const { body } = await read();
  const comment = newComment(user, thread.id, body, services.clock.now());
  return announce(services, await services.store.threads.addComment(comment));
}

/** Resolves or reopens a thread; `changed: false` when it already was. */
export async function setThreadResolved(
  services: AppServices,
  user: UserRecord,
  id: string,
  resolved: boolean,
): Promise<{ thread: Thread; changed: boolean }> {
  const thread = await visibleThread(services, user, id);
  throwIfRefused(whyCannotResolve(user, thread));
  if (thread.resolved === resolved) return { thread, changed: false };
  const updated = await services.store.threads.setResolved(thread.id, resolved, services.clock.now());
  return { thread: announce(services, updated), changed: true };
}

export async function editComment(
  services: AppServices,
  user: UserRecord,
  id: string,
  read: ReadBody<{ body: string }>,
): Promise<Thread> {
  const { comment } = await visibleComment(services, user, id);
  if (comment.deleted && comment.authorId === user.id) {
    const deleted = new HttpError(409, 'comment_deleted', 'This comment was deleted; it can no longer be edited.');
    deleted.reason = { code: 'comment_deleted', params: {} };
    throw deleted;
  }
  throwIfRefused(whyCannotEditComment(user, comment));
  const { body } = await read();
  return announce(services, await services.store.threads.editComment(comment.id, body, services.clock.now()));
}

/** Deletes a comment (its author, or the Office); `changed: false` when it already was. */
export async function deleteComment(
  services: AppServices,
  user: UserRecord,
  id: string,
): Promise<{ thread: Thread; changed: boolean }> {
  const { comment, thread } = await visibleComment(services, user, id);
  throwIfRefused(whyCannotDeleteComment(user, comment));
  if (comment.deleted) return { thread, changed: false };
  const updated = await services.store.threads.deleteComment(comment.id, services.clock.now());
  return { thread: announce(services, updated), changed: true };
}

/** Marks a section's comments read for the user, up to now. */
export async function markSectionRead(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  sectionId: string,
): Promise<number> {
  if (!(await services.store.getSection(documentId, sectionId))) {
    throw notFound(`There is no section "${sectionId}" in document "${documentId}".`);
  }
  const readAt = services.clock.now();
  await services.store.threads.markRead(user.id, documentId, sectionId, readAt);
  return readAt;
}
