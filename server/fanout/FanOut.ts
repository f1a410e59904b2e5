/**
 * Carries a section's accepted updates and presence frames to the other server processes that have the
 * same section open. One process needs none of it ({@link LocalFanOut}); a Redis implementation
 * publishes on a channel per section, and every process applies what it receives to its own copy.
 * Persistence stays with the process that accepted the update: receivers only apply and relay.
 */
export interface FanOut {
  publish(room: string, message: FanOutMessage): void;
  /** Listens to what other processes publish for a room; returns the unsubscribe function. */
  subscribe(room: string, listener: (message: FanOutMessage) => void): () => void;
  close(): Promise<void>;
}

export type FanOutMessage = { kind: 'update'; update: Uint8Array } | { kind: 'presence'; frame: Uint8Array };

/** A single process: there is nobody else to tell. */
export class LocalFanOut implements FanOut {
  publish(): void {}

  subscribe(): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}
