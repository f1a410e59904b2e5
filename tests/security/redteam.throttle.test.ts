import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../server/storage/Store.js';
import { TEST_PASSWORD } from '../support/fixtures.js';
import { type TestServer, buildUser, startTestServer } from '../support/testServer.js';
import { type RawReply, rawRequest } from './rawHttp.js';

/**
 * Red team, as an operator: the README requires TLS termination in front of Concord (a reverse proxy)
 * and ships HAProxy behind it for several processes — so in a real deployment every sign-in reaches
 * the server from the proxy's one address. Here the proxy is 127.0.0.9 and it says who the client is
 * in `X-Forwarded-For`, as HAProxy's `option forwardfor` and nginx do.
 */
let server: TestServer;
let victim: UserRecord;
let realClock: TestServer['services']['clock'];

beforeAll(async () => {
  server = await startTestServer({ document: null });
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
  // FINDING: the throttle keys on the socket address only ("no proxy header is trusted"), so behind the
  // required TLS proxy every client shares the proxy's address. Five wrong passwords typed by anyone,
  // from anywhere, for a delegate's username lock that delegate out (up to 15 min, doubling), and 20
  // failures over any usernames lock out *everyone* (up to 5 min) — during a sitting, one hostile
  // delegate can keep the room from signing in. README promises "The right password from another
  // address still works while an account is hammered", which is false in the deployment it describes.
  // Expected: an opt-in setting naming trusted proxies (e.g. `CONCORD_TRUSTED_PROXIES=10.0.0.5`), from
  // which the client address is read from `X-Forwarded-For` (the right-most entry not itself a trusted
  // proxy) — for the throttle, the per-address connection rate and the audit's `ip`; never trusted
  // from anyone else. Not fixed here: it needs a new setting, its parsing and docs. With such a
  // setting (trusting 127.0.0.9), this test should pass.
  it.skip('a hammered account still signs in from its owner’s own address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await viaProxy('203.0.113.66', victim.username, `guess-${i}`)).status);
    expect(statuses.at(-1)).toBe(429);
    const owner = await viaProxy('198.51.100.7', victim.username, TEST_PASSWORD);
    expect(owner.status, owner.text).toBe(200);
  });
});
