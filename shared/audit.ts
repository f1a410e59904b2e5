import { z } from 'zod';
import { ROLES } from './roles.js';

/**
 * What the audit log records: amendment, decision, round and version events, the Office's direct
 * corrections, archives of a document, and failed sign-ins (`user`).
 */
export const AuditTarget = z.enum(['amendment', 'round', 'version', 'correction', 'document', 'user']);
export type AuditTarget = z.infer<typeof AuditTarget>;

/** One line of the append-only audit log: who, when, what, from where. */
export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.number(),
  userId: z.string(),
  userName: z.string(),
  role: z.enum([...ROLES, 'system']),
  /** `amendment.created`, `amendment.accepted`, `round.opened`, `version.created`, … */
  action: z.string(),
  documentId: z.string(),
  targetType: AuditTarget,
  targetId: z.string(),
  /** Human reference when there is one: `A-12`, `Round 2`, a version's name. */
  targetRef: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** `http` (with ip and user agent), `collab` (typed in the text) or `system`. */
  via: z.enum(['http', 'collab', 'system']),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
    action: z.string().max(60).optional(),
  })
  .strict();

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type AuditPage = z.infer<typeof AuditPage>;
