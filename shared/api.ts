import { RegionalGroup } from './regions.js';
import { z } from 'zod';
import { DocumentOutline, DocumentSummary, FootnoteInfo } from './document.js';
import { RefusalReason } from './refusals.js';
import { PMNodeSchema } from './schema/json.js';
import { DocumentAbilities, PublicUser } from './roles.js';

/** Request and response shapes of the session and document routes: one schema each, used by client and server. */

export const LoginRequest = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** The regional groups a government delegate speaks for (on behalf of, thread circles), with their names. */
const SpeaksForRegions = z.array(RegionalGroup).optional();

export const SessionResponse = z.object({
  user: PublicUser,
  token: z.string(),
  abilities: DocumentAbilities,
  expiresAt: z.number(),
  regions: SpeaksForRegions,
});
export type SessionResponse = z.infer<typeof SessionResponse>;

export const SignOutResponse = z.object({ ok: z.literal(true) });

export const MeResponse = z.object({ user: PublicUser, abilities: DocumentAbilities, regions: SpeaksForRegions });
export type MeResponse = z.infer<typeof MeResponse>;

/** GET /api/session: who is signed in, if anyone — a signed-out start is an answer, not an error. */
export const CurrentSessionResponse = z.union([MeResponse, z.object({ user: z.null() })]);
export type CurrentSessionResponse = z.infer<typeof CurrentSessionResponse>;

export const DocumentListResponse = z.array(DocumentSummary);
export type DocumentListResponse = z.infer<typeof DocumentListResponse>;
export const DocumentResponse = DocumentOutline.extend({ abilities: DocumentAbilities });
export type DocumentResponse = z.infer<typeof DocumentResponse>;

export const SectionContentResponse = z.object({
  id: z.string(),
  label: z.string(),
  title: z.string(),
  content: PMNodeSchema,
  text: z.string(),
  footnotes: z.array(FootnoteInfo),
});
export type SectionContentResponse = z.infer<typeof SectionContentResponse>;

/** Every section's live content, in document order (`GET /api/documents/:documentId/content`). */
export const DocumentContentResponse = z.object({ documentId: z.string(), sections: z.array(SectionContentResponse) });
export type DocumentContentResponse = z.infer<typeof DocumentContentResponse>;

/** Every error the API returns. */
export const ApiError = z.object({
  error: z.string(),
  /** English; the client shows it only when it cannot word `reason` itself. */
  message: z.string(),
  details: z.unknown().optional(),
  /** A policy refusal's code and parameters (shared/refusals.ts). */
  reason: RefusalReason.optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** Path parameters: ids are slugs. */
export const SlugParam = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Ids are lowercase letters, digits and dashes.');
