import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../observability/logger.js';

/** A Redis call was not made because the link is down: callers fall back or give up at once, never wait. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is not reachable');
  }
}

/**
 * The connections one process holds to Redis. Subscribing puts a connection in a state where it
 * takes no other command, so the fan-out and the socket.io adapter each have their own subscriber;
 * everything else (keys, PUBLISH, PING) shares `commands`.
 */
export interface RedisConnections {
  readonly prefix: string;
  readonly commands: Redis;
  readonly fanOutSubscriber: Redis;
  readonly adapterSubscriber: Redis;
  /** Resolves when every connection answers; rejects at once when one is down (for `/readyz`). */
  check(): Promise<void>;
  /** `commands`, or a {@link RedisUnavailableError} without waiting when it is not connected. */
  ready(): Redis;
  /** Resolves once every connection is up, or after `timeoutMs`; false if one is still down. */
  whenConnected(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

// Reconnects quickly at first, then every 2 s, for ever: Redis coming back must be noticed soon.
const retryStrategy = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 6), 2000);

export function openRedis(url: string, prefix: string, logger: Logger): RedisConnections {
  const base: RedisOptions = { retryStrategy, lazyConnect: false, connectionName: 'concord' };
  const commands = new Redis(url, {
    ...base,
    // A paused link must not hold a sign-in or a readiness check: a call gives up after a second.
    commandTimeout: 1000,
    // Calls made during a short reconnect wait for it (PUBLISH included); after that they fail.
    maxRetriesPerRequest: 2,
  });
  // Subscriptions wait for the link however long it takes: they must be in place when it is back.
  const fanOutSubscriber = new Redis(url, { ...base, maxRetriesPerRequest: null, autoResubscribe: false });
  const adapterSubscriber = new Redis(url, { ...base, maxRetriesPerRequest: null });
  const all = [
    { name: 'commands', client: commands },
    { name: 'fan-out subscriber', client: fanOutSubscriber },
    { name: 'socket.io subscriber', client: adapterSubscriber },
  ];
  const log = logger.child({ component: 'redis' });
  for (const { name, client } of all) {
    // One line when a link goes down and one when it is back, not one per retry.
    let down = false;
    client.on('error', (err: Error) => {
      if (down) return;
      down = true;
      log.warn({ link: name, err: err.message }, 'Redis link lost; reconnecting');
    });
    client.on('close', () => {
      if (!down && client.status !== 'end') log.warn({ link: name }, 'Redis link closed; reconnecting');
      down = true;
    });
    client.on('ready', () => {
      if (down) log.info({ link: name }, 'Redis link back');
      down = false;
    });
  }
  return {
    prefix,
    commands,
    fanOutSubscriber,
    adapterSubscriber,
    async check() {
      for (const { name, client } of all) {
        if (client.status !== 'ready') throw new Error(`Redis ${name} link is ${client.status}`);
      }
      await commands.ping();
    },
    ready() {
      if (commands.status !== 'ready') throw new RedisUnavailableError();
      return commands;
    },
    async whenConnected(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      for (const { client } of all) {
        if (client.status === 'ready') continue;
        const left = deadline - performance.now();
        if (left <= 0) return false;
        const up = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => {
            client.off('ready', onReady);
            resolve(false);
          }, left);
          const onReady = () => {
            clearTimeout(timer);
            resolve(true);
          };
          client.once('ready', onReady);
        });
        if (!up) return false;
      }
      return true;
    },
    async close() {
      // QUIT would wait in the offline queue while Redis is down; closing the sockets cannot hang.
      for (const { client } of all) client.disconnect(false);
    },
  };
}
