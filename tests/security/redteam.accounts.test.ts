import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/closeCodes.js';
import { attrsOf, harness, textOf } from '../support/collabHarness.js';
import { type Cast, buildCast, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team on the Office's Participants screen: an account whose role, group or State the Office
 * changes must not keep, on a socket it opened before, what it was: a delegate made an observer tabling
 * amendments, a delegate moved out of a group reading that group's private threads.
 */
const DOC = 'gb-999-redteam-accounts-1';

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];
const { join, attempt } = harness(() => server, cleanups);

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

afterAll(async () => {
  await server.stop();
});

const accountPatch = (id: string, change: Record<string, unknown>) =>
  call(server, 'PATCH', `/api/admin/users/${id}`, cast.office, change);

describe('red team: a change of who an account is ends what it holds open', () => {
  it('a delegate the Office makes an observer cannot go on tabling amendments through an open collaboration socket', async () => {
    const worker = await buildUser(server.store, { name: 'Wanda Worker', group: 'workers' });
    const liar = await join(worker, `${DOC}/part-1`);

    const changed = await accountPatch(worker.id, { role: 'observer', group: null });
    expect(changed.status).toBe(200);

    const id = 'demotedworker1';
    const verdict = await attempt(liar, (doc) => {
      const text = textOf(doc, 1);
      text.insert(text.length, ' mots après la rétrogradation', { suggestionInsert: attrsOf(worker, id) });
    });
    expect(verdict).toBe('refused');
    // Its socket was renewed the moment the role changed: it comes back, if at all, as an observer's.
    expect((await liar.closed).code).toBe(CloseCode.PowersChanged);
    expect(await server.store.amendments.get(id)).toBeNull();
    // The account is now what the Office made it.
    const token = await server.login(worker);
    const me = await call<{ user: { role: string } }>(server, 'GET', '/api/me', { user: worker, token });
    expect(me.body.user.role).toBe('observer');
  });

  it('a delegate moved to another group no longer receives the former group’s private threads on a socket.io connection opened before', async () => {
    const mover = await buildUser(server.store, { name: 'Moira Mover', group: 'employers' });
    const moverToken = await server.login(mover);
    const live = await joinedSocket(server, { user: mover, token: moverToken }, DOC);
    cleanups.push(() => live.socket.disconnect());
    const employers = await joinedSocket(server, cast.employers, DOC);
    cleanups.push(() => employers.socket.disconnect());

    expect((await accountPatch(mover.id, { group: 'workers' })).status).toBe(200);

    const secret = 'zzemployersonlyaftermove';
    const thread = await call(server, 'POST', `/api/documents/${DOC}/threads`, cast.employers, {
      sectionId: 'part-1',
      paragraph: 2,
      visibility: 'group',
      body: secret,
    });
    expect(thread.status).toBe(201);
    // The Employers' room got it: a socket still in that room got the same emission.
    await eventually(() => expect(JSON.stringify(employers.events)).toContain(secret));
    expect(JSON.stringify(live.events)).not.toContain(secret);
    // The session goes on as a Workers delegate's: the Employers' note is not among what it reads.
    const me = await call<{ user: { group: string } }>(server, 'GET', '/api/me', { user: mover, token: moverToken });
    expect(me.body.user.group).toBe('workers');
    const threads = await call(server, 'GET', `/api/documents/${DOC}/threads`, { user: mover, token: moverToken });
    expect(threads.status).toBe(200);
    expect(JSON.stringify(threads.body)).not.toContain(secret);
  });

  it('a new password also ends the sign-in links sent before it', async () => {
    const person = await buildUser(server.store, { name: 'Lina Link', group: 'workers' });
    const link = await call<{ path: string }>(
      server,
      'POST',
      `/api/admin/users/${person.id}/sign-in-link`,
      cast.office,
    );
    expect(link.status).toBe(200);
    const token = link.body.path.split('#')[1] ?? '';
    expect((await call(server, 'POST', `/api/admin/users/${person.id}/password`, cast.office)).status).toBe(200);
    const used = await call<{ error: string }>(server, 'POST', '/api/session/link', null, { token });
    expect(used.status).toBe(401);
    expect(used.body.error).toBe('invalid_link');
  });

  it('changing only a name ends nothing', async () => {
    const person = await buildUser(server.store, { name: 'Nadia Name', group: 'workers' });
    const token = await server.login(person);
    expect((await accountPatch(person.id, { name: 'Nadia Renamed' })).status).toBe(200);
    await eventually(async () => {
      const me = await call<{ user: { name: string } }>(server, 'GET', '/api/me', { user: person, token });
      expect(me.status).toBe(200);
      expect(me.body.user.name).toBe('Nadia Renamed');
    });
  });
});
