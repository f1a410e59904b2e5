import { z } from 'zod';
import { AmendmentChangedPayload } from '../amendments.js';
import { Correction } from '../corrections.js';
import {
  ClientEvent,
  CollabRefusedPayload,
  ErrorPayload,
  FocusPayload,
  JoinDocumentPayload,
  PresencePayload,
  PresenterPayload,
  PresenterPositionPayload,
  PresenterState,
  ServerEvent,
} from '../events.js';
import { RoundChangedPayload } from '../rounds.js';
import { ThreadChangedPayload } from '../threads.js';
import { VersionCreatedPayload } from '../versions.js';

/** `presenter:position` as the server relays it: the position and who presents. */
export const RelayedPresenterPosition = PresenterPositionPayload.extend({ presenterId: z.string() });

/**
 * Every socket.io event, by name, with the schema of its one argument. The server validates what
 * clients send against `clientEvents`; the client validates what arrives against `serverEvents`.
 */
export const clientEvents = {
  [ClientEvent.JoinDocument]: JoinDocumentPayload,
  [ClientEvent.LeaveDocument]: JoinDocumentPayload,
  [ClientEvent.Focus]: FocusPayload,
  [ClientEvent.PresenterStart]: PresenterPayload,
  [ClientEvent.PresenterStop]: PresenterPayload,
  [ClientEvent.PresenterPosition]: PresenterPositionPayload,
} as const;

export const serverEvents = {
  [ServerEvent.Presence]: PresencePayload,
  [ServerEvent.AmendmentChanged]: AmendmentChangedPayload,
  [ServerEvent.DraftChanged]: AmendmentChangedPayload,
  [ServerEvent.ThreadChanged]: ThreadChangedPayload,
  [ServerEvent.UpdateRefused]: CollabRefusedPayload,
  [ServerEvent.Error]: ErrorPayload,
  [ServerEvent.SessionEnded]: ErrorPayload,
  [ServerEvent.RoundChanged]: RoundChangedPayload,
  [ServerEvent.CorrectionRecorded]: z.object({ correction: Correction }),
  [ServerEvent.VersionCreated]: VersionCreatedPayload,
  [ServerEvent.PresenterState]: PresenterState,
  [ServerEvent.PresenterPosition]: RelayedPresenterPosition,
} as const;

export type ClientEventName = keyof typeof clientEvents;
export type ServerEventName = keyof typeof serverEvents;
/** What the server sends with an event (its input type: the server builds it). */
export type ServerPayload<E extends ServerEventName> = z.input<(typeof serverEvents)[E]>;
/** What a client receives once validated. */
export type ServerMessage<E extends ServerEventName> = z.output<(typeof serverEvents)[E]>;
export type ClientPayload<E extends ClientEventName> = z.input<(typeof clientEvents)[E]>;

/** socket.io's typed event maps (`Server<ClientToServerEvents, ServerToClientEvents>`, `Socket<…>`). */
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerPayload<E>) => void };
export type ClientToServerEvents = { [E in ClientEventName]: (payload: ClientPayload<E>) => void };
