import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, consultationDocument, joinedSocket, type Person } from '../support/consultation.js';
import { AFRICA } from '../support/regions.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team on regional groups' circles: a live socket.io connection joins the rooms of its State's
 * regional groups when it joins a document. When `npm run groups` takes a State out of a group, that
 * State's delegates must stop receiving the group's region-only threads — not only over HTTP, which
 * reads the membership at each request, but on the sockets they already hold.
 */
const DOC = 'gb-999-redteam-regions-1';
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

let server: TestServer;
const cast = {} as Record<'southAfrica' | 'nigeria', Person>;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC), config: { sessionCheckMs: 200 } });
  await server.store.saveRegionalGroup(AFRICA);
  for (const [key, memberState] of [
    ['southAfrica', 'ZA'],
    ['nigeria', 'NG'],
  ] as const) {
    const user = await buildUser(server.store, { name: `Delegate ${memberState}`, group: 'government', memberState });
    cast[key] = { user, token: await server.login(user) };
  }
});

afterAll(async () => {
  await server.stop();
});

describe('red team: leaving a regional group', () => {
  it('a sign-in by link answers the regional groups the delegate speaks for, as a password sign-in does', async () => {
    const office = await buildUser(server.store, { name: 'Office', role: 'secretariat', group: null });
    const officePerson = { user: office, token: await server.login(office) };
    const link = await call<{ path: string }>(
      server,
      'POST',
      `/api/admin/users/${cast.southAfrica.user.id}/sign-in-link`,
      officePerson,
    );
    const token = link.body.path.split('#')[1] ?? '';
    const signedIn = await call<{ regions?: { code: string }[] }>(server, 'POST', '/api/session/link', null, { token });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.regions?.map((r) => r.code)).toEqual(['AFRICA']);
  });

  it('a State taken out of a group by `npm run groups` no longer receives its region-only threads on an open socket', async () => {
    const nigeria = await joinedSocket(server, cast.nigeria, DOC);
    const southAfrica = await joinedSocket(server, cast.southAfrica, DOC);
    try {
      const cli = await run(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'server/cli/groups.ts'), 'members', 'AFRICA', '--members', 'ZA'],
        { cwd: ROOT, env: { ...process.env, DATA_DIR: server.dataDir, CONCORD_DEMO: '0' } },
      );
      expect(cli.stdout).toMatch(/AFRICA now has 1 member States/);

      // The running server renews Nigeria's sockets at its next session check (200 ms here): they come
      // back with Nigeria's circles as they now are.
      await eventually(() => expect(nigeria.socket.connected).toBe(false));
      const secret = 'zzafricaonlyafternigerialeft';
      const thread = await call(server, 'POST', `/api/documents/${DOC}/threads`, cast.southAfrica, {
        sectionId: 'part-1',
        paragraph: 3,
        visibility: 'region',
        region: 'AFRICA',
        body: secret,
      });
      expect(thread.status).toBe(201);
      await eventually(() => expect(JSON.stringify(southAfrica.events)).toContain(secret));
      expect(JSON.stringify(nigeria.events)).not.toContain(secret);
      // Both keep their sessions: only what Nigeria's sockets hold had to change.
      expect((await call(server, 'GET', '/api/me', cast.southAfrica)).status).toBe(200);
      const me = await call<{ user: { regions: { code: string }[] | string[] } }>(
        server,
        'GET',
        '/api/me',
        cast.nigeria,
      );
      expect(me.status).toBe(200);
      expect(JSON.stringify(me.body.user.regions ?? [])).not.toContain('AFRICA');
    } finally {
      nigeria.socket.disconnect();
      southAfrica.socket.disconnect();
    }
  }, 60_000);
});
