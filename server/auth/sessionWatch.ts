import { type LiveSession, powersOf } from './powers.js';
import type { Sessions } from './sessions.js';

export interface SessionWatchOptions {
  sessions: Sessions;
  intervalMs: number;
  /** Every live connection (collab and socket.io): its session and the powers it was admitted with. */
  liveSessions: () => Iterable<LiveSession>;
  /** Ends every live connection of a session that no longer stands. */
  end: (tokenHash: string) => void;
  /** Makes the user's live connections admitted with other powers than `powers` come back with these. */
  powersChanged: (userId: string, powers: string) => void;
  log?: (message: string) => void;
}

/**
 * Live connections authenticate once, at connect time; a session can end afterwards without any request
 * of that connection — it expires, or `npm run user` removes the account or changes its password from
 * another process — and what its user may do can change: `npm run groups` changes the regional groups of
 * a State from another process. This check looks at each live session every `intervalMs`, ends the
 * connections of those that no longer stand, and has those whose user's powers changed admitted again.
 */
export function watchSessions(options: SessionWatchOptions): { check(): Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  async function checkAll(): Promise<void> {
    const admitted = new Map<string, Set<string>>();
    for (const live of options.liveSessions()) {
      const powers = admitted.get(live.tokenHash) ?? new Set<string>();
      powers.add(live.powers);
      admitted.set(live.tokenHash, powers);
    }
    for (const [tokenHash, powers] of admitted) {
      const user = await options.sessions.standing(tokenHash);
      if (!user) {
        options.end(tokenHash);
        continue;
      }
      const now = powersOf(user);
      if ([...powers].some((p) => p !== now)) options.powersChanged(user.id, now);
    }
  }
  function check(): Promise<void> {
    running ??= checkAll()
      .catch((err) => options.log?.(`session check failed: ${String(err)}`))
      .finally(() => {
        running = null;
      });
    return running;
  }
  const timer = setInterval(() => void check(), options.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
