import { z } from 'zod';
import type { PublicUser } from './roles.js';

/** socket.io event names: one constant each, shared by client and server. */
export const ClientEvent = {
  JoinDocument: 'document:join',
  LeaveDocument: 'document:leave',
  Focus: 'presence:focus',
} as const;

export const ServerEvent = {
  Presence: 'presence:list',
  /** An amendment was created or changed: payload `{ amendment }` (an Amendment). */
  AmendmentChanged: 'amendment:changed',
  /** A thread was created or changed: payload `{ thread }`; sent only to those who may see it. */
  ThreadChanged: 'thread:changed',
  /** A thread is gone from the reader's view (deleted): payload `{ threadId, documentId }`. */
  ThreadRemoved: 'thread:removed',
  /** A collaboration update from this user was refused: payload `{ sectionId, message }`. */
  UpdateRefused: 'collab:refused',
  Error: 'app:error',
  SessionEnded: 'session:ended',
} as const;

export const JoinDocumentPayload = z.object({ documentId: z.string().min(1).max(120) });
export const FocusPayload = z.object({
  documentId: z.string().min(1).max(120),
  sectionId: z.string().min(1).max(120).nullable(),
});

/** One person in a document, as the presence list shows them. */
export interface PresenceEntry extends PublicUser {
  /** Section the person is in, if any. */
  sectionId: string | null;
  /** Open tabs or devices of this person on this document. */
  connections: number;
}

export interface PresencePayload {
  documentId: string;
  people: PresenceEntry[];
}

export interface ErrorPayload {
  error: string;
  message: string;
}
