import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../shared/closeCodes.js';
import { COLLAB_PATH, SESSION_COOKIE } from '../../shared/limits.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { Router } from '../../server/http/router.js';
import { registerRoutes } from '../../server/routes/index.js';
import { type Cast, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';
import { rawRequest } from './rawHttp.js';

/**
 * An outside web page, tried the way a browser would send it: the session cookie attached on its own,
 * with the page's Origin. Every refusal is checked together with what it protects (no vote, no round).
 */
const DOC = 'gb-999-sec-http-1';
const ALLOWED = 'https://concord.example.org';

let server: TestServer;
let cast: Cast;
let amendment: AmendmentView;
let clientDir: string;
let own: string;
let host: string;

beforeAll(async () => {
  clientDir = mkdtempSync(path.join(tmpdir(), 'concord-client-'));
  mkdirSync(path.join(clientDir, 'assets'));
  writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Concord</title>');
  writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'export {};');
  server = await startTestServer({
    document: consultationDocument(DOC),
    config: { clientDir, allowedOrigins: [ALLOWED] },
  });
  cast = await buildCast(server);
  own = server.url;
  host = new URL(server.url).host;
  const created = await call<AmendmentView>(server, 'POST', `/api/documents/${DOC}/amendments`, cast.workers, {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'dialogue social',
    text: 'dialogue tripartite',
  });
  expect(created.status, created.text).toBe(201);
  amendment = created.body;
});

afterAll(async () => {
  await server.stop();
  rmSync(clientDir, { recursive: true, force: true });
});

const cookieOf = (token: string) => `${SESSION_COOKIE}=${token}`;
const supportPath = () => `/api/amendments/${amendment.id}/support`;

async function votes(): Promise<unknown[]> {
  return (await server.store.amendments.get(amendment.id))?.votes ?? [];
}

