/**
 * Carries a section's accepted updates and presence frames to the other server processes that have the
 * same section open. One process needs none of it ({@link LocalFanOut}); {@link RedisFanOut} publishes on
 * a channel per section, and every process applies what it receives to its own copy.
 * Persistence stays with the process that accepted the update: receivers only apply and relay.
 */
export interface FanOut {
  publish(room: string, message: FanOutMessage): void;
  /**
   * Listens to what other processes publish for a room; returns the unsubscribe function.
   * `onGap` is called when messages may have been lost: when the subscription has just become live
   * (what was published before it passed by) and after the transport reconnected (Redis pub/sub drops
   * what was published meanwhile). The listener catches up from the store, which holds every accepted
   * update; it is called once the subscription is live, so nothing published after the call is missed.
   */
  subscribe(room: string, listener: (message: FanOutMessage) => void, onGap?: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Where a broadcast update sits in its section's stored log: the owner's epoch and the row's sequence.
 * Set by the one-writer-per-section layer (issue 15 item 3) so that a relaying process can see a gap;
 * absent while every process writes for itself.
 */
export interface LogPosition {
  epoch: number;
  seq: number;
}

export type FanOutMessage =
  | { kind: 'update'; update: Uint8Array; position?: LogPosition }
  | { kind: 'presence'; frame: Uint8Array }
  | ForwardMessage
  | ReplyMessage
  | RpcMessage
  | RoundChangedMessage;

/**
 * A round of a document was opened or closed (on the `rounds` room): every process forgets the latest
 * round it keeps for the deadline checks (server/rounds/latestRounds.ts) and reads it again.
 */
export interface RoundChangedMessage {
  kind: 'roundChanged';
  documentId: string;
}

/**
 * A request to one process or its answer, on that process's own channel (`rpc/<processId>`): an HTTP
 * command that reached a process not owning its section, forwarded to the owner (server/cluster/).
 */
export interface RpcMessage {
  kind: 'rpc';
  id: string;
  /** The process that asked, where the answer goes. */
  from: string;
  reply: boolean;
  payload: Uint8Array;
}

/**
 * The owner's answer to a forwarded client message: close that client's socket (on the process that
 * holds it) with the code and sentence the owner's guard chose.
 */
export interface ReplyMessage {
  kind: 'reply';
  /** The process holding the client's socket. */
  to: string;
  connectionId: string;
  code: number;
  reason: string;
}

/**
 * A client's y-websocket message, received by a process that does not own the section, on its way to
 * the owner, which alone checks and stores it. `connectionId` names the client's connection on the
 * sending process (for the owner's answer or refusal); `userId` is who the sending process
 * authenticated. Processes trust each other; clients are never trusted with any of these fields.
 */
export interface ForwardMessage {
  kind: 'forward';
  /** The process the message is for (the owner as the sender believes it to be). */
  to: string;
  connectionId: string;
  userId: string;
  message: Uint8Array;
}

/** A single process: there is nobody else to tell. */
export class LocalFanOut implements FanOut {
  publish(): void {}

  subscribe(): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}
