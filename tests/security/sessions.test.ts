import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../../server/auth/sessions.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { ServerEvent } from '../../shared/events.js';
import { type Cast, type Person, buildCast, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, startTestServer } from '../support/testServer.js';

/**
 * Live connections authenticate once; these tests end their session afterwards — by expiry, sign-out,
 * a password change or the removal of the account — and check that the collaboration socket closes
 * (4440), socket.io says `session:ended` and disconnects, and that nothing more is accepted from them.
 */
const DOC = 'gb-999-sec-sessions-1';
const ROOM = `${DOC}/part-1`;

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC), config: { sessionCheckMs: 50 } });
  cast = await buildCast(server);
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

/** A session of a fresh delegate that expires `ttlMs` from now. */
async function shortSession(ttlMs: number): Promise<Person> {
  const user = await buildUser(server.store, { group: 'workers', name: 'Short Session' });
  const token = newToken();
  const now = Date.now();
  await server.store.createSession({ tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt: now + ttlMs });
  return { user, token };
}

async function liveConnections(who: Person) {
  const collab = connectProvider(server.url, ROOM, who.token);
  cleanups.push(() => collab.provider.destroy());
  await waitForSync(collab.provider);
  const { socket, events } = await joinedSocket(server, who, DOC);
  cleanups.push(() => socket.disconnect());
  return { collab, socket, events };
}

function ended(socket: Socket, events: { name: string; payload: unknown }[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io was not disconnected')), 10_000);
    socket.once('disconnect', () => {
      clearTimeout(timer);
      resolve(events.find((e) => e.name === ServerEvent.SessionEnded)?.payload);
    });
  });
}

describe('a session that ends while its sockets are open', () => {
  it('expired: the collab socket closes with 4440, socket.io gets session:ended, nothing more is accepted', async () => {
    const bystander = await liveConnections(cast.employers);
    // Long enough to connect both sockets on a busy machine; the check runs every 50 ms after that.
    const short = await shortSession(3000);
    const { collab, socket, events } = await liveConnections(short);
    const closed = nextClose(collab.provider, 10_000);
    const disconnected = ended(socket, events);
    const close = await closed;
    expect(close.code).toBe(CloseCode.SessionEnded);
    expect(close.reason).toMatch(/session has ended/);
    expect(await disconnected).toMatchObject({ error: 'session_ended' });
    // Nothing more from that session: not over HTTP, not on a new socket.
    const created = await call(server, 'POST', `/api/documents/${DOC}/amendments`, short, {
      sectionId: 'part-1',
      paragraph: 4,
      op: 'replace',
      find: 'dialogue social',
      text: 'après expiration',
    });
    expect(created.status).toBe(401);
    expect(await server.store.amendments.list(DOC)).toEqual([]);
    const again = connectProvider(server.url, ROOM, short.token);
    cleanups.push(() => again.provider.destroy());
    expect((await nextClose(again.provider)).code).toBe(CloseCode.Unauthenticated);
    // Barrier: one more full check has run, and the live session next to it is untouched.
    await server.checkSessions();
    expect(bystander.collab.provider.wsconnected).toBe(true);
    expect(bystander.socket.connected).toBe(true);
  });

  it('signed out: socket.io gets session:ended too, not only the collab socket', async () => {
    const user = await buildUser(server.store, { group: 'employers' });
    const who = { user, token: await server.login(user) };
    const { collab, socket, events } = await liveConnections(who);
    const closed = nextClose(collab.provider);
    const disconnected = ended(socket, events);
    expect((await call(server, 'DELETE', '/api/session', who)).status).toBe(200);
    expect((await closed).code).toBe(CloseCode.SessionEnded);
    expect(await disconnected).toMatchObject({ error: 'session_ended', message: 'You signed out.' });
  });

  it('password changed (what `npm run user -- password` does): live sockets end within the check interval', async () => {
    const user = await buildUser(server.store, { group: 'employers' });
    const who = { user, token: await server.login(user) };
    const { collab, socket, events } = await liveConnections(who);
    const closed = nextClose(collab.provider);
    const disconnected = ended(socket, events);
    await server.store.setPasswordHash(user.id, user.passwordHash);
    expect((await closed).code).toBe(CloseCode.SessionEnded);
    expect(await disconnected).toMatchObject({ error: 'session_ended' });
    expect((await call(server, 'GET', '/api/me', who)).status).toBe(401);
  });

  it('account removed with `npm run user -- remove` from another process: live sockets end', { timeout: 90_000 }, async () => {
    const user = await buildUser(server.store, { group: 'employers', username: 'to-remove' });
    const who = { user, token: await server.login(user) };
    const { collab, socket, events } = await liveConnections(who);
    const closed = nextClose(collab.provider, 60_000);
    const disconnected = ended(socket, events);
    const root = path.resolve(import.meta.dirname, '../..');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'server/cli/user.ts'), 'remove', 'to-remove'],
      { cwd: root, env: { ...process.env, DATA_DIR: server.dataDir } },
    );
    expect(stdout).toMatch(/Removed to-remove/);
    expect((await closed).code).toBe(CloseCode.SessionEnded);
    expect(await disconnected).toMatchObject({ error: 'session_ended' });
    expect(await server.store.findUserByUsername('to-remove')).toBeNull();
  });
});