describe('Origin of cookie-authenticated requests', () => {
  const foreign = [
    'http://127.0.0.1:1', // another port of the same host
    'http://evil.example.org',
    'null', // a sandboxed frame or a data: page
  ];

  it.each(foreign)('refuses a state change from %s with 403 forbidden_origin, and records nothing', async (origin) => {
    const res = await rawRequest(server.url, 'POST', supportPath(), {
      headers: { cookie: cookieOf(cast.employers.token), origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('forbidden_origin');
    expect(res.json.message).toMatch(/outside Concord/);
    expect(await votes()).toEqual([]);
  });

  it('judges by Referer when there is no Origin', async () => {
    const res = await rawRequest(server.url, 'POST', supportPath(), {
      headers: {
        cookie: cookieOf(cast.employers.token),
        referer: 'http://sibling.example.org/page',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await votes()).toEqual([]);
  });

  it('refuses a sibling subdomain reaching the server under its own name', async () => {
    const res = await rawRequest(server.url, 'POST', supportPath(), {
      headers: {
        host: 'concord.example.net',
        cookie: cookieOf(cast.employers.token),
        origin: 'http://evil.example.net',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await votes()).toEqual([]);
  });

  it('refuses sign-in from a foreign page (login CSRF)', async () => {
    const res = await rawRequest(server.url, 'POST', '/api/session', {
      headers: { origin: 'http://evil.example.org', 'content-type': 'application/json' },
      body: JSON.stringify({ username: cast.employers.user.username, password: 'x' }),
    });
    expect(res.status).toBe(403);
  });

  it('takes the same origin, a configured one, and bearer-token scripts from anywhere', async () => {
    const same = await rawRequest(server.url, 'POST', supportPath(), {
      headers: { cookie: cookieOf(cast.employers.token), origin: own, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(same.status, same.text).toBe(200);
    const configured = await rawRequest(server.url, 'POST', `/api/amendments/${amendment.id}/oppose`, {
      headers: { cookie: cookieOf(cast.france.token), origin: ALLOWED, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(configured.status, configured.text).toBe(200);
    const script = await rawRequest(server.url, 'POST', `/api/amendments/${amendment.id}/support`, {
      headers: {
        authorization: `Bearer ${cast.southAfrica.token}`,
        origin: 'http://evil.example.org',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(script.status, script.text).toBe(200);
    expect((await votes()).length).toBe(3);
  });
});

describe('CSRF: only JSON changes state', () => {
  const formTypes = [
    'text/plain;charset=application/json',
    'multipart/form-data; boundary=application/json',
    'application/x-www-form-urlencoded',
    'application/jsonx',
    'text/plain',
  ];

  it.each(formTypes)('answers 415 to %s on a body-less action, and records nothing', async (type) => {
    const before = await votes();
    const res = await rawRequest(server.url, 'POST', `/api/amendments/${amendment.id}/oppose`, {
      headers: { cookie: cookieOf(cast.employers.token), origin: own, 'content-type': type },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(res.json.error).toBe('unsupported_media_type');
    expect(await votes()).toEqual(before);
  });

  it('answers 415 to a POST without any body or content type (a no-cors fetch)', async () => {
    const before = await votes();
    const res = await rawRequest(server.url, 'POST', `/api/amendments/${amendment.id}/oppose`, {
      headers: { cookie: cookieOf(cast.employers.token) },
    });
    expect(res.status).toBe(415);
    expect(await votes()).toEqual(before);
  });

  it('answers 400 to a JSON action without its {} body', async () => {
    const before = await votes();
    const res = await rawRequest(server.url, 'POST', `/api/amendments/${amendment.id}/oppose`, {
      headers: { cookie: cookieOf(cast.employers.token), origin: own, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/at least \{\}/);
    expect(await votes()).toEqual(before);
  });

  it('takes application/json with parameters', async () => {
    const res = await rawRequest(server.url, 'POST', `/api/amendments/${amendment.id}/rationale`, {
      headers: {
        cookie: cookieOf(cast.workers.token),
        origin: own,
        'content-type': 'Application/JSON; charset=utf-8',
      },
      body: JSON.stringify({ rationale: 'Plus précis.' }),
    });
    expect(res.status, res.text).toBe(200);
  });

  it('takes multipart/form-data on the import route only, and there only from our own origin', async () => {
    const boundary = 'x-boundary';
    const form = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\nContent-Type: application/octet-stream\r\n\r\nnot a zip\r\n--${boundary}--\r\n`;
    const type = `multipart/form-data; boundary=${boundary}`;
    const foreign = await rawRequest(server.url, 'POST', `/api/documents/${DOC}/imports`, {
      headers: { cookie: cookieOf(cast.france.token), origin: 'http://evil.example.org', 'content-type': type },
      body: form,
    });
    expect(foreign.status).toBe(403);
    const ours = await rawRequest(server.url, 'POST', `/api/documents/${DOC}/imports`, {
      headers: { cookie: cookieOf(cast.france.token), origin: own, 'content-type': type },
      body: form,
    });
    expect(ours.status).toBe(400); // read, and refused as not a Word file
    expect(ours.json.message).toMatch(/Word/);
    const elsewhere = await rawRequest(server.url, 'POST', `/api/documents/${DOC}/threads`, {
      headers: { cookie: cookieOf(cast.france.token), origin: own, 'content-type': type },
      body: form,
    });
    expect(elsewhere.status).toBe(415);
    expect((await server.store.threads.listByDocument(DOC)).length).toBe(0);
  });
});

describe('Origin of the websockets', () => {
  function collabClose(headers: Record<string, string>, query = ''): Promise<{ code: number; reason: string; opened: boolean }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${COLLAB_PATH}/${DOC}/part-1${query}`, { headers });
      let opened = false;
      ws.on('message', () => {
        opened = true;
        ws.close();
      });
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), opened }));
      ws.on('error', reject);
    });
  }

  it('closes /collab with 4403 and a sentence when a foreign page carries the cookie', async () => {
    const refused = await collabClose({ cookie: cookieOf(cast.workers.token), origin: 'http://127.0.0.1:1' });
    expect(refused.code).toBe(CloseCode.Forbidden);
    expect(refused.reason).toMatch(/outside Concord/);
    expect(refused.opened).toBe(false);
  });

  it('serves /collab to our own page and to token clients from anywhere', async () => {
    const ownPage = await collabClose({ cookie: cookieOf(cast.workers.token), origin: own });
    expect(ownPage.opened).toBe(true);
    const script = await collabClose({ origin: 'http://evil.example.org' }, `?token=${cast.workers.token}`);
    expect(script.opened).toBe(true);
  });

  function socketConnect(headers: Record<string, string>, auth?: { token: string }): Promise<string> {
    return new Promise((resolve) => {
      const socket = connectSocket(server.url, {
        path: '/socket.io',
        transports: ['websocket'],
        extraHeaders: headers,
        auth,
        reconnection: false,
      });
      socket.once('connect', () => {
        socket.disconnect();
        resolve('connected');
      });
      socket.once('connect_error', (err) => {
        socket.disconnect();
        resolve(err.message);
      });
    });
  }

  it('refuses socket.io from a foreign page carrying the cookie, not from our own page or a token client', async () => {
    expect(await socketConnect({ cookie: cookieOf(cast.workers.token), origin: 'http://evil.example.org' })).toBe(
      'forbidden_origin',
    );
    expect(await socketConnect({ cookie: cookieOf(cast.workers.token), origin: own })).toBe('connected');
    expect(await socketConnect({ origin: 'http://evil.example.org' }, { token: cast.workers.token })).toBe('connected');
  });
});

describe('security headers', () => {
  function expectCommon(headers: Record<string, string | string[] | undefined>): void {
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`ws://${host}`);
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  }

  it('are on the page, on assets, on API answers, on errors and on exports', async () => {
    const auth = { authorization: `Bearer ${cast.office.token}` };
    for (const [p, status] of [
      ['/', 200],
      ['/d/some/deep/link', 200],
      ['/assets/app.js', 200],
      ['/api/me', 200],
      ['/api/nothing', 404],
      [`/api/documents/${DOC}/compilation.html`, 200],
      [`/api/documents/${DOC}/export.docx`, 200],
      [`/api/documents/${DOC}/audit.csv`, 200],
    ] as const) {
      const res = await rawRequest(server.url, 'GET', p, { headers: auth });
      expect(res.status, p).toBe(status);
      expectCommon(res.headers);
    }
  });

  it('downloads every export as an attachment except the print page', async () => {
    const auth = { authorization: `Bearer ${cast.office.token}` };
    for (const p of ['export.docx', 'compilation.docx', 'akn.xml', 'audit.csv']) {
      const res = await rawRequest(server.url, 'GET', `/api/documents/${DOC}/${p}`, { headers: auth });
      expect(String(res.headers['content-disposition']), p).toMatch(/^attachment;/);
    }
    const print = await rawRequest(server.url, 'GET', `/api/documents/${DOC}/compilation.html`, { headers: auth });
    expect(String(print.headers['content-disposition'])).toMatch(/^inline;/);
    expect(print.text).not.toMatch(/<script/i);
  });
});

describe('bad input never answers 500', () => {
  it('answers malformed percent-encoding with 400 or 404 and a sentence', async () => {
    for (const p of ['/assets/%E0%A4%A.js', '/%E0%A4%A', '/api/documents/%E0%A4%A', `/api/amendments/%E0%A4%A/support`]) {
      const res = await rawRequest(server.url, 'GET', p);
      expect([400, 404], `${p}: ${res.status}`).toContain(res.status);
      expect(res.json.message, p).toBeTruthy();
    }
  });

  it('refuses absurd round deadlines with 400 before saving anything', async () => {
    for (const deadline of [8.64e15 + 1, 8.64e15, Date.now() + 11 * 365 * 86400_000, '9999-12-31T00:00:00Z', 1]) {
      const res = await call<{ message: string }>(server, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
        amendmentDeadline: deadline,
        subAmendmentDeadline: deadline,
      });
      expect(res.status, `${deadline}: ${res.text}`).toBe(400);
      expect(res.body.message).toBeTruthy();
    }
    expect(await server.store.rounds.list(DOC)).toEqual([]);
  });

  it('answers every route with garbage ids and bodies with 4xx and a sentence', async () => {
    const router = new Router();
    registerRoutes(router, server.services);
    const ids = ['%E0%A4%A', 'nope', '00000000-0000-0000-0000-000000000000', 'a'.repeat(300), 'zzzzzzzzzz'];
    const bodies = ['{}', '[]', 'null', '"x"', '{"sectionId":5,"paragraph":"x","op":"boom","ids":{}}', '{oops'];
    const failures: string[] = [];
    for (const route of router.list()) {
      if (route.method === 'DELETE' && route.parts.join('/') === 'api/session') continue; // would sign the Office out
      for (const id of ids) {
        const p = `/${route.parts.map((part) => (part.startsWith(':') ? id : part)).join('/')}`;
        for (const body of route.method === 'GET' || route.method === 'DELETE' ? [undefined] : bodies) {
          const res = await rawRequest(server.url, route.method, p, {
            headers: {
              authorization: `Bearer ${cast.office.token}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body,
          });
          const refused = res.status >= 400 && res.status < 500 && Boolean(res.json.message);
          // Routes without an id may well succeed on `{}`; none may fail with a 500.
          const takesId = route.parts.some((part) => part.startsWith(':'));
          if (res.status >= 500 || (takesId && !refused)) failures.push(`${route.method} ${p} ${body}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
