import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

/** "From where" for the audit log: the HTTP request an action came from. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

const storage = new AsyncLocalStorage<RequestOrigin>();

/**
 * Runs an HTTP handler with its request's origin available to {@link currentOrigin}; `ip` is the client's
 * address as the app reads it (behind a trusted proxy, the one it forwards).
 */
export function withRequestOrigin<T>(req: IncomingMessage, ip: string, run: () => T): T {
  const agent = req.headers['user-agent'];
  return storage.run({ ip, userAgent: typeof agent === 'string' ? agent.slice(0, 300) : null }, run);
}

/** The origin of the HTTP request being handled, or null outside one (collaboration, background work). */
export function currentOrigin(): RequestOrigin | null {
  return storage.getStore() ?? null;
}
