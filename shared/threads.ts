import { z } from 'zod';
import type { Group, Role } from './roles.js';

export const THREAD_VISIBILITIES = ['all', 'group'] as const;
export type ThreadVisibility = (typeof THREAD_VISIBILITIES)[number];

export const BODY_MAX = 5000;

/**
 * Where a thread points: a text range given as Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`), so it follows the text while others type; a whole paragraph; or an
 * amendment.
 */
export interface ThreadAnchor {
  from: string;
  to: string;
  /** The words quoted when the thread was opened, shown when the range no longer exists. */
  quote: string;
}

export interface Comment {
  id: string;
  threadId: string;
  authorId: string;
  authorName: string;
  authorRole: Role;
  authorGroup: Group | null;
  authorMemberState: string | null;
  body: string;
  createdAt: number;
  editedAt: number | null;
  deleted: boolean;
}

export interface Thread {
  id: string;
  documentId: string;
  sectionId: string;
  paragraph: number | null;
  anchor: ThreadAnchor | null;
  amendmentId: string | null;
  visibility: ThreadVisibility;
  /** The group that sees a group-only thread (the Office sees every thread). */
  group: Group | null;
  resolved: boolean;
  createdAt: number;
  updatedAt: number;
  comments: Comment[];
}

export const CreateThreadRequest = z
  .object({
    sectionId: z.string().min(1).max(120),
    paragraph: z.number().int().positive().optional(),
    anchor: z
      .object({ from: z.string().min(1).max(200), to: z.string().min(1).max(200), quote: z.string().max(2000) })
      .optional(),
    amendmentId: z.string().min(1).max(64).optional(),
    visibility: z.enum(THREAD_VISIBILITIES).default('all'),
    body: z.string().trim().min(1, 'Write something first.').max(BODY_MAX),
  })
  .refine((t) => t.paragraph !== undefined || t.anchor !== undefined || t.amendmentId !== undefined, {
    message: 'Anchor the thread to a text range, a paragraph or an amendment.',
  });
export type CreateThreadRequest = z.infer<typeof CreateThreadRequest>;

export const ReplyRequest = z.object({ body: z.string().trim().min(1, 'Write something first.').max(BODY_MAX) });
export const EditCommentRequest = ReplyRequest;
