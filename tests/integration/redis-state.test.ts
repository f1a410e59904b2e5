import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../server/auth/loginThrottle.js';
import { RedisLoginThrottle } from '../../server/auth/redisLoginThrottle.js';
import { RedisUnavailableError } from '../../server/fanout/redisConnections.js';
import { silentLogger } from '../../server/observability/logger.js';
import {
  MemoryPresenterStore,
  type PresenterStore,
  RedisPresenterStore,
} from '../../server/realtime/presenterStore.js';
import { TEST_REDIS_URL, announceRedisSkip, clearPrefix, uniquePrefix } from '../support/redisServers.js';

/** The Redis implementations of the shared ephemeral state behave as the memory ones do. */
announceRedisSkip('redis-state.test.ts');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function client(): { redis: Redis; prefix: string } {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = uniquePrefix();
  cleanups.push(
    () => void redis.disconnect(),
    () => clearPrefix(TEST_REDIS_URL, prefix),
  );
  return { redis, prefix };
}

describe.skipIf(!TEST_REDIS_URL)('shared ephemeral state in Redis', () => {
  it('the Redis throttle gives the same verdicts as the memory one over a scripted run', async () => {
    const { redis, prefix } = client();
    const shared = new RedisLoginThrottle(() => redis, prefix, silentLogger());
    const local = new LoginThrottle();
    // Failures on a few accounts from two addresses, time passing unevenly: within and past the
    // back-offs, and once past the hour after which failures are forgotten. A fixed pseudo-random script.
    let now = 1_000_000;
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const steps: [string, string, number][] = [];
    for (let i = 0; i < 120; i++) {
      const username = ['alice', 'bob', `someone-${i}`][Math.floor(next() * 3)] as string;
      const ip = next() < 0.8 ? '10.0.0.1' : '10.0.0.2';
      const r = next();
      steps.push([username, ip, i === 80 ? 61 * 60_000 : r < 0.6 ? 0 : r < 0.9 ? 700 : 5000]);
    }
    const seen = new Set<string>();
    for (const [username, ip, advance] of steps) {
      now += advance;
      const expected = local.admit(username, ip, now);
      seen.add(expected.ok ? 'ok' : expected.reason);
      expect(await shared.admit(username, ip, now)).toEqual(expected);
      if (expected.ok) expect(await shared.fail(username, ip, now)).toBe(local.fail(username, ip, now));
    }
    // The script went through admitted, account-blocked and address-blocked states.
    expect([...seen].sort()).toEqual(['account', 'address', 'ok']);
    await shared.succeed('alice', '10.0.0.1');
    local.succeed('alice', '10.0.0.1');
    expect(await shared.admit('alice', '10.0.0.1', now)).toEqual(local.admit('alice', '10.0.0.1', now));
    // Keys name neither the user nor the address.
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/alice|bob|10\.0\.0/);
  });

  it('while Redis is unreachable, the throttle counts in this process instead', async () => {
    const shared = new RedisLoginThrottle(
      () => {
        throw new RedisUnavailableError();
      },
      'unused:',
      silentLogger(),
    );
    const statuses: boolean[] = [];
    for (let i = 0; i < 7; i++) {
      const verdict = await shared.admit('carol', '10.0.0.3', 5000);
      statuses.push(verdict.ok);
      if (verdict.ok) await shared.fail('carol', '10.0.0.3', 5000);
    }
    expect(statuses).toEqual([true, true, true, true, true, false, false]);
  });

  const stores: [string, () => PresenterStore][] = [
    ['memory', () => new MemoryPresenterStore()],
    [
      'Redis',
      () => {
        const { redis, prefix } = client();
        const store = new RedisPresenterStore(
          () => redis,
          prefix,
          () => {},
        );
        cleanups.push(() => store.close());
        return store;
      },
    ],
  ];
  it.each(stores)(
    'presenter store (%s): a stale socket can neither move nor end a presentation taken over',
    async (_n, make) => {
      const store = make();
      const presenter = {
        id: 'u1',
        name: 'Bureau Officer',
        role: 'secretariat' as const,
        group: null,
        memberState: null,
      };
      expect(await store.get('doc')).toBeNull();
      await store.start('doc', { socketId: 's1', presenter, position: null, since: 10 });
      const position = { documentId: 'doc', sectionId: 'part-1', paragraph: 2, anchor: null };
      expect(await store.moveIf('doc', 's1', position)).toBe(true);
      expect(await store.get('doc')).toEqual({ socketId: 's1', presenter, position, since: 10 });
      // Another member of the Office takes over.
      await store.start('doc', { socketId: 's2', presenter: { ...presenter, id: 'u2' }, position: null, since: 20 });
      expect(await store.moveIf('doc', 's1', { ...position, paragraph: 3 })).toBe(false);
      expect(await store.stopIf('doc', 's1')).toBe(false);
      expect((await store.get('doc'))?.socketId).toBe('s2');
      expect(await store.stopIf('doc', 's2')).toBe(true);
      expect(await store.get('doc')).toBeNull();
    },
  );
});
