import { systemClock } from '../clock.js';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '../../shared/limits.js';
import type { SessionRecord, Store, UserRecord } from '../storage/Store.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/**
 * The session token of a request: a bearer token (scripts), the `token` query parameter (the stock
 * y-websocket client's `params`), or the session cookie (browsers), in that order.
 */
export function tokenOf(req: IncomingMessage, url?: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  const fromQuery = url?.searchParams.get('token');
  if (fromQuery) return fromQuery;
  return readCookie(req.headers.cookie, SESSION_COOKIE);
}

export interface Authenticated {
  user: UserRecord;
  tokenHash: string;
}

/** Sessions: creation, lookup and revocation, over the store. */
export class Sessions {
  /** Each HTTP request's session, looked up once however many steps ask (idempotency key, handler). */
  private readonly byRequest = new WeakMap<IncomingMessage, Promise<Authenticated | null>>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly demoAllowed: boolean,
    /**
     * The time (replaceable in unit tests). Not the services' clock: tests move that one days ahead to
     * pass round deadlines, and their users must stay signed in.
     */
    private readonly now: () => number = systemClock.now,
  ) {}

  /**
   * A new session's token and record for a caller that stores it in a transaction of its own (a link
   * sign-in claims its link and stores the session in one step).
   */
  draft(): { token: string; record: Omit<SessionRecord, 'userId'> } {
    const token = newToken();
    const createdAt = this.now();
    return { token, record: { tokenHash: hashToken(token), createdAt, expiresAt: createdAt + this.ttlMs } };
  }

  async create(userId: string): Promise<{ token: string; expiresAt: number }> {
    const { token, record } = this.draft();
    await this.store.createSession({ ...record, userId });
    return { token, expiresAt: record.expiresAt };
  }

  /** The user behind a token, or null when the token is unknown, expired, or its account disabled. */
  async authenticate(token: string | null): Promise<Authenticated | null> {
    if (!token) return null;
    const tokenHash = hashToken(token);
    const session = await this.store.findSession(tokenHash);
    if (!session) return null;
    if (session.expiresAt <= this.now()) {
      await this.store.deleteSession(tokenHash);
      return null;
    }
    const user = await this.store.findUserById(session.userId);
    if (!user || !this.maySignIn(user)) return null;
    return { user, tokenHash };
  }

  /**
   * The session of an HTTP request (its bearer token or cookie), authenticated at the first ask and the
   * same answer for every later step of that request.
   */
  ofRequest(req: IncomingMessage): Promise<Authenticated | null> {
    let auth = this.byRequest.get(req);
    if (!auth) {
      auth = this.authenticate(tokenOf(req));
      this.byRequest.set(req, auth);
    }
    return auth;
  }

  /** Whether a session still stands: not expired, not ended from outside (account removed, password changed). */
  async stillValid(tokenHash: string): Promise<boolean> {
    return (await this.standing(tokenHash)) !== null;
  }

  /** The account behind a session that still stands, as it is now; null when the session no longer stands. */
  async standing(tokenHash: string): Promise<UserRecord | null> {
    const session = await this.store.findSession(tokenHash);
    if (!session || session.expiresAt <= this.now()) return null;
    const user = await this.store.findUserById(session.userId);
    return user !== null && this.maySignIn(user) ? user : null;
  }

  /** A demo account while demo mode is off, or an account the Office deactivated, has no session. */
  maySignIn(user: Pick<UserRecord, 'demo' | 'deactivatedAt'>): boolean {
    return !(user.demo && !this.demoAllowed) && user.deactivatedAt === null;
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.store.deleteSession(tokenHash);
  }

  get demoAccountsAllowed(): boolean {
    return this.demoAllowed;
  }
}
