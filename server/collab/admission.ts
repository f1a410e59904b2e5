import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';

/**
 * Limits on who may open collaboration sockets, checked before anything is read from them: a user's
 * open sockets, and how fast one address opens new ones. Both exist so that one token or one machine
 * cannot hold the server's memory and file descriptors hostage.
 */

/** Most messages and bytes held for a socket between its upgrade and the moment its room is loaded. */
export const MAX_EARLY_MESSAGES = 32;
export const MAX_EARLY_BYTES = 64 * 1024;

/** Longest the session lookup of an upgrade may take before the socket is dropped unanswered. */
export const AUTH_DEADLINE_MS = 5000;

/** Forgets an address's bucket once it has been full this long: keeps the map from growing forever. */
const IDLE_BUCKET_MS = 60_000;

/** A token bucket per address: `ratePerSecond` sustained, `burst` at once. */
export class ConnectRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one connection from the address's bucket; false when it is empty. Rate 0: no limit. */
  take(address: string): boolean {
    if (this.ratePerSecond === 0) return true;
    const now = this.now();
    const capacity = Math.max(1, this.burst);
    const bucket = this.buckets.get(address) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    this.buckets.set(address, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private sweep(now: number): void {
    for (const [address, bucket] of this.buckets) {
      if (now - bucket.at > IDLE_BUCKET_MS) this.buckets.delete(address);
    }
  }
}

/** Open connections per user; a slot is taken when a socket is accepted and given back when it closes. */
export class ConnectionSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perUser: number) {}

  /** Takes a slot for the user, or returns null when they already hold `perUser`. 0: no limit. */
  take(userId: string): (() => void) | null {
    const held = this.open.get(userId) ?? 0;
    if (this.perUser > 0 && held >= this.perUser) return null;
    this.open.set(userId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(userId) ?? 1) - 1;
      if (now <= 0) this.open.delete(userId);
      else this.open.set(userId, now);
    };
  }

  held(userId: string): number {
    return this.open.get(userId) ?? 0;
  }
}

/** How long a refused socket's client has to read the close frame before the socket is dropped. */
export const CLOSE_GRACE_MS = 1000;

/** The TCP socket under each accepted websocket, so that a refusal can end it after the close frame. */
const sockets = new WeakMap<WebSocket, Duplex>();

/** Remembers the socket a websocket was upgraded on (call in `handleUpgrade`'s callback). */
export function upgradedOn(ws: WebSocket, socket: Duplex): WebSocket {
  sockets.set(ws, socket);
  return ws;
}

/**
 * Sends the close code and sentence, stops reading, and ends the socket: a client that ignores the
 * close frame and keeps writing must not make the server read (and hold) what it sends until ws's 30 s
 * close timer. The end is a FIN behind the close frame, so the client reads why at once; the socket is
 * dropped after a grace. Dropping it at once lost the reason: a socket closed with unread bytes (the
 * client's next message, already in the kernel) is reset, and the reset discards the close frame still
 * queued — the browser then reports 1006 and no sentence.
 */
export function refuse(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.CLOSED) return;
  if (ws.readyState === ws.OPEN) ws.close(code, reason);
  ws.pause();
  sockets.get(ws)?.end();
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}
