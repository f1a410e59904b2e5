import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, buildCast, consultationDocument } from '../support/consultation.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team on `Idempotency-Key`: the browser sends one with every state change, and the answer is kept
 * 24 hours to be replayed. A password or a sign-in link is shown once and kept only hashed; a key must
 * not keep it in clear beside it. And a key is its user's: another user's same key replays nothing.
 */
const DOC = 'gb-999-redteam-idempotency-1';

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

async function post(token: string, path: string, key: string, body: unknown = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as never };
}

describe('red team: secrets shown once are not kept under an Idempotency-Key', () => {
  it('a new password, a new account’s password and a sign-in link are never stored with the key', async () => {
    const office = cast.office;
    const target = cast.workers.user.id;

    const reset = await post(office.token, `/api/admin/users/${target}/password`, 'rt-secret-password');
    expect(reset.status).toBe(200);
    const password = (reset.body as { password: string }).password;
    const link = await post(office.token, `/api/admin/users/${target}/sign-in-link`, 'rt-secret-link');
    expect(link.status).toBe(200);
    const token = (link.body as { path: string }).path.split('#')[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    const created = await post(office.token, '/api/admin/users', 'rt-secret-account', {
      username: 'rt-new-worker',
      name: 'New Worker',
      role: 'delegate',
      group: 'workers',
      memberState: null,
    });
    expect(created.status).toBe(201);
    const firstPassword = (created.body as { password: string }).password;

    for (const key of ['rt-secret-password', 'rt-secret-link', 'rt-secret-account']) {
      const stored = await server.store.idempotency.find(office.user.id, key);
      const text = JSON.stringify(stored);
      expect(text).not.toContain(password);
      expect(text).not.toContain(token);
      expect(text).not.toContain(firstPassword);
    }
    // A retry is a new request: the link still works once, and a second reset makes another password.
    const signedIn = await fetch(`${server.url}/api/session/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(signedIn.status).toBe(200);
    const again = await post(office.token, `/api/admin/users/${target}/password`, 'rt-secret-password');
    expect(again.status).toBe(200);
    expect(again.replayed).toBeNull();
    expect((again.body as { password: string }).password).not.toBe(password);
  });

  it('another user’s same key replays nothing of the first user’s answer', async () => {
    const key = 'rt-shared-key';
    const first = await post(cast.france.token, `/api/documents/${DOC}/amendments`, key, {
      sectionId: 'part-1',
      paragraph: 6,
      op: 'replace',
      find: 'période biennale',
      text: 'période de deux ans',
    });
    expect(first.status).toBe(201);
    const other = await post(cast.employers.token, `/api/documents/${DOC}/amendments`, key, {
      sectionId: 'part-1',
      paragraph: 6,
      op: 'replace',
      find: 'période biennale',
      text: 'période de deux ans',
    });
    expect(other.replayed).toBeNull();
    expect(other.status).toBe(409);
  });
});
