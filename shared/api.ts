import { z } from 'zod';
import type { DocumentOutline, DocumentSummary, FootnoteInfo } from './document.js';
import type { PMNode } from './schema/index.js';
import type { Abilities, PublicUser } from './roles.js';

/** Request and response shapes of the HTTP API: one schema per request, used by client and server. */

export const LoginRequest = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** GET /api/session: who is signed in, if anyone — a signed-out start is an answer, not an error. */
export type CurrentSessionResponse = MeResponse | { user: null };

export interface SessionResponse {
  user: PublicUser;
  token: string;
  abilities: Abilities;
  expiresAt: number;
}

export interface MeResponse {
  user: PublicUser;
  abilities: Abilities;
}

export type DocumentListResponse = DocumentSummary[];
export type DocumentResponse = DocumentOutline & { abilities: Abilities };

export interface SectionContentResponse {
  id: string;
  label: string;
  title: string;
  content: PMNode;
  text: string;
  footnotes: FootnoteInfo[];
}

/** Every error the API returns. */
export interface ApiError {
  error: string;
  message: string;
  details?: unknown;
}

/** Path parameters: ids are slugs. */
export const SlugParam = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Ids are lowercase letters, digits and dashes.');
