import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/closeCodes.js';
import { ClientEvent, ServerEvent } from '../../shared/events.js';
import type { UserRecord } from '../../server/storage/Store.js';
import {
  type Cast,
  type Person,
  buildCast,
  call,
  consultationDocument,
  joinedSocket,
} from '../support/consultation.js';
import { type Cluster, announceClusterSkip, clusterAvailable, startCluster } from '../support/clusterApps.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, startTestServer } from '../support/testServer.js';

/**
 * Live connections are admitted once, with the role, group, State and regional groups their user had
 * then. When the Office changes any of them, or deactivates the account, the old powers must not live on
 * in open sockets: the collaboration socket closes with a code the stock client reconnects after (4205)
 * and comes back admitted as the user is now; socket.io drops the transport, so the client reconnects
 * and rejoins its rooms with its new circles; a deactivated account's sockets end for good (4440).
 */
const DOC = 'gb-999-sec-powers-1';
const ROOM = `${DOC}/part-1`;

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC), config: { sessionCheckMs: 3_600_000 } });
  cast = await buildCast(server);
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

async function person(overrides: Parameters<typeof buildUser>[1]): Promise<Person> {
  const user = await buildUser(server.store, overrides);
  return { user, token: await server.login(user) };
}

/** A collaboration socket and a socket.io client that rejoins the document on every connect, as the app does. */
async function liveConnections(who: Person) {
  const collab = connectProvider(server.url, ROOM, who.token);
  cleanups.push(() => collab.provider.destroy());
  await waitForSync(collab.provider);
  const { socket, events } = await joinedSocket(server, who, DOC);
  cleanups.push(() => socket.disconnect());
  socket.on('connect', () => socket.emit(ClientEvent.JoinDocument, { documentId: DOC }));
  return { collab, socket, events };
}

/** The user's collaboration connection as the server holds it: who it was admitted as. */
function admittedAs(userId: string): UserRecord | undefined {
  const room = server.services.collab.getRoom(DOC, 'part-1');
  return [...(room?.connections ?? [])].find((c) => c.userId === userId)?.user;
}

function reconnected(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io did not drop and reconnect')), 15_000);
    socket.once('disconnect', (reason) => {
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  });
}

/** Resolves once the socket has seen itself in the document's presence list again. */
function rejoined(socket: Socket, userId: string): Promise<void> {
  return new Promise((resolve) => {
    const seen = (p: { documentId: string; people: { id: string }[] }) => {
      if (p.documentId !== DOC || !p.people.some((x) => x.id === userId)) return;
      socket.off(ServerEvent.Presence, seen);
      resolve();
    };
    socket.on(ServerEvent.Presence, seen);
  });
}

const groupNote = (who: Person, body: string) =>
  call<{ id: string }>(server, 'POST', `/api/documents/${DOC}/threads`, who, {
    sectionId: 'part-1',
    paragraph: 1,
    visibility: 'group',
    body,
  });

const threadIdsOf = (events: { name: string; payload: unknown }[]) =>
  events
    .filter((e) => e.name === ServerEvent.ThreadChanged)
    .map((e) => (e.payload as { thread: { id: string } }).thread.id);

