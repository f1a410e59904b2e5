import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { ClientEvent, type PresencePayload, ServerEvent } from '../../shared/events.js';
import { buildCast, consultationDocument } from '../support/consultation.js';
import {
  announceRedisSkip,
  type ServersOnOneStore,
  startServersOnOneStore,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../support/redisServers.js';

/**
 * Red team with REDIS_URL: what crosses Redis is readable by anyone who can read Redis (a monitoring
 * tool, another deployment sharing it under another prefix, `MONITOR`, a replica). A session token is a
 * credential: it must never be published there.
 */
announceRedisSkip('redteam.redis.test.ts');

const DOC = 'gb-999-redteam-redis-1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(!TEST_REDIS_URL)('red team: secrets in Redis', () => {
  it('the presence list of another process never carries a socket’s session token (auth or cookie) through Redis', async () => {
    const prefix = uniquePrefix();
    const pair: ServersOnOneStore = await startServersOnOneStore({
      redisUrls: [TEST_REDIS_URL, TEST_REDIS_URL],
      prefix,
      document: consultationDocument(DOC),
    });
    cleanups.push(() => pair.stop());
    const [a, b] = pair.servers as [ServersOnOneStore['servers'][0], ServersOnOneStore['servers'][0]];
    const cast = await buildCast(a);

    const spy = new Redis(TEST_REDIS_URL);
    cleanups.push(() => void spy.disconnect());
    const seen: Buffer[] = [];
    spy.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) =>
      seen.push(Buffer.concat([channel, Buffer.from(' '), message])),
    );
    await spy.psubscribe(`${prefix}*`);

    const open = (url: string, options: Parameters<typeof connect>[1]) => {
      const socket: Socket = connect(url, { path: '/socket.io', transports: ['websocket'], ...options });
      cleanups.push(() => void socket.disconnect());
      return socket;
    };
    const connected = (s: Socket) =>
      new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
      });
    // On process A: a script with its token in `auth`, and a browser with the session cookie.
    const script = open(a.url, { auth: { token: cast.workers.token } });
    const browser = open(a.url, {
      extraHeaders: { cookie: `concord_session=${cast.employers.token}`, origin: a.url },
    });
    await Promise.all([connected(script), connected(browser)]);
    script.emit(ClientEvent.JoinDocument, { documentId: DOC });
    browser.emit(ClientEvent.JoinDocument, { documentId: DOC });

    // On process B: joining asks every process for its sockets in the document's room (fetchSockets).
    const tokenOnB = await b.login(cast.france.user);
    const watcher = open(b.url, { auth: { token: tokenOnB } });
    await connected(watcher);
    const seesBoth = new Promise<void>((resolve) => {
      watcher.on(ServerEvent.Presence, (p: PresencePayload) => {
        const ids = p.people.map((x) => x.id);
        if (ids.includes(cast.workers.user.id) && ids.includes(cast.employers.user.id)) resolve();
      });
    });
    watcher.emit(ClientEvent.JoinDocument, { documentId: DOC });
    // Barrier: B listed A's sockets, so A's answer to fetchSockets has crossed Redis.
    await seesBoth;

    const all = Buffer.concat(seen);
    expect(seen.length).toBeGreaterThan(0);
    for (const token of [cast.workers.token, cast.employers.token, tokenOnB]) {
      expect(all.includes(token), 'a session token crossed Redis').toBe(false);
    }
  });
});

describe('red team: deployments sharing one Redis', () => {
  // The socket.io Redis adapter listens with PSUBSCRIBE `<prefix>socket.io#/#*`: a prefix holding a
  // glob character (`concord-?:` or `concord*`) would also match another deployment's channels
  // (`concord-a:socket.io#/#…`), and this deployment would hand that one's events — group-only threads
  // included — to its own sockets. README: "several deployments can share one Redis".
  it('refuses a key prefix holding a Redis glob character', () => {
    for (const prefix of ['concord-?:', 'concord*', 'concord-[ab]:', 'concord\\:']) {
      expect(() => loadConfig({ CONCORD_REDIS_PREFIX: prefix }), prefix).toThrow(/CONCORD_REDIS_PREFIX/);
    }
    expect(loadConfig({ CONCORD_REDIS_PREFIX: 'concord-a:' }).redisPrefix).toBe('concord-a:');
  });
});
