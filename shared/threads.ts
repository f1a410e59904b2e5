import { z } from 'zod';
import { GROUPS, ROLES } from './roles.js';

/**
 * Who sees a thread: `all` everyone; `group` my group (all governments, the Employers, the Workers);
 * `delegation` my State's delegates; `region` the delegates of a regional group my State is in. The
 * Office sees every thread.
 */
export const THREAD_VISIBILITIES = ['all', 'group', 'delegation', 'region'] as const;
export type ThreadVisibility = (typeof THREAD_VISIBILITIES)[number];

export const BODY_MAX = 5000;

/**
 * Where a thread points: a text range given as Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`), so it follows the text while others type; a whole paragraph; or an
 * amendment.
 */
export const ThreadAnchor = z.object({
  from: z.string(),
  to: z.string(),
  /** The words quoted when the thread was opened, shown when the range no longer exists. */
  quote: z.string(),
});
export type ThreadAnchor = z.infer<typeof ThreadAnchor>;

export const Comment = z.object({
  id: z.string(),
  threadId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  authorRole: z.enum(ROLES),
  authorGroup: z.enum(GROUPS).nullable(),
  authorMemberState: z.string().nullable(),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
  deleted: z.boolean(),
});
export type Comment = z.infer<typeof Comment>;

export const Thread = z.object({
  id: z.string(),
  documentId: z.string(),
  sectionId: z.string(),
  paragraph: z.number().nullable(),
  anchor: ThreadAnchor.nullable(),
  amendmentId: z.string().nullable(),
  visibility: z.enum(THREAD_VISIBILITIES),
  /** The group that sees a group-only thread (the Office sees every thread). */
  group: z.enum(GROUPS).nullable(),
  /**
   * The owner key a delegation- or region-only thread is visible to (`government:ZA`, `region:AFRICA`);
   * null (or absent, in records from before issue 13) otherwise.
   */
  circle: z.string().nullable().optional(),
  resolved: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  comments: z.array(Comment),
});
export type Thread = z.infer<typeof Thread>;

/** What one reader may do with a thread and with each comment, as the server's policies decide it. */
export const ThreadAbilities = z.object({ reply: z.boolean(), resolve: z.boolean() });
export type ThreadAbilities = z.infer<typeof ThreadAbilities>;
export const CommentAbilities = z.object({ edit: z.boolean(), delete: z.boolean() });
export type CommentAbilities = z.infer<typeof CommentAbilities>;

export const CommentView = Comment.extend({ abilities: CommentAbilities });
export type CommentView = z.infer<typeof CommentView>;

/** A thread as the HTTP API returns it to one reader: with what that reader may do. */
export const ThreadView = Thread.extend({ comments: z.array(CommentView), abilities: ThreadAbilities });
export type ThreadView = z.infer<typeof ThreadView>;

/** `thread:changed`: pushed to everyone allowed to see the thread, the same for every reader. */
export const ThreadChangedPayload = z.object({ thread: Thread });
export type ThreadChangedPayload = z.infer<typeof ThreadChangedPayload>;

/** `POST …/sections/:sectionId/read`. */
export const MarkReadResponse = z.object({ documentId: z.string(), sectionId: z.string(), readAt: z.number() });

/** Unread comments per section of a document: every section is listed, 0 when all is read. */
export const UnreadResponse = z.record(z.string(), z.number().int().nonnegative());
export type UnreadResponse = z.infer<typeof UnreadResponse>;

export const CreateThreadRequest = z
  .object({
    sectionId: z.string().min(1).max(120),
    paragraph: z.number().int().positive().optional(),
    anchor: z
      .object({ from: z.string().min(1).max(200), to: z.string().min(1).max(200), quote: z.string().max(2000) })
      .optional(),
    amendmentId: z.string().min(1).max(64).optional(),
    visibility: z.enum(THREAD_VISIBILITIES).default('all'),
    /** With visibility `region`: the code of a regional group the author's State belongs to. */
    region: z
      .string()
      .regex(/^[A-Z][A-Z0-9_-]{1,19}$/)
      .optional(),
    body: z.string().trim().min(1, 'Write something first.').max(BODY_MAX),
  })
  .refine((t) => t.paragraph !== undefined || t.anchor !== undefined || t.amendmentId !== undefined, {
    message: 'Anchor the thread to a text range, a paragraph or an amendment.',
  });
export type CreateThreadRequest = z.infer<typeof CreateThreadRequest>;

export const ReplyRequest = z.object({ body: z.string().trim().min(1, 'Write something first.').max(BODY_MAX) });
export const EditCommentRequest = ReplyRequest;
