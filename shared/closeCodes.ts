/**
 * Close codes of the collaboration socket. Application codes live in 4000–4999 (RFC 6455 §7.4.2);
 * the reason string carries a sentence the client may show as is. The client stops reconnecting on
 * codes listed in FATAL_CLOSE_CODES: retrying cannot succeed until the user does something.
 */
export const CloseCode = {
  /** No valid session cookie or token. */
  Unauthenticated: 4401,
  /** Authenticated, but the role may not open this section. */
  Forbidden: 4403,
  /** The document or section does not exist. */
  NotFound: 4404,
  /** An update could not be decoded or touches something other than the section's text. */
  InvalidUpdate: 4400,
  /**
   * A writer's update was refused (it would alter the official text or another group's amendment,
   * or claims someone else's identity); nothing of it was applied. The client must drop its Y.Doc and
   * reconnect with a fresh one: its later updates build on the refused one and would be refused too.
   */
  UpdateRefused: 4409,
  /** A message larger than MAX_COLLAB_MESSAGE_BYTES. */
  MessageTooLarge: 4413,
  /**
   * Too many connections: the user already holds the most collaboration sockets allowed, or the
   * address opened connections faster than allowed. Closing other tabs or waiting a moment fixes it.
   */
  TooManyConnections: 4429,
  /** The session was signed out or expired while connected. */
  SessionEnded: 4440,
  /**
   * The Office changed the user's role, group, State or regional groups while connected: reconnect, and
   * the connection is admitted again with what the user may do now. Outside 4400–4499 on purpose: the
   * stock y-websocket client gives up on those and reconnects after any other code.
   */
  PowersChanged: 4205,
  /**
   * The server is shutting down, could not store the client's last update, or received an update that
   * builds on edits it does not have (lost between processes, or not stored): reconnect shortly with the
   * same document; sync sends again what the server lacks, judged afresh.
   */
  ServerShutdown: 4503,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.Unauthenticated,
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.SessionEnded,
  CloseCode.UpdateRefused,
]);
