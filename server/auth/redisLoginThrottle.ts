import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../observability/logger.js';
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  type BackoffRule,
  LoginThrottle,
  type SignInThrottle,
  type ThrottleVerdict,
  accountKey,
} from './loginThrottle.js';

/**
 * The same back-off as {@link LoginThrottle}, counted in Redis so that every process sees every
 * failure: spreading guesses over the processes behind a load balancer gains nothing. The caller's
 * clock decides (as in memory); Redis expiry only clears keys nobody needs any more. Keys hold a hash
 * of the username and address, not the username itself.
 *
 * While Redis cannot be reached, the process counts on its own (the memory throttle) rather than
 * refusing every sign-in or letting guesses through unchecked.
 */
export class RedisLoginThrottle implements SignInThrottle {
  private readonly fallback: LoginThrottle;
  private warned = false;

  constructor(
    private readonly redis: () => Redis,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly accountRule: BackoffRule = ACCOUNT_RULE,
    private readonly addressRule: BackoffRule = ADDRESS_RULE,
  ) {
    this.fallback = new LoginThrottle(accountRule, addressRule);
  }

  async admit(username: string, ip: string, now: number): Promise<ThrottleVerdict> {
    return this.orFallback(
      async () => {
        const redis = this.redis();
        const [byAccount, byAddress] = await Promise.all([
          retryAfter(redis, this.accountKeyOf(username, ip), this.accountRule, now),
          retryAfter(redis, this.addressKeyOf(ip), this.addressRule, now),
        ]);
        if (byAccount > 0) return { ok: false, retryAfterMs: byAccount, reason: 'account' } as const;
        if (byAddress > 0) return { ok: false, retryAfterMs: byAddress, reason: 'address' } as const;
        return { ok: true } as const;
      },
      () => this.fallback.admit(username, ip, now),
    );
  }

  async fail(username: string, ip: string, now: number): Promise<number> {
    return this.orFallback(
      async () => {
        const redis = this.redis();
        const [, count] = await Promise.all([
          recordFailure(redis, this.addressKeyOf(ip), this.addressRule, now),
          recordFailure(redis, this.accountKeyOf(username, ip), this.accountRule, now),
        ]);
        return count;
      },
      () => this.fallback.fail(username, ip, now),
    );
  }

  async succeed(username: string, ip: string): Promise<void> {
    this.fallback.succeed(username, ip);
    await this.orFallback(
      async () => {
        await this.redis().del(this.accountKeyOf(username, ip));
      },
      () => undefined,
    );
  }

  private accountKeyOf(username: string, ip: string): string {
    return `${this.prefix}throttle:account:${digest(accountKey(username, ip))}`;
  }

  private addressKeyOf(ip: string): string {
    return `${this.prefix}throttle:address:${digest(ip)}`;
  }

  private async orFallback<T>(shared: () => Promise<T>, local: () => T): Promise<T> {
    try {
      const result = await shared();
      this.warned = false;
      return result;
    } catch (err) {
      if (!this.warned)
        this.log.warn({ err: String(err) }, 'sign-in throttle: Redis unreachable, counting in this process');
      this.warned = true;
      return local();
    }
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

async function retryAfter(redis: Redis, key: string, rule: BackoffRule, now: number): Promise<number> {
  const [lastAt, blockedUntil] = await redis.hmget(key, 'lastAt', 'blockedUntil');
  if (lastAt === null || blockedUntil === null) return 0;
  if (now - Number(lastAt) > rule.forgetAfterMs) return 0;
  return Math.max(0, Number(blockedUntil) - now);
}

/**
 * One failure, counted atomically (two processes failing at once both count). Mirrors
 * `Backoff.fail`: a key quiet for `forgetAfterMs` starts afresh; past `free` failures each doubles the wait.
 */
const FAIL_SCRIPT = `
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local baseMs = tonumber(ARGV[3])
local maxMs = tonumber(ARGV[4])
local forgetAfterMs = tonumber(ARGV[5])
local v = redis.call('HMGET', KEYS[1], 'count', 'lastAt', 'blockedUntil')
local count = 0
local blockedUntil = 0
if v[1] and v[2] and (now - tonumber(v[2])) <= forgetAfterMs then
  count = tonumber(v[1])
  blockedUntil = tonumber(v[3] or '0')
end
count = count + 1
local over = count - free
if over >= 0 then
  blockedUntil = now + math.min(maxMs, baseMs * 2 ^ math.min(over, 30))
end
redis.call('HSET', KEYS[1], 'count', count, 'lastAt', string.format('%.0f', now), 'blockedUntil', string.format('%.0f', blockedUntil))
redis.call('PEXPIRE', KEYS[1], forgetAfterMs + maxMs)
return count
`;

async function recordFailure(redis: Redis, key: string, rule: BackoffRule, now: number): Promise<number> {
  const count = await redis.eval(FAIL_SCRIPT, 1, key, now, rule.free, rule.baseMs, rule.maxMs, rule.forgetAfterMs);
  return Number(count);
}
