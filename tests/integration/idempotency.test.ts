import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cast, buildCast, consultationDocument } from '../support/consultation.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';

/**
 * `Idempotency-Key`: a command whose answer was lost, retried with its key, commits once and gets the
 * first answer back; the same key for another request is a 422. On SQLite and, when available, PostgreSQL.
 */
const DOC = 'gb-999-idem-1';
/** Logins hash with scrypt: on a busy shared machine one test takes well over the default 20 s. */
const SLOW = 90_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const engines: { name: string; databaseUrl: () => Promise<string | undefined> }[] = [
  { name: 'SQLite', databaseUrl: async () => undefined },
];
if (postgresAvailable()) {
  engines.push({
    name: 'PostgreSQL',
    databaseUrl: async () => {
      const db = await createTestDatabase();
      cleanups.push(() => db.drop());
      return db.url;
    },
  });
}

function post(server: TestServer, path: string, token: string, body: unknown, key?: string) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
}

/**
 * Sends a request on a raw socket and never reads the answer: the socket is paused, and closed once the
 * command's effect is in the store — the answer is lost, as when a connection drops on the way back.
 */
async function sendAndLoseTheAnswer(
  server: TestServer,
  path: string,
  token: string,
  body: unknown,
  key: string,
  committed: () => Promise<boolean>,
): Promise<void> {
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.pause();
  const data = JSON.stringify(body);
  socket.write(
    [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      `Idempotency-Key: ${key}`,
      `Content-Length: ${Buffer.byteLength(data)}`,
      'Connection: close',
      '',
      data,
    ].join('\r\n'),
  );
  await eventually(async () => expect(await committed()).toBe(true), 10_000);
  socket.destroy();
}

describe.each(engines)('Idempotency-Key ($name)', ({ databaseUrl }) => {
  let server: TestServer;
  let cast: Cast;

  async function start() {
    server = await startTestServer({ document: consultationDocument(DOC), databaseUrl: await databaseUrl() });
    cleanups.push(() => server.stop());
    cast = await buildCast(server);
  }

  const tabling = {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'insert',
    find: 'au dialogue social',
    text: ' tripartite',
    rationale: 'Une fois.',
  };

  it('a request with a key looks its session up once, like one without', async () => {
    await start();
    const sessionLookups = async () => {
      const { values } = await server.services.metrics.storeSeconds.get();
      return (
        values.find((v) => v.metricName === 'concord_store_call_seconds_count' && v.labels.method === 'findSession')
          ?.value ?? 0
      );
    };
    const path = `/api/documents/${DOC}/threads`;
    const thread = { sectionId: 'part-1', paragraph: 1, body: 'Une question.' };
    const before = await sessionLookups();
    expect((await post(server, path, cast.workers.token, thread)).status).toBe(201);
    const withoutKey = (await sessionLookups()) - before;
    const middle = await sessionLookups();
    expect((await post(server, path, cast.workers.token, thread, 'one-session-lookup-0001')).status).toBe(201);
    expect((await sessionLookups()) - middle).toBe(withoutKey);
    expect(withoutKey).toBe(1);
  });

  it('a lost answer retried with its key commits once: one record, one audit line, the first answer', async () => {
    await start();
    const path = `/api/documents/${DOC}/amendments`;
    const key = 'retry-of-a-lost-answer-0001';
    const amendments = () => server.store.amendments.list(DOC);
    await sendAndLoseTheAnswer(server, path, cast.workers.token, tabling, key, async () => {
      const stored = await server.store.idempotency.find(cast.workers.user.id, key);
      // The answer is stored before it is sent: once it is there, the lost answer was on its way.
      return (await amendments()).length === 1 && stored?.status === 201;
    });

    const retry = await post(server, path, cast.workers.token, tabling, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const replayed = (await retry.json()) as { id: string; ref: string };
    const records = await amendments();
    expect(records.map((a) => a.id)).toEqual([replayed.id]);
    expect(replayed.ref).toBe('A-1');
    const audit = await server.store.audit.all(DOC);
    expect(audit.filter((e) => e.targetId === replayed.id && e.action === 'amendment.created')).toHaveLength(1);

    // A second retry: still the same answer, still one record.
    const again = await post(server, path, cast.workers.token, tabling, key);
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(replayed.id);
    expect(await amendments()).toHaveLength(1);

    // The same key with another body is refused and changes nothing.
    const other = await post(server, path, cast.workers.token, { ...tabling, rationale: 'Autre chose.' }, key);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: string }).error).toBe('idempotency_key_reused');
    expect(await amendments()).toHaveLength(1);

    // Keys are per user: another user's request with the same key is a request of its own.
    const theirs = await post(
      server,
      path,
      cast.employers.token,
      { ...tabling, paragraph: 2, find: 'au cœur du mandat', text: ' même' },
      key,
    );
    expect(theirs.status, await theirs.clone().text()).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await amendments()).toHaveLength(2);
  }, SLOW);

  it('a refused request stores nothing under its key: the corrected request with the same key runs', async () => {
    await start();
    const path = `/api/documents/${DOC}/amendments`;
    const key = 'first-try-was-wrong';
    const wrong = await post(server, path, cast.workers.token, { ...tabling, find: 'absent de ce paragraphe' }, key);
    expect(wrong.status).toBe(400);
    expect(await server.store.idempotency.find(cast.workers.user.id, key)).toBeNull();
    const right = await post(server, path, cast.workers.token, tabling, key);
    expect(right.status).toBe(201);
    expect(right.headers.get('idempotent-replayed')).toBeNull();
  }, SLOW);

  it('concurrent requests with one key commit once; threads (a command outside the section queue) too', async () => {
    await start();
    const path = `/api/documents/${DOC}/threads`;
    const thread = { sectionId: 'part-1', paragraph: 1, body: 'Une seule fois.', visibility: 'all' };
    const key = 'same-thread-thrice';
    const answers = await Promise.all([1, 2, 3].map(() => post(server, path, cast.france.token, thread, key)));
    const statuses = answers.map((a) => a.status);
    // One of them did it; the others answer with its answer, or say it is still being carried out.
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ids = new Set<string>();
    for (const a of answers) if (a.status === 201) ids.add(((await a.json()) as { id: string }).id);
    expect(ids.size).toBe(1);
    const threads = await server.store.threads.listByDocument(DOC);
    expect(threads.filter((t) => t.comments[0]?.body === 'Une seule fois.')).toHaveLength(1);
  }, SLOW);

  it('refuses a malformed key', async () => {
    await start();
    const res = await post(server, `/api/documents/${DOC}/threads`, cast.france.token, {}, 'with space');
    expect(res.status).toBe(400);
  }, SLOW);
});
