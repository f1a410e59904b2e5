import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../server/storage/Store.js';
import { TEST_PASSWORD } from '../support/fixtures.js';
import { type TestServer, buildUser, startTestServer } from '../support/testServer.js';
import { type RawReply, rawRequest } from './rawHttp.js';

/**
 * Red team, as an operator: the README requires TLS termination in front of Concord (a reverse proxy)
 * and ships HAProxy behind it for several processes — so in a real deployment every sign-in reaches
 * the server from the proxy's one address. Here the proxy is 127.0.0.9 and it says who the client is
 * in `X-Forwarded-For`, as HAProxy's `option forwardfor` and nginx do; Concord trusts it
 * (`CONCORD_TRUSTED_PROXIES=127.0.0.9`), and nobody else.
 */
let server: TestServer;
let victim: UserRecord;
let realClock: TestServer['services']['clock'];

beforeAll(async () => {
  server = await startTestServer({ document: null, config: { trustedProxies: ['127.0.0.9'] } });
  victim = await buildUser(server.store, { username: 'gov-victim', group: 'government', memberState: 'France' });
  realClock = server.services.clock;
  const still = realClock.now();
  server.services.clock = { now: () => still };
});

afterAll(async () => {
  server.services.clock = realClock;
  await server.stop();
});

function viaProxy(client: string, username: string, password: string): Promise<RawReply> {
  return rawRequest(server.url, 'POST', '/api/session', {
    localAddress: '127.0.0.9',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ username, password }),
  });
}

describe('red team: the sign-in throttle behind the reverse proxy the README requires', () => {
  // Was a FINDING: the throttle keyed on the socket address only, so behind the required TLS proxy every
  // client shared the proxy's address — five wrong passwords typed by anyone locked a delegate out, and
  // twenty over any usernames locked out everyone. With CONCORD_TRUSTED_PROXIES naming the proxy, the
  // client address is the right-most `X-Forwarded-For` entry that is not a trusted proxy.
  it('a hammered account still signs in from its owner’s own address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await viaProxy('203.0.113.66', victim.username, `guess-${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    const owner = await viaProxy('198.51.100.7', victim.username, TEST_PASSWORD);
    expect(owner.status, owner.text).toBe(200);
    // The audit says where the guesses came from, not the proxy.
    const { entries } = await server.store.audit.list('', { limit: 100, offset: 0 });
    const failed = entries.filter((e) => e.action === 'session.sign_in_failed' && e.targetRef === victim.username);
    expect(new Set(failed.map((e) => e.ip))).toEqual(new Set(['203.0.113.66']));
  });

  it('an address the client wrote left of the proxy’s own entry proves nothing', async () => {
    const target = await buildUser(server.store, { username: 'gov-spoofed', group: 'government', memberState: 'Kenya' });
    const statuses: number[] = [];
    // The attacker writes a fresh address each time; the proxy appends the one it saw (203.0.113.67).
    for (let i = 0; i < 6; i++) {
      statuses.push((await viaProxy(`192.0.2.${i + 1}, 203.0.113.67`, target.username, `guess-${i}`)).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('an untrusted peer’s X-Forwarded-For is ignored: a fresh address per guess does not escape the throttle', async () => {
    const target = await buildUser(server.store, { username: 'gov-direct', group: 'government', memberState: 'Brazil' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const reply = await rawRequest(server.url, 'POST', '/api/session', {
        localAddress: '127.0.0.8',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 20}` },
        body: JSON.stringify({ username: target.username, password: `guess-${i}` }),
      });
      statuses.push(reply.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