describe('when the Office changes what a connected user may do', () => {
  it('a group change: both sockets come back with the new group, and the old group’s notes stop reaching them', async () => {
    const mover = await person({ group: 'workers', name: 'Moving Delegate' });
    const { collab, socket, events } = await liveConnections(mover);
    expect(admittedAs(mover.user.id)?.group).toBe('workers');

    const closed = nextClose(collab.provider, 10_000);
    const back = reconnected(socket);
    const again = rejoined(socket, mover.user.id);
    const changed = await call(server, 'PATCH', `/api/admin/users/${mover.user.id}`, cast.office, {
      group: 'employers',
    });
    expect(changed.status).toBe(200);

    const close = await closed;
    expect(close.code).toBe(CloseCode.PowersChanged);
    expect(close.reason).toMatch(/role or group changed/);
    // The stock client reconnects by itself and is admitted as an Employers' delegate.
    await waitForSync(collab.provider, 10_000);
    expect(admittedAs(mover.user.id)?.group).toBe('employers');

    expect(await back).toBe('transport close');
    await again;
    events.length = 0;
    // Sent in this order to the same socket: had it kept the Workers' room, the first would arrive first.
    const workersNote = await groupNote(cast.workers, 'Entre travailleurs.');
    const employersNote = await groupNote(cast.employers, 'Entre employeurs.');
    expect(workersNote.status).toBe(201);
    expect(employersNote.status).toBe(201);
    await expect.poll(() => threadIdsOf(events), { timeout: 10_000 }).toContain(employersNote.body.id);
    expect(threadIdsOf(events)).not.toContain(workersNote.body.id);
  });

  it('a role change: the delegate who became an observer is admitted again as one', async () => {
    const demoted = await person({ group: 'employers', name: 'Demoted Delegate' });
    const { collab } = await liveConnections(demoted);
    const closed = nextClose(collab.provider, 10_000);
    const changed = await call(server, 'PATCH', `/api/admin/users/${demoted.user.id}`, cast.office, {
      role: 'observer',
      group: null,
    });
    expect(changed.status).toBe(200);
    expect((await closed).code).toBe(CloseCode.PowersChanged);
    await waitForSync(collab.provider, 10_000);
    expect(admittedAs(demoted.user.id)).toMatchObject({ role: 'observer', group: null });
  });

  it('a change of name only leaves the sockets open', async () => {
    const renamed = await person({ group: 'employers', name: 'Old Name' });
    await liveConnections(renamed);
    const room = server.services.collab.getRoom(DOC, 'part-1');
    const original = [...(room?.connections ?? [])].find((c) => c.userId === renamed.user.id);
    expect(original).toBeDefined();
    // The server decides before it answers: once the answer is here, a close would have happened.
    const changed = await call(server, 'PATCH', `/api/admin/users/${renamed.user.id}`, cast.office, {
      name: 'New Name',
    });
    expect(changed.status).toBe(200);
    expect(original?.isClosed).toBe(false);
    await call(server, 'PATCH', `/api/admin/users/${renamed.user.id}`, cast.office, { group: 'workers' });
    expect(original?.isClosed).toBe(true);
  });

  it('deactivation: the collaboration socket ends with 4440 and does not come back', async () => {
    const leaving = await person({ group: 'workers', name: 'Leaving Delegate' });
    const { collab } = await liveConnections(leaving);
    const terminal = new Promise<{ code: number }>((resolve) => collab.provider.once('closed', resolve));
    const off = await call(server, 'PATCH', `/api/admin/users/${leaving.user.id}`, cast.office, { active: false });
    expect(off.status).toBe(200);
    expect((await terminal).code).toBe(CloseCode.SessionEnded);
    expect(collab.provider.shouldConnect).toBe(false);
  });

  it('regional groups changed with `npm run groups` from another process: the next session check renews the sockets', {
    timeout: 90_000,
  }, async () => {
    await server.store.saveRegionalGroup({
      code: 'TESTREG',
      nameEn: 'Test region',
      nameFr: 'Région d’essai',
      nameEs: 'Región de prueba',
      shortName: 'TR',
      members: ['KE'],
    });
    const kenya = await person({ group: 'government', memberState: 'KE', name: 'Kenyan Delegate' });
    const { collab } = await liveConnections(kenya);
    expect(admittedAs(kenya.user.id)?.regions).toContain('TESTREG');

    const root = path.resolve(import.meta.dirname, '../..');
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'server/cli/groups.ts'), 'members', 'TESTREG', '--members', 'NG'],
      { cwd: root, env: { ...process.env, DATA_DIR: server.dataDir } },
    );
    const closed = nextClose(collab.provider, 10_000);
    await server.checkSessions();
    expect((await closed).code).toBe(CloseCode.PowersChanged);
    await waitForSync(collab.provider, 10_000);
    expect(admittedAs(kenya.user.id)?.regions).not.toContain('TESTREG');
  });
});

announceClusterSkip('powers.test.ts');

describe.skipIf(!clusterAvailable())('across processes (PostgreSQL + Redis)', () => {
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('a group change made on one app closes the user’s sockets on another at once, not at its next check', {
    timeout: 60_000,
  }, async () => {
    const doc = 'gb-999-sec-powers-2';
    cluster = await startCluster({
      count: 2,
      document: consultationDocument(doc),
      config: { sessionCheckMs: 3_600_000 },
    });
    const [a, b] = cluster.apps;
    if (!a || !b) throw new Error('two apps expected');
    const clusterCast = await buildCast(a);
    const mover = await buildUser(a.store, { group: 'workers', name: 'Moving Delegate' });
    const who: Person = { user: mover, token: await a.login(mover) };
    const collab = connectProvider(b.url, `${doc}/part-1`, who.token);
    cleanups.push(() => collab.provider.destroy());
    await waitForSync(collab.provider, 10_000);
    const { socket } = await joinedSocket(b, who, doc);
    cleanups.push(() => socket.disconnect());

    const closed = nextClose(collab.provider, 10_000);
    const back = reconnected(socket);
    const changed = await call(a, 'PATCH', `/api/admin/users/${mover.id}`, clusterCast.office, { group: 'employers' });
    expect(changed.status).toBe(200);
    expect((await closed).code).toBe(CloseCode.PowersChanged);
    expect(await back).toBe('transport close');
    await waitForSync(collab.provider, 10_000);
    const room = b.services.collab.getRoom(doc, 'part-1');
    expect([...(room?.connections ?? [])].find((c) => c.userId === mover.id)?.user.group).toBe('employers');
  });
});
