import { afterEach, describe, expect, it } from 'vitest';
import { ClientEvent, type PresencePayload, type PresenterState, ServerEvent } from '../../shared/events.js';
import { type Cast, buildCast, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import type { Config } from '../../server/config.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { TEST_PASSWORD } from '../support/fixtures.js';
import { TEST_REDIS_URL, announceRedisSkip, startServersOnOneStore, uniquePrefix } from '../support/redisServers.js';
import type { TestServer } from '../support/testServer.js';
import { eventually } from '../support/testServer.js';

/**
 * Two Concord processes' worth of servers on one store, joined by a real Redis: socket.io events,
 * presence, presenter state and sign-in throttling are shared; group-only material still reaches only
 * its group; `/readyz` follows Redis; a cut pub/sub link is noticed and recovered from.
 */
const DOC = 'gb-999-redis-1';

announceRedisSkip('redis.test.ts');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Events = { name: string; payload: unknown }[];

async function twoServers(
  redisUrls: string[] = [TEST_REDIS_URL, TEST_REDIS_URL],
  config: Partial<Config> = {},
): Promise<[TestServer, TestServer]> {
  const prefix = uniquePrefix();
  const started = await startServersOnOneStore({ redisUrls, prefix, document: consultationDocument(DOC), config });
  cleanups.push(() => started.stop());
  const [a, b] = started.servers;
  if (!a || !b) throw new Error('two servers expected');
  return [a, b];
}

async function socketOn(server: TestServer, who: Cast[keyof Cast]) {
  const joined = await joinedSocket(server, who, DOC);
  cleanups.push(() => void joined.socket.disconnect());
  return joined;
}

const threadEvents = (events: Events) =>
  events
    .filter((e) => e.name === ServerEvent.ThreadChanged)
    .map((e) => e.payload as { thread: { body?: string; id: string } });

function openThread(server: TestServer, who: Cast[keyof Cast], body: string, visibility: 'all' | 'group') {
  return call<{ id: string }>(server, 'POST', `/api/documents/${DOC}/threads`, who, {
    sectionId: 'part-1',
    paragraph: 1,
    body,
    visibility,
  });
}

describe.skipIf(!TEST_REDIS_URL)('Redis between server processes', () => {
  // Each test starts its own pair; the cast is built on it (users live in that pair's store).
  let cast: Cast;
  let a: TestServer;
  let b: TestServer;

  async function pair(redisUrls?: string[], config?: Partial<Config>) {
    [a, b] = await twoServers(redisUrls, config);
    cast = await buildCast(a);
  }

  it('socket.io events cross processes; a group-only thread reaches only its group and the Office', async () => {
    await pair();
    const officeOnA = await socketOn(a, cast.office);
    const workersOnB = await socketOn(b, cast.workers);
    const employersOnB = await socketOn(b, cast.employers);

    const group = await openThread(a, cast.workers, 'Workers only, opened on A.', 'group');
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    await eventually(() => expect(threadEvents(workersOnB.events).map((t) => t.thread.id)).toContain(group.body.id));
    await eventually(() => expect(threadEvents(officeOnA.events).map((t) => t.thread.id)).toContain(group.body.id));

    // Barrier: a public thread opened after it on the same process reaches the employers on B; the
    // group-only one, published before it on the same Redis link, would have arrived first.
    const open = await openThread(a, cast.france, 'For everyone, opened on A.', 'all');
    expect(open.status).toBe(201);
    await eventually(() => expect(threadEvents(employersOnB.events).map((t) => t.thread.id)).toContain(open.body.id));
    expect(threadEvents(employersOnB.events).map((t) => t.thread.id)).not.toContain(group.body.id);
    await eventually(() => expect(threadEvents(workersOnB.events).map((t) => t.thread.id)).toContain(open.body.id));

    // Per-user events (a refused collaboration update) find the user's sockets on any process.
    a.services.events.toUser(cast.workers.user.id, ServerEvent.UpdateRefused, {
      documentId: DOC,
      sectionId: 'probe',
      code: 'rate',
      message: 'from A',
    });
    await eventually(() => expect(workersOnB.events.some((e) => e.name === ServerEvent.UpdateRefused)).toBe(true));
    expect(employersOnB.events.some((e) => e.name === ServerEvent.UpdateRefused)).toBe(false);
  });

  it('lists everyone in a document, whichever process they are on, with their section', async () => {
    await pair();
    const officeOnA = await socketOn(a, cast.office);
    const franceOnB = await socketOn(b, cast.france);
    officeOnA.socket.emit(ClientEvent.Focus, { documentId: DOC, sectionId: 'decision' });
    await eventually(() => {
      const lists = franceOnB.events.filter((e) => e.name === ServerEvent.Presence);
      const people = (lists.at(-1)?.payload as PresencePayload | undefined)?.people ?? [];
      expect(people.map((p) => [p.id, p.sectionId]).sort()).toEqual(
        [
          [cast.office.user.id, 'decision'],
          [cast.france.user.id, null],
        ].sort(),
      );
    });
  });

  it('shares the presenter: the Office presents on A, followers and late joiners on B see it', async () => {
    await pair();
    const states = (events: Events) =>
      events.filter((e) => e.name === ServerEvent.PresenterState).map((e) => e.payload as PresenterState);
    const office = await socketOn(a, cast.office);
    const follower = await socketOn(b, cast.workers);
    office.socket.emit(ClientEvent.PresenterStart, { documentId: DOC });
    await eventually(() => expect(states(follower.events).at(-1)?.presenter?.id).toBe(cast.office.user.id));
    const position = { documentId: DOC, sectionId: 'part-1', paragraph: 3, anchor: null };
    office.socket.emit(ClientEvent.PresenterPosition, position);
    await eventually(() => {
      const moved = follower.events.filter((e) => e.name === ServerEvent.PresenterPosition);
      expect(moved.at(-1)?.payload).toEqual({ ...position, presenterId: cast.office.user.id });
    });
    // A late joiner on the other process is greeted with the state kept in Redis.
    const late = await socketOn(b, cast.observer);
    expect(states(late.events).at(-1)).toMatchObject({
      presenter: { id: cast.office.user.id, role: 'secretariat' },
      position: { sectionId: 'part-1', paragraph: 3 },
    });
    // The presenter's socket disconnecting on A ends the presentation everywhere.
    office.socket.disconnect();
    await eventually(() => expect(states(late.events).at(-1)?.presenter).toBeNull());
    await eventually(() => expect(states(follower.events).at(-1)?.presenter).toBeNull());
  });

  it('counts failed sign-ins across processes: 10 failures spread over two servers meet the back-off', async () => {
    await pair();
    const still = Date.now();
    for (const s of [a, b]) s.services.clock = { now: () => still };
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const server = i % 2 === 0 ? a : b;
      const res = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: cast.employers.user.username, password: `guess-${i}` }),
      });
      statuses.push(res.status);
    }
    // Five free failures in all, not five per process.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    const right = await fetch(`${b.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: cast.employers.user.username, password: TEST_PASSWORD }),
    });
    expect(right.status).toBe(429);
  });

  it('signing out on one process ends the session’s live connections on the other at once', async () => {
    // No session check could do it within the test: only the word from the other process can.
    await pair(undefined, { sessionCheckMs: 3600_000 });
    const collab = connectProvider(b.url, `${DOC}/part-1`, cast.employers.token);
    cleanups.push(() => collab.provider.destroy());
    await waitForSync(collab.provider);
    const onB = await socketOn(b, cast.employers);
    const closed = nextClose(collab.provider, 10_000);
    const disconnected = new Promise<void>((resolve) => onB.socket.once('disconnect', () => resolve()));
    expect((await call(a, 'DELETE', '/api/session', cast.employers)).status).toBe(200);
    expect((await closed).code).toBe(CloseCode.SessionEnded);
    await disconnected;
    expect(onB.events.find((e) => e.name === ServerEvent.SessionEnded)?.payload).toMatchObject({
      error: 'session_ended',
      message: 'You signed out.',
    });
  });

  it('/readyz answers 503 while Redis is unreachable and 200 once it is back; the server keeps serving', async () => {
    const proxy = await startFaultProxy(redisAddress());
    cleanups.push(() => proxy.close());
    await pair([TEST_REDIS_URL, proxy.url(TEST_REDIS_URL)]);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);

    proxy.refuse(true);
    proxy.drop();
    await eventually(async () => expect((await fetch(`${b.url}/readyz`)).status).toBe(503));
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
    // Still serving: a sign-in is checked (and throttled in this process meanwhile).
    expect((await b.login(cast.france.user)).length).toBeGreaterThan(0);

    proxy.refuse(false);
    await eventually(async () => expect((await fetch(`${b.url}/readyz`)).status).toBe(200), 10_000);
  });

  it('a pub/sub link reset mid-stream is noticed: events from the other process resume after the reconnect', async () => {
    const proxy = await startFaultProxy(redisAddress());
    cleanups.push(() => proxy.close());
    await pair([TEST_REDIS_URL, proxy.url(TEST_REDIS_URL)]);
    const onB = await socketOn(b, cast.workers);
    // A probe event outside the contract: only this test's sockets look for it.
    const probe = (server: typeof a, n: number) =>
      (server.services.events.toDocument as (documentId: string, event: string, payload: unknown) => void)(
        DOC,
        'test:probe',
        n,
      );
    const probes = () => onB.events.filter((e) => e.name === 'test:probe').map((e) => e.payload as number);

    probe(a, 1);
    await eventually(() => expect(probes()).toContain(1));

    proxy.reset();
    // Pub/sub keeps nothing for a subscriber that is away: send until one gets through the new link.
    let n = 1;
    await eventually(() => {
      probe(a, ++n);
      expect(probes().some((p) => p > 1)).toBe(true);
    }, 10_000);
  });
});

function redisAddress(): { host: string; port: number } {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}
