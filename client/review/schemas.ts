import { z } from 'zod';
import { AMENDMENT_ACTIONS, AMENDMENT_STATUSES, AMENDMENT_TYPES } from '../../shared/amendments.js';
import { GROUPS, ROLES } from '../../shared/roles.js';
import { THREAD_VISIBILITIES } from '../../shared/threads.js';

/**
 * What the client accepts from the server, checked at the door: HTTP answers and socket.io events go
 * through these before they reach a store, so a malformed payload is dropped rather than half-drawn.
 */
const group = z.enum(GROUPS);
const stanceCount = z.object({ support: z.number().int().nonnegative(), oppose: z.number().int().nonnegative() });

export const AmendmentSchema = z.object({
  id: z.string().min(1),
  ref: z.string(),
  documentId: z.string(),
  sectionId: z.string(),
  paragraphs: z.array(z.number()),
  type: z.enum(AMENDMENT_TYPES),
  originalText: z.string(),
  proposedText: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  ownerKey: z.string(),
  group: group.nullable(),
  memberState: z.string().nullable(),
  rationale: z.string(),
  status: z.enum(AMENDMENT_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  history: z
    .array(
      z.object({
        status: z.enum(AMENDMENT_STATUSES),
        byUserId: z.string(),
        byName: z.string(),
        at: z.number(),
        note: z.string().optional(),
      }),
    )
    .default([]),
  votes: z
    .array(
      z.object({
        ownerKey: z.string(),
        stance: z.enum(['support', 'oppose']),
        byUserId: z.string(),
        byName: z.string(),
        at: z.number(),
      }),
    )
    .default([]),
  modifiedText: z.string().nullable().optional(),
  cosponsors: z.array(z.object({ ownerKey: z.string(), byName: z.string() })).optional(),
  parentId: z.string().nullable().optional(),
  form: z
    .object({
      paragraph: z.number(),
      op: z.enum(['insert', 'delete', 'replace']),
      find: z.string(),
      text: z.string(),
    })
    .nullable()
    .optional(),
  tally: z.object({ government: stanceCount, employers: stanceCount, workers: stanceCount }).optional(),
  abilities: z.partialRecord(z.enum([...AMENDMENT_ACTIONS, 'editRationale']), z.boolean()).optional(),
});
export type AmendmentRecord = z.infer<typeof AmendmentSchema>;

export const CommentSchema = z.object({
  id: z.string().min(1),
  threadId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  authorRole: z.enum(ROLES),
  authorGroup: group.nullable(),
  authorMemberState: z.string().nullable(),
  body: z.string(),
  createdAt: z.number(),
  editedAt: z.number().nullable(),
  deleted: z.boolean(),
  abilities: z.object({ edit: z.boolean(), delete: z.boolean() }).optional(),
});
export type CommentRecord = z.infer<typeof CommentSchema>;

export const ThreadSchema = z.object({
  id: z.string().min(1),
  documentId: z.string(),
  sectionId: z.string(),
  paragraph: z.number().nullable(),
  anchor: z.object({ from: z.string(), to: z.string(), quote: z.string() }).nullable(),
  amendmentId: z.string().nullable(),
  visibility: z.enum(THREAD_VISIBILITIES),
  group: group.nullable(),
  resolved: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  comments: z.array(CommentSchema),
  abilities: z.object({ reply: z.boolean(), resolve: z.boolean() }).optional(),
});
export type ThreadRecord = z.infer<typeof ThreadSchema>;

/** A list answer: a bare array, or `{ amendments: [...] }` / `{ threads: [...] }`. */
export function listOf<T>(schema: z.ZodType<T>, key: string, body: unknown): T[] {
  const items = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && Array.isArray((body as Record<string, unknown>)[key])
      ? ((body as Record<string, unknown>)[key] as unknown[])
      : [];
  const out: T[] = [];
  for (const item of items) {
    const parsed = schema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** A single record, bare or wrapped as `{ amendment }` / `{ thread }`; null when it does not validate. */
export function oneOf<T>(schema: z.ZodType<T>, key: string, body: unknown): T | null {
  const direct = schema.safeParse(body);
  if (direct.success) return direct.data;
  if (typeof body === 'object' && body !== null && key in body) {
    const wrapped = schema.safeParse((body as Record<string, unknown>)[key]);
    if (wrapped.success) return wrapped.data;
  }
  return null;
}

export const UnreadSchema = z.record(z.string(), z.number().int().nonnegative());
