/**
 * Sign-in throttling that slows guessing without locking anyone out. Failures are counted per
 * (username, address) — an attacker hammering an account from one address does not stop its owner
 * signing in from another — and per address, which catches one password sprayed over many usernames.
 * Past a few free failures each further one doubles the wait, up to a ceiling. Kept in memory by
 * default (a restart forgets it, which is acceptable next to the cost of each scrypt guess); in Redis
 * when a deployment has it (redisLoginThrottle.ts), so that several processes count together.
 */

export interface BackoffRule {
  /** Failures allowed before any wait. */
  free: number;
  /** Wait after the first failure past the free ones; doubled by each further one. */
  baseMs: number;
  maxMs: number;
  /** A key with no failure for this long starts afresh. */
  forgetAfterMs: number;
}

interface Failures {
  count: number;
  lastAt: number;
  blockedUntil: number;
}

/** Exponential back-off per key; the oldest keys are dropped past `maxKeys`, so a flood cannot grow it without bound. */
export class Backoff {
  private readonly entries = new Map<string, Failures>();

  constructor(
    private readonly rule: BackoffRule,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until `key` may try again, or 0. */
  retryAfter(key: string, now: number): number {
    const entry = this.current(key, now);
    return entry ? Math.max(0, entry.blockedUntil - now) : 0;
  }

  fail(key: string, now: number): number {
    const entry = this.current(key, now) ?? { count: 0, lastAt: now, blockedUntil: 0 };
    entry.count++;
    entry.lastAt = now;
    const over = entry.count - this.rule.free;
    if (over >= 0) entry.blockedUntil = now + Math.min(this.rule.maxMs, this.rule.baseMs * 2 ** Math.min(over, 30));
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry.count;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private current(key: string, now: number): Failures | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (now - entry.lastAt > this.rule.forgetAfterMs) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }
}

export const ACCOUNT_RULE: BackoffRule = { free: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 };
// Many people may share one address (a meeting room behind NAT): a wider allowance, a shorter memory.
export const ADDRESS_RULE: BackoffRule = { free: 20, baseMs: 1000, maxMs: 5 * 60_000, forgetAfterMs: 15 * 60_000 };
export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterMs: number; reason: 'account' | 'address' };

/** Where sign-in failures are counted; the memory one answers at once, a shared one asynchronously. */
export interface SignInThrottle {
  /** Whether a sign-in may be checked now, or how long its account (from this address) or its address must wait. */
  admit(username: string, ip: string, now: number): ThrottleVerdict | Promise<ThrottleVerdict>;
  /** Records a failure; returns the failures in a row for this username from this address. */
  fail(username: string, ip: string, now: number): number | Promise<number>;
  /** The account's own failures from this address are forgiven; the address's are not. */
  succeed(username: string, ip: string): void | Promise<void>;
}

export class LoginThrottle implements SignInThrottle {
  private readonly account: Backoff;
  private readonly address: Backoff;

  constructor(accountRule: BackoffRule = ACCOUNT_RULE, addressRule: BackoffRule = ADDRESS_RULE) {
    this.account = new Backoff(accountRule);
    this.address = new Backoff(addressRule);
  }

  /** Whether a sign-in may be checked now, or how long its account (from this address) or its address must wait. */
  admit(username: string, ip: string, now: number): ThrottleVerdict {
    const byAccount = this.account.retryAfter(accountKey(username, ip), now);
    if (byAccount > 0) return { ok: false, retryAfterMs: byAccount, reason: 'account' };
    const byAddress = this.address.retryAfter(ip, now);
    if (byAddress > 0) return { ok: false, retryAfterMs: byAddress, reason: 'address' };
    return { ok: true };
  }

  /** Records a failure; returns the failures in a row for this username from this address. */
  fail(username: string, ip: string, now: number): number {
    this.address.fail(ip, now);
    return this.account.fail(accountKey(username, ip), now);
  }

  /** The account's own failures from this address are forgiven; the address's are not (spraying with one good account). */
  succeed(username: string, ip: string): void {
    this.account.forget(accountKey(username, ip));
  }
}

export function accountKey(username: string, ip: string): string {
  return `${username}\u0000${ip}`;
}

/** "Try again in 4 s" / "in 3 min". */
export function waitSentence(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
