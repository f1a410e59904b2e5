import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../shared/audit.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { TEST_PASSWORD } from '../support/fixtures.js';
import { type TestServer, buildUser, startTestServer } from '../support/testServer.js';
import { type RawReply, rawRequest } from './rawHttp.js';

/**
 * Password guessing from chosen addresses: test clients bind to 127.0.0.x (`localAddress`), so the
 * server sees each as a different machine by its socket address — no proxy header is trusted. The
 * clock is held still, so a back-off cannot run out while scrypt works on a busy machine.
 */
let server: TestServer;
let office: UserRecord;
let officeToken: string;
let realClock: TestServer['services']['clock'];

beforeAll(async () => {
  server = await startTestServer({ document: null });
  office = await buildUser(server.store, { role: 'secretariat', group: null, username: 'office' });
  officeToken = await server.login(office);
  realClock = server.services.clock;
  const still = realClock.now();
  server.services.clock = { now: () => still };
});

afterAll(async () => {
  server.services.clock = realClock;
  await server.stop();
});

function signIn(from: string, username: string, password: string): Promise<RawReply> {
  return rawRequest(server.url, 'POST', '/api/session', {
    localAddress: from,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

describe('sign-in throttling', () => {
  it('an attacker hammering an account from one address does not lock its owner out elsewhere', async () => {
    await buildUser(server.store, { username: 'delegate-a', group: 'workers' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn('127.0.0.2', 'delegate-a', `guess-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // Even the right password waits out the back-off from the attacker's address …
    const fromAttacker = await signIn('127.0.0.2', 'delegate-a', TEST_PASSWORD);
    expect(fromAttacker.status).toBe(429);
    expect(fromAttacker.json.message).toMatch(/Try again in \d+ s/);
    expect(Number(fromAttacker.headers['retry-after'])).toBeGreaterThan(0);
    // … while the owner signs in from their own.
    const owner = await signIn('127.0.0.3', 'delegate-a', TEST_PASSWORD);
    expect(owner.status, owner.text).toBe(200);
  });

  it('waits twice as long after each further failure', async () => {
    await buildUser(server.store, { username: 'delegate-b', group: 'workers' });
    const clock = server.services.clock;
    let now = clock.now();
    server.services.clock = { now: () => now };
    try {
      const waits: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await signIn('127.0.0.4', 'delegate-b', `guess-${i}`);
        if (res.status === 429) {
          const wait = Number(res.headers['retry-after']) * 1000;
          waits.push(wait);
          now += wait; // let exactly the back-off pass, then fail once more
          expect((await signIn('127.0.0.4', 'delegate-b', 'wrong again')).status).toBe(401);
        }
      }
      expect(waits.slice(0, 3)).toEqual([1000, 2000, 4000]);
    } finally {
      server.services.clock = clock;
    }
  });

  it('throttles one password sprayed over many usernames from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) statuses.push((await signIn('127.0.0.5', `someone-${i}`, 'Summer2026!')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
    await buildUser(server.store, { username: 'delegate-c', group: 'workers' });
    expect((await signIn('127.0.0.5', 'delegate-c', TEST_PASSWORD)).status).toBe(429);
    expect((await signIn('127.0.0.6', 'delegate-c', TEST_PASSWORD)).status).toBe(200);
  });

  it('40 parallel guesses do not hold up a real sign-in from another address', { timeout: 90_000 }, async () => {
    const user = await buildUser(server.store, { username: 'delegate-d', group: 'employers' });
    // Timed by order, not by the clock (the machine may be busy): the guesses of one address are
    // checked one after another, so the real sign-in must not wait for that line to drain.
    const flood = Array.from({ length: 40 }, (_, i) =>
      signIn('127.0.0.8', `victim-${i}`, 'wrong').then((reply) => ({ reply, at: performance.now() })),
    );
    const real = await signIn('127.0.0.9', user.username, TEST_PASSWORD);
    const realAt = performance.now();
    const answers = await Promise.all(flood);
    expect(real.status).toBe(200);
    expect(answers.every((a) => a.reply.status === 401 || a.reply.status === 429)).toBe(true);
    // At most one checked and ten waiting: the rest are refused at once, without scrypt.
    const checked = answers.filter((a) => a.reply.status === 401);
    expect(checked.length).toBeLessThanOrEqual(11);
    expect(answers.filter((a) => a.reply.status === 429).length).toBeGreaterThanOrEqual(29);
    // Most of the checked guesses were still in line when the real sign-in was done.
    expect(checked.filter((a) => a.at > realAt).length).toBeGreaterThanOrEqual(checked.length / 2);
  });

  it('audits failed sign-ins per account, for the Office only', async () => {
    const user = await buildUser(server.store, { username: 'delegate-e', group: 'workers' });
    const token = await server.login(user);
    expect((await signIn('127.0.0.10', 'delegate-e', 'nope-1')).status).toBe(401);
    expect((await signIn('127.0.0.10', 'delegate-e', 'nope-2')).status).toBe(401);
    const page = await rawRequest(server.url, 'GET', '/api/audit/sign-ins?limit=100', {
      headers: { authorization: `Bearer ${officeToken}` },
    });
    expect(page.status).toBe(200);
    const entries = (page.json as unknown as AuditPage).entries.filter((e) => e.targetId === user.id);
    expect(entries.map((e) => [e.action, e.targetRef, e.ip, e.details.failuresInARow])).toEqual([
      ['session.sign_in_failed', 'delegate-e', '127.0.0.10', 2],
      ['session.sign_in_failed', 'delegate-e', '127.0.0.10', 1],
    ]);
    const asDelegate = await rawRequest(server.url, 'GET', '/api/audit/sign-ins', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(asDelegate.status).toBe(403);
  });
});
