import { afterEach, describe, expect, it } from 'vitest';
import { RedisFanOut } from '../../server/fanout/RedisFanOut.js';
import type { FanOutMessage } from '../../server/fanout/FanOut.js';
import { type RedisConnections, openRedis } from '../../server/fanout/redisConnections.js';
import { silentLogger } from '../../server/observability/logger.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { TEST_REDIS_URL, announceRedisSkip, uniquePrefix } from '../support/redisServers.js';
import { eventually } from '../support/testServer.js';

/** The Redis fan-out on its own, between two "processes" (two sets of connections) on a real Redis. */
announceRedisSkip('redis-fanout.test.ts');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function process(url: string, prefix: string): Promise<{ fanOut: RedisFanOut; redis: RedisConnections }> {
  const redis = openRedis(url, prefix, silentLogger());
  cleanups.push(() => redis.close());
  expect(await redis.whenConnected(5000)).toBe(true);
  const fanOut = new RedisFanOut(redis.commands, redis.fanOutSubscriber, prefix, silentLogger());
  cleanups.push(() => fanOut.close());
  return { fanOut, redis };
}

/** What `listen` publishes to learn that a subscription is live; never counted as received. */
const PING = new Uint8Array([0xfe, 0xed, 0xfa, 0xce]);
const isPing = (m: FanOutMessage) =>
  m.kind === 'presence' && m.frame.length === 4 && m.frame.every((b, i) => b === PING[i]);

/** Subscribes and resolves once the subscription is live (a message published after it arrives). */
async function listen(
  from: RedisFanOut,
  to: RedisFanOut,
  room: string,
  onGap?: () => void,
): Promise<{ received: FanOutMessage[]; stop: () => void }> {
  const received: FanOutMessage[] = [];
  let live = false;
  const stop = to.subscribe(
    room,
    (m) => {
      if (isPing(m)) live = true;
      else received.push(m);
    },
    onGap,
  );
  // SUBSCRIBE is asynchronous: ping through the channel until one arrives.
  await eventually(() => {
    from.publish(room, { kind: 'presence', frame: PING });
    expect(live).toBe(true);
  });
  return { received, stop };
}

const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

describe.skipIf(!TEST_REDIS_URL)('Redis fan-out', () => {
  it('carries binary updates with their log position to other processes, not back to the sender', async () => {
    const prefix = uniquePrefix();
    const a = await process(TEST_REDIS_URL, prefix);
    const b = await process(TEST_REDIS_URL, prefix);
    const { received: onA } = await listen(b.fanOut, a.fanOut, 'doc/part-1');
    const onB = await listen(a.fanOut, b.fanOut, 'doc/part-1');
    const other = await listen(a.fanOut, b.fanOut, 'doc/part-2');

    a.fanOut.publish('doc/part-1', { kind: 'update', update: everyByte, position: { epoch: 3, seq: 41 } });
    a.fanOut.publish('doc/part-1', { kind: 'forward', to: 'b', connectionId: 'c', userId: 'u', message: everyByte });
    // Barrier: B's own message reaches A after A's own two have reached B (one connection, in order).
    await eventually(() => expect(onB.received).toHaveLength(2));
    b.fanOut.publish('doc/part-1', { kind: 'presence', frame: everyByte });
    await eventually(() => expect(onA.some((m) => m.kind === 'presence' && m.frame.length === 256)).toBe(true));

    expect(onB.received).toEqual([
      { kind: 'update', update: everyByte, position: { epoch: 3, seq: 41 } },
      { kind: 'forward', to: 'b', connectionId: 'c', userId: 'u', message: everyByte },
    ]);
    // A never received what it published itself (its pings and its two messages came before B's frame).
    expect(onA).toEqual([{ kind: 'presence', frame: everyByte }]);
    // Another section's channel saw none of it.
    expect(other.received).toEqual([]);
  });

  it('after its link is reset, a subscriber is told of the gap once it is subscribed again', async () => {
    const prefix = uniquePrefix();
    const proxy = await startFaultProxy({
      host: new URL(TEST_REDIS_URL).hostname,
      port: Number(new URL(TEST_REDIS_URL).port || 6379),
    });
    cleanups.push(() => proxy.close());
    const a = await process(TEST_REDIS_URL, prefix);
    const b = await process(proxy.url(TEST_REDIS_URL), prefix);
    let gaps = 0;
    const onB = await listen(a.fanOut, b.fanOut, 'doc/part-1', () => {
      gaps++;
      // Published after the gap call: the subscription is live again, so it must arrive.
      a.fanOut.publish('doc/part-1', { kind: 'update', update: new Uint8Array([gaps]) });
    });
    // Once when the subscription became live (what was published before it passed by)…
    expect(gaps).toBe(1);

    // … and once after the link is back.
    proxy.reset();
    await eventually(() => expect(gaps).toBe(2), 10_000);
    await eventually(() => expect(onB.received).toContainEqual({ kind: 'update', update: new Uint8Array([2]) }));
  });

  it('unsubscribing the last listener of a section stops its messages', async () => {
    const prefix = uniquePrefix();
    const a = await process(TEST_REDIS_URL, prefix);
    const b = await process(TEST_REDIS_URL, prefix);
    const first = await listen(a.fanOut, b.fanOut, 'doc/x');
    const barrier = await listen(a.fanOut, b.fanOut, 'doc/y');
    first.stop();
    // Unsubscribing is asynchronous too: wait until Redis counts no subscriber on the channel.
    await eventually(async () => {
      const counts = (await a.redis.commands.call('PUBSUB', 'NUMSUB', b.fanOut.channelOf('doc/x'))) as [string, number];
      expect(Number(counts[1])).toBe(0);
    });
    a.fanOut.publish('doc/x', { kind: 'presence', frame: new Uint8Array([1]) });
    a.fanOut.publish('doc/y', { kind: 'presence', frame: new Uint8Array([2]) });
    await eventually(() => expect(barrier.received).toHaveLength(1));
    expect(first.received).toEqual([]);
  });
});
