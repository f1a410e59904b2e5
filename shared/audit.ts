import { z } from 'zod';
import type { Role } from './roles.js';

/**
 * What the audit log records: amendment, decision, round and version events, the Office's direct
 * corrections, archives of a document, and failed sign-ins (`user`).
 */
export type AuditTarget = 'amendment' | 'round' | 'version' | 'correction' | 'document' | 'user';

/** One line of the append-only audit log: who, when, what, from where. */
export interface AuditEntry {
  seq: number;
  at: number;
  userId: string;
  userName: string;
  role: Role | 'system';
  /** `amendment.created`, `amendment.accepted`, `round.opened`, `version.created`, … */
  action: string;
  documentId: string;
  targetType: AuditTarget;
  targetId: string;
  /** Human reference when there is one: `A-12`, `Round 2`, a version's name. */
  targetRef: string | null;
  details: Record<string, unknown>;
  /** `http` (with ip and user agent), `collab` (typed in the text) or `system`. */
  via: 'http' | 'collab' | 'system';
  ip: string | null;
  userAgent: string | null;
}

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
    action: z.string().max(60).optional(),
  })
  .strict();

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  limit: number;
  offset: number;
}
