import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/closeCodes.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { TEST_PASSWORD } from '../support/fixtures.js';
import { type TestServer, buildUser, startTestServer } from '../support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(`${server.url}${path}`, { ...init, headers });
}

function postJson(path: string, body: unknown) {
  return api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('sessions', () => {
  it('signs in with a cookie and a token, and says who you are', async () => {
    const user = await buildUser(server.store, { username: 'gov-br', name: 'Ana Lima', group: 'government', memberState: 'Brazil' });
    const res = await postJson('/api/session', { username: 'gov-br', password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: unknown; token: string; abilities: unknown };
    expect(body.user).toEqual({ id: user.id, name: 'Ana Lima', role: 'delegate', group: 'government', memberState: 'Brazil' });
    expect(body.abilities).toEqual({
      read: true,
      edit: true,
      editDirectly: false,
      suggest: true,
      comment: true,
      decide: false,
      amend: true,
      import: true,
      importOnBehalf: false,
      consolidate: false,
      present: false,
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/concord_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const viaCookie = await api('/api/me', { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(((await viaCookie.json()) as { user: { id: string } }).user.id).toBe(user.id);
    const viaToken = await api('/api/me', { token: body.token });
    expect(viaToken.status).toBe(200);
  });

  it('refuses a wrong password with 401 and a clear message', async () => {
    await buildUser(server.store, { username: 'employer-1' });
    for (const username of ['employer-1', 'nobody']) {
      const res = await postJson('/api/session', { username, password: 'wrong password' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_credentials', message: 'Wrong username or password.' });
    }
  });

  it('answers bad input with a 400 that says what is wrong', async () => {
    const missing = await postJson('/api/session', { username: 'x' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/password/);
    const notJson = await api('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/not valid JSON/);
    // A form post (text/plain here) is not JSON: 415, so no cross-site form can sign anyone in.
    const wrongType = await api('/api/session', { method: 'POST', body: 'username=x' });
    expect(wrongType.status).toBe(415);
  });

  it('signs out: the token, the cookie and open collaboration sockets all end', async () => {
    const user = await buildUser(server.store);
    const token = await server.login(user);
    const c = connectProvider(server.url, 'gb-999-test-1/part-1', token);
    await waitForSync(c.provider);
    const closed = nextClose(c.provider);
    const res = await api('/api/session', { method: 'DELETE', token });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/concord_session=; .*Max-Age=0/);
    expect((await closed).code).toBe(CloseCode.SessionEnded);
    c.provider.destroy();
    expect((await api('/api/me', { token })).status).toBe(401);
    expect((await api('/api/me', { headers: { cookie: `concord_session=${token}` } })).status).toBe(401);
  });

  it('requires a session for the API', async () => {
    const res = await api('/api/documents');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });
});

describe('documents', () => {
  let token: string;
  beforeAll(async () => {
    token = await server.login(await buildUser(server.store, { role: 'observer', group: null }));
  });

  it('lists documents', async () => {
    const res = await api('/api/documents', { token });
    // Imported without its own date: the day of the import, named as such.
    const date = { value: new Date().toISOString().slice(0, 10), name: 'import' };
    expect(await res.json()).toEqual([{ id: 'gb-999-test-1', symbol: 'GB.999/TEST/1', title: 'Document de test', language: 'fr', date }]);
  });

  it('returns the outline with sections in document order and the reader’s abilities', async () => {
    const res = await api('/api/documents/gb-999-test-1', { token });
    const body = (await res.json()) as { sections: { id: string; paragraphs: number[] }[]; abilities: unknown };
    expect(body.sections.map((s) => s.id)).toEqual(['part-1', 'decision']);
    expect(body.sections[0]).toEqual({ id: 'part-1', kind: 'part', label: 'I', title: 'Introduction', parentId: null, paragraphs: [1, 2] });
    expect(body.abilities).toEqual({
      read: true,
      edit: false,
      editDirectly: false,
      suggest: false,
      comment: false,
      decide: false,
      amend: false,
      import: false,
      importOnBehalf: false,
      consolidate: false,
      present: false,
    });
  });

  it('returns a section’s live content, plain text and footnotes', async () => {
    const res = await api('/api/documents/gb-999-test-1/sections/part-1', { token });
    const body = (await res.json()) as { content: { type: string }; text: string; footnotes: unknown[]; label: string };
    expect(body.label).toBe('I');
    expect(body.content.type).toBe('doc');
    expect(body.text).toContain('Deuxième paragraphe avec une note.');
    expect(body.footnotes).toEqual([{ marker: '1', text: 'Voir aussi GB.999/INS/1.', paragraph: 2 }]);
  });

  it('answers unknown ids with 404 and malformed ids with 400', async () => {
    expect((await api('/api/documents/gb-000-none', { token })).status).toBe(404);
    expect((await api('/api/documents/gb-999-test-1/sections/output-9-9', { token })).status).toBe(404);
    const bad = await api('/api/documents/NOT%20A%20SLUG', { token });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/documentId/);
    expect((await api('/api/nothing-here', { token })).status).toBe(404);
    expect((await api('/api/documents', { method: 'DELETE', token })).status).toBe(405);
  });
});

describe('demo mode off', () => {
  it('refuses demo accounts', async () => {
    await buildUser(server.store, { username: 'office-demo', role: 'secretariat', group: null, demo: true });
    const res = await postJson('/api/session', { username: 'office-demo', password: TEST_PASSWORD });
    expect(res.status).toBe(401);
  });
});

describe('password guessing', () => {
  it('is refused with 429 after five failures for one username from one address', async () => {
    await buildUser(server.store, { username: 'target' });
    // A still clock: the back-off (1 s after the fifth failure) must not run out while scrypt works.
    const clock = server.services.clock;
    const now = clock.now();
    server.services.clock = { now: () => now };
    try {
      for (let i = 0; i < 5; i++) {
        expect((await postJson('/api/session', { username: 'target', password: `guess-${i}` })).status).toBe(401);
      }
      const blocked = await postJson('/api/session', { username: 'target', password: TEST_PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('1');
      expect(((await blocked.json()) as { message: string }).message).toMatch(/Try again in \d+ s/);
    } finally {
      server.services.clock = clock;
    }
  });
});
