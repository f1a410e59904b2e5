import { z } from 'zod';
import { ROLES } from '../../shared/roles.js';

/**
 * Consolidation payloads checked at the door (rounds and presenter events arrive live over socket.io;
 * a malformed one is dropped rather than half-drawn). The Office's large read-only answers (desk,
 * compare, audit) are typed in their own modules.
 */
export const RoundSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  number: z.number(),
  amendmentDeadline: z.number(),
  subAmendmentDeadline: z.number(),
  openedAt: z.number(),
  openedByName: z.string(),
  closedAt: z.number().nullable(),
  closedByName: z.string().nullable(),
  versionId: z.string().nullable(),
  phase: z.enum(['amendments', 'subAmendments', 'deadlinesPassed', 'closed']),
  amendmentsOpen: z.boolean(),
  subAmendmentsOpen: z.boolean(),
  now: z.number(),
  amendmentMsLeft: z.number(),
  subAmendmentMsLeft: z.number(),
});
export type RoundRecord = z.infer<typeof RoundSchema>;

export const CurrentRoundSchema = z.object({ documentId: z.string(), now: z.number(), round: RoundSchema.nullable() });
export const RoundEventSchema = z.object({ round: RoundSchema });

const PublicUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  group: z.string().nullable(),
  memberState: z.string().nullable(),
});

export const PositionSchema = z.object({
  documentId: z.string(),
  sectionId: z.string(),
  paragraph: z.number().nullable().optional(),
  anchor: z.object({ from: z.string(), to: z.string() }).nullable().optional(),
});
export type PositionRecord = z.infer<typeof PositionSchema>;

export const PresenterStateSchema = z.object({
  documentId: z.string(),
  presenter: PublicUserSchema.nullable(),
  position: PositionSchema.nullable(),
  since: z.number().nullable(),
});
export type PresenterStateRecord = z.infer<typeof PresenterStateSchema>;

export const VersionSummarySchema = z.object({
  id: z.string(),
  documentId: z.string(),
  name: z.string(),
  createdAt: z.number(),
  createdByName: z.string(),
  roundId: z.string().nullable(),
});
export type VersionSummaryRecord = z.infer<typeof VersionSummarySchema>;
