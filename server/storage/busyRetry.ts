import { HttpError } from '../errors.js';

/**
 * Another process holding the SQLite file's write lock (a backup, a second server, an admin's shell)
 * must not freeze the event loop: better-sqlite3 is synchronous, so SQLite's own busy timeout would
 * sleep on the main thread. The connection waits at most a few milliseconds itself, and a call that
 * still finds the file busy is retried from a timer, with back-off, until `retryForMs` has passed.
 */

/** Milliseconds SQLite itself may wait on a lock (on the main thread) before answering SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 2;

/** The store stayed busy longer than allowed: answered 503, and a collab update's sender is closed. */
export class StorageBusyError extends HttpError {
  constructor(waitedMs: number) {
    super(
      503,
      'storage_busy',
      `The server's store is locked by another program and nothing could be saved for ${Math.round(waitedMs / 1000)} s. Try again in a moment.`,
    );
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Runs `call`, again from timers with back-off while SQLite answers busy, for at most `retryForMs`. */
export async function retryWhileBusy<T>(call: () => Promise<T>, retryForMs: number): Promise<T> {
  const started = performance.now();
  let pause = 5;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isBusy(err)) throw err;
      const waited = performance.now() - started;
      if (waited + pause > retryForMs) throw new StorageBusyError(Math.max(waited, retryForMs));
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 200);
    }
  }
}

/**
 * The same store, each method retried while SQLite answers busy. Every method of a store is a whole
 * unit: one statement or one transaction, which SQLite rolls back when it is refused the lock.
 */
export function retryWhenBusy<T extends object>(store: T, retryForMs: number, passThrough: readonly string[] = []): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (typeof key === 'string' && passThrough.includes(key))
        return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) =>
        retryWhileBusy(async () => (value as (...a: unknown[]) => unknown).apply(target, args), retryForMs);
    },
  });
}
