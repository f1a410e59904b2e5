import type { SuggestionAttrs } from '../shared/suggestions.js';

/** What a server child prints on its first stdout line once it listens. */
export interface ServerReady {
  port: number;
  /** Websocket URL base the provider appends the room to. */
  wsBase: string;
  room: string;
  /** One entry per client, in order; writers first. Tokens are null for the bare server. */
  clients: {
    token: string | null;
    role: 'delegate' | 'observer' | 'anonymous';
    /** For writers: the suggestion attributes their typing carries (a delegate only suggests). */
    suggestAs?: SuggestionAttrs;
    /** This client's own server (bench:cluster spreads clients over processes); default `wsBase`. */
    wsBase?: string;
  }[];
}

/** What the bench passes to a server child in the BENCH_SERVER environment variable. */
export interface ServerSpec {
  clients: number;
  writers: number;
  /** The section's initial content as a Yjs update, base64 (bare server only; Concord imports it). */
  seed?: string;
}

export function readSpec(): ServerSpec {
  const raw = process.env.BENCH_SERVER;
  if (!raw) throw new Error('BENCH_SERVER is not set: this module is started by bench/collab.ts');
  return JSON.parse(raw) as ServerSpec;
}

/** Ends the child when the bench goes away (its stdin closes) or asks it to (SIGTERM). */
export function exitWithParent(cleanup: () => Promise<void> | void): void {
  let ending = false;
  const end = () => {
    if (ending) return;
    ending = true;
    Promise.resolve()
      .then(cleanup)
      .catch((err: unknown) => process.stderr.write(`cleanup failed: ${String(err)}\n`))
      .finally(() => process.exit(0));
  };
  process.stdin.on('end', end);
  process.stdin.on('error', end);
  process.stdin.resume();
  process.on('SIGTERM', end);
  process.on('SIGINT', end);
}
