import { z } from 'zod';
import { SlugParam } from '../api.js';
import {
  CreateThreadRequest,
  EditCommentRequest,
  MarkReadResponse,
  ReplyRequest,
  ThreadView,
  UnreadResponse,
} from '../threads.js';
import { EmptyRequest } from './amendments.js';
import { DocumentParams, IdParams, SectionParams } from './params.js';
import { route } from './spec.js';

export const ThreadQuery = z.object({
  section: SlugParam.optional(),
  paragraph: z.coerce.number().int().positive().optional(),
  amendment: z.string().min(1).max(64).optional(),
  resolved: z.enum(['true', 'false']).optional(),
});

export const threadRoutes = {
  threads: route({
    method: 'GET',
    path: '/api/documents/:documentId/threads',
    summary: 'The threads the caller may see, each with the caller’s abilities.',
    params: DocumentParams,
    query: ThreadQuery,
    response: z.array(ThreadView),
  }),
  createThread: route({
    method: 'POST',
    path: '/api/documents/:documentId/threads',
    summary: 'Opens a thread on a range, a paragraph or an amendment.',
    who: 'delegates, the Office',
    params: DocumentParams,
    request: CreateThreadRequest,
    response: ThreadView,
    status: 201,
  }),
  thread: route({
    method: 'GET',
    path: '/api/threads/:id',
    summary: 'One thread.',
    params: IdParams,
    response: ThreadView,
  }),
  reply: route({
    method: 'POST',
    path: '/api/threads/:id/replies',
    summary: 'Replies to a thread.',
    who: 'delegates, the Office',
    params: IdParams,
    request: ReplyRequest,
    response: ThreadView,
    status: 201,
  }),
  resolve: route({
    method: 'POST',
    path: '/api/threads/:id/resolve',
    summary: 'Resolves a thread.',
    who: "the first author's group, the Office",
    params: IdParams,
    request: EmptyRequest,
    response: ThreadView,
  }),
  reopen: route({
    method: 'POST',
    path: '/api/threads/:id/reopen',
    summary: 'Reopens a thread.',
    who: "the first author's group, the Office",
    params: IdParams,
    request: EmptyRequest,
    response: ThreadView,
  }),
  editComment: route({
    method: 'PATCH',
    path: '/api/comments/:id',
    summary: 'Edits a comment.',
    who: 'its author',
    params: IdParams,
    request: EditCommentRequest,
    response: ThreadView,
  }),
  deleteComment: route({
    method: 'DELETE',
    path: '/api/comments/:id',
    summary: 'Deletes a comment: it keeps its place, never its words.',
    who: 'its author; the Office, to moderate',
    params: IdParams,
    response: ThreadView,
  }),
  unread: route({
    method: 'GET',
    path: '/api/documents/:documentId/unread',
    summary: 'Unread comments per section.',
    params: DocumentParams,
    response: UnreadResponse,
  }),
  markRead: route({
    method: 'POST',
    path: '/api/documents/:documentId/sections/:sectionId/read',
    summary: "Marks a section's comments read.",
    params: SectionParams,
    request: EmptyRequest,
    response: MarkReadResponse,
  }),
};
