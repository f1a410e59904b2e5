import type { IncomingMessage } from 'node:http';

const users = new WeakMap<IncomingMessage, string>();

/** Remembers who a request turned out to be, for its log line (set where the session is checked). */
export function noteRequestUser(req: IncomingMessage, userId: string): void {
  users.set(req, userId);
}

export function requestUserOf(req: IncomingMessage): string | undefined {
  return users.get(req);
}
