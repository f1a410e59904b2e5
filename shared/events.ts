import { z } from 'zod';
import { PublicUser } from './roles.js';

/** socket.io event names: one constant each, shared by client and server. */
export const ClientEvent = {
  JoinDocument: 'document:join',
  LeaveDocument: 'document:leave',
  Focus: 'presence:focus',
  /** The Office starts presenting a document: `{ documentId }`. Others may follow. */
  PresenterStart: 'presenter:start',
  /** The presenter stops: `{ documentId }`. */
  PresenterStop: 'presenter:stop',
  /** Where the presenter is: {@link PresenterPositionPayload}; relayed (volatile) to the document. */
  PresenterPosition: 'presenter:position',
} as const;

export const ServerEvent = {
  Presence: 'presence:list',
  /** An amendment was created or changed: payload `{ amendment }` (an Amendment). */
  AmendmentChanged: 'amendment:changed',
  /** A thread was created or changed: payload `{ thread }`; sent only to those who may see it. */
  ThreadChanged: 'thread:changed',
  /** A thread is gone from the reader's view (deleted): payload `{ threadId, documentId }`. */
  /**
   * A collaboration update from this user was refused: {@link CollabRefusedPayload}, sent to that user's
   * sockets only, beside the 4409 close of the collaboration socket (whose reason is a short sentence).
   */
  UpdateRefused: 'collab:refused',
  Error: 'app:error',
  SessionEnded: 'session:ended',
  /** A group draft was created, edited or tabled: `{ amendment }`; sent to that group's members only. */
  DraftChanged: 'draft:changed',
  /** A round was opened or closed: `{ round }` (a RoundView). */
  RoundChanged: 'round:changed',
  /** The Office corrected the official text directly: `{ correction }` (a Correction), to the whole document. */
  CorrectionRecorded: 'correction:recorded',
  /** A version was taken: `{ version }` (a VersionSummary). */
  VersionCreated: 'version:created',
  /** Who presents a document, and where they last were: {@link PresenterState}. Sent on change and on join. */
  PresenterState: 'presenter:state',
  /** The presenter moved: {@link PresenterPositionPayload} with `presenterId`. Volatile. */
  PresenterPosition: 'presenter:position',
} as const;

export const JoinDocumentPayload = z.object({ documentId: z.string().min(1).max(120) });
export const FocusPayload = z.object({
  documentId: z.string().min(1).max(120),
  sectionId: z.string().min(1).max(120).nullable(),
});

export const PresenterPayload = z.object({ documentId: z.string().min(1).max(120) }).strict();

/** Where the presenter is: a section, optionally a paragraph and a selection (Yjs relative positions). */
export const PresenterPositionPayload = z
  .object({
    documentId: z.string().min(1).max(120),
    sectionId: z.string().min(1).max(120),
    paragraph: z.number().int().positive().nullable().optional(),
    anchor: z
      .object({ from: z.string().min(1).max(400), to: z.string().min(1).max(400) })
      .nullable()
      .optional(),
  })
  .strict();
export type PresenterPosition = z.infer<typeof PresenterPositionPayload>;

/** `presenter:state`: `presenter` null when nobody presents. */
export const PresenterState = z.object({
  documentId: z.string(),
  presenter: PublicUser.nullable(),
  position: PresenterPositionPayload.nullable(),
  since: z.number().nullable(),
});
export type PresenterState = z.infer<typeof PresenterState>;

/** One person in a document, as the presence list shows them. */
export const PresenceEntry = PublicUser.extend({
  /** Section the person is in, if any. */
  sectionId: z.string().nullable(),
  /** Open tabs or devices of this person on this document. */
  connections: z.number().int(),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

export const PresencePayload = z.object({ documentId: z.string(), people: z.array(PresenceEntry) });
export type PresencePayload = z.infer<typeof PresencePayload>;

/** `app:error` and `session:ended`. */
export const ErrorPayload = z.object({ error: z.string(), message: z.string() });
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/**
 * Why the server refused a collaboration update, as a stable code with parameters, so that the client
 * can say it in the UI language at the place of typing and offer what to do next (co-sponsor or
 * support the amendment that already holds those words, wait for the next round…).
 */
export const CollabRefusalCode = z.enum([
  'official',
  'others',
  'identity',
  'ownership',
  'schema',
  'items',
  'overlaps',
  'deadline',
  'dependencies',
  'structure',
  'client',
  'rate',
  'store_failed',
]);
export type CollabRefusalCode = z.infer<typeof CollabRefusalCode>;

export const CollabRefusedPayload = z.object({
  documentId: z.string(),
  sectionId: z.string(),
  code: CollabRefusalCode,
  /** An English sentence, for logs and for clients that do not know the code. */
  message: z.string(),
  params: z
    .object({
      /** The amendment the refused change collided with (overlaps, ownership). */
      amendmentId: z.string().optional(),
      ref: z.string().optional(),
      ownerKey: z.string().optional(),
      /** Paragraph number where the refused change was made, when known. */
      paragraph: z.number().int().optional(),
      /** Epoch ms of the deadline that passed. */
      deadline: z.number().optional(),
    })
    .default({}),
});
export type CollabRefusedPayload = z.infer<typeof CollabRefusedPayload>;
