import type { Sessions } from './sessions.js';

export interface SessionWatchOptions {
  sessions: Sessions;
  intervalMs: number;
  /** Token hashes of every live connection (collab and socket.io). */
  liveSessions: () => Iterable<string>;
  /** Ends every live connection of a session that no longer stands. */
  end: (tokenHash: string) => void;
  log?: (message: string) => void;
}

/**
 * Live connections authenticate once, at connect time; a session can end afterwards without any request
 * of that connection — it expires, or `npm run user` removes the account or changes its password from
 * another process. This check looks at each live session every `intervalMs` and ends the connections
 * of those that no longer stand.
 */
export function watchSessions(options: SessionWatchOptions): { check(): Promise<void>; stop(): void } {
  let running: Promise<void> | null = null;
  async function checkAll(): Promise<void> {
    for (const tokenHash of new Set(options.liveSessions())) {
      if (!(await options.sessions.stillValid(tokenHash))) options.end(tokenHash);
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
