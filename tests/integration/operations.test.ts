import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { startServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/observability/logger.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';
import { importDocument } from '../../server/commands/importDocument.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGEST_INSERT, ownerKeyOf } from '../../shared/suggestions.js';
import { TEST_PASSWORD, buildDocument } from '../support/fixtures.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const ROOM = 'gb-999-test-1/part-1';

function firstText(doc: Y.Doc): Y.XmlText {
  const block = doc.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement;
  return (block.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

/** The value of one sample of the Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}

describe('operations endpoints', () => {
  let server: TestServer;
  const cleanups: (() => void)[] = [];

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server?.stop();
  });

  it('answers /healthz and /readyz without authentication or data, and /readyz 503 once draining', async () => {
    server = await startTestServer();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('ready\n');
    server.drain();
    const draining = await fetch(`${server.url}/readyz`);
    expect(draining.status).toBe(503);
    expect(await draining.text()).toBe('not ready\n');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers /readyz 503 when the store does not answer', async () => {
    server = await startTestServer();
    await server.store.close();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    // The store is already closed: teardown closes the server and removes the folder only.
    const { close, dataDir } = server;
    server.stop = async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });

  it('serves no /metrics without a token or a metrics port', async () => {
    server = await startTestServer();
    expect(server.metricsUrl).toBeNull();
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('serves /metrics on a separate port without a token, and not on the main port', async () => {
    server = await startTestServer({ config: { metricsPort: 0, metricsHost: '127.0.0.1' } });
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const scrape = await fetch(server.metricsUrl as string);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('concord_collab_connections');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('counts traffic, sign-in failures and refused forged updates, behind a bearer token', async () => {
    server = await startTestServer({ config: { metricsToken: 'scrape-secret-123' } });
    const scrape = async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret-123' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const before = await scrape();

    const france = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'France' });
    const workers = await buildUser(server.store, { role: 'delegate', group: 'workers' });
    const failed = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: france.username, password: `${TEST_PASSWORD}!` }),
    });
    expect(failed.status).toBe(401);

    const honest = connectProvider(server.url, ROOM, await server.login(workers));
    const liar = connectProvider(server.url, ROOM, await server.login(france));
    cleanups.push(
      () => honest.provider.destroy(),
      () => liar.provider.destroy(),
    );
    await Promise.all([waitForSync(honest.provider), waitForSync(liar.provider)]);
    expect((await fetch(`${server.url}/api/documents/gb-999-test-1`)).status).toBe(401);

    const during = await scrape();
    expect(sample(during, 'concord_collab_connections', { role: 'delegate' })).toBe(2);
    expect(sample(during, 'concord_loaded_sections')).toBe(1);

    firstText(honest.doc).insert(7, ' tout', {
      [SUGGEST_INSERT]: { id: 'wkmetric0001', by: ownerKeyOf(workers), author: workers.id },
    });
    await eventually(() => expect(firstText(liar.doc).toString()).toContain(' tout'));
    liar.provider.shouldConnect = false;
    const closed = nextClose(liar.provider);
    firstText(liar.doc).insert(0, 'Vraiment ');
    expect((await closed).code).toBe(CloseCode.UpdateRefused);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('concord_collab_updates_refused_total', { code: 'official' })).toBe(1);
    expect(delta('concord_collab_updates_accepted_total')).toBeGreaterThanOrEqual(1);
    expect(delta('concord_collab_update_check_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(delta('concord_collab_update_store_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(delta('concord_collab_update_relay_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(delta('concord_collab_relay_fanout_sum')).toBeGreaterThanOrEqual(1);
    expect(delta('concord_sign_in_failures_total', { reason: 'invalid_credentials' })).toBe(1);
    expect(delta('concord_store_call_seconds_count', { method: 'tx.appendUpdate' })).toBeGreaterThanOrEqual(1);
    expect(delta('concord_http_requests_total', { method: 'POST', route: '/api/session', status: '401' })).toBe(1);
    expect(
      delta('concord_http_requests_total', { method: 'GET', route: '/api/documents/:documentId', status: '401' }),
    ).toBe(1);
    expect(after).toMatch(/^nodejs_eventloop_lag_p99_seconds \S+$/m);
    // Label values are patterns and codes: no document id, no user id anywhere.
    expect(after).not.toContain('gb-999-test-1');
    expect(after).not.toContain(france.id);
    expect(sample(after, 'concord_collab_connections', { role: 'delegate' })).toBeLessThanOrEqual(1);
  });
});

describe('logs', () => {
  it('writes a JSON line per request with its request id and user, and never the token', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-logs-'));
    const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
    await importDocument(store, buildDocument());
    const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: '' });
    const server = await startServer(config, store, createLogger({ level: 'info', format: 'json' }, sink));
    try {
      const user = await buildUser(store, { role: 'delegate', group: 'workers' });
      const login = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
      });
      const { token } = (await login.json()) as { token: string };
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      const reqId = me.headers.get('x-request-id');
      expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
      const forwarded = await fetch(`${server.url}/api/me`, {
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'lb-abc.123' },
      });
      expect(forwarded.headers.get('x-request-id')).toBe('lb-abc.123');

      const collab = connectProvider(server.url, ROOM, token);
      await waitForSync(collab.provider);
      collab.provider.destroy();

      await eventually(() => {
        const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        const line = entries.find((e) => e.reqId === reqId && e.msg === 'request');
        expect(line).toMatchObject({ route: '/api/me', status: '200', userId: user.id, level: 30 });
        expect(entries.some((e) => e.reqId === 'lb-abc.123')).toBe(true);
        expect(entries.find((e) => e.msg === 'collab connection opened')).toMatchObject({
          userId: user.id,
          connId: expect.stringMatching(/^[0-9a-f]{8}$/),
        });
      });
      const all = lines.join('\n');
      expect(all).not.toContain(token);
      expect(all).not.toContain(TEST_PASSWORD);
      expect(all).not.toContain('Premier paragraphe');
    } finally {
      await server.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
