import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientEvent, type PresencePayload, ServerEvent } from '../../shared/events.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

describe('socket.io live events', () => {
  let server: TestServer;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.stop();
  });

  async function socketFor(name: string, options: Parameters<typeof buildUser>[1] = {}) {
    const token = await server.login(await buildUser(server.store, { name, ...options }));
    const socket = connect(server.url, { path: '/socket.io', auth: { token }, transports: ['websocket'] });
    sockets.push(socket);
    const lists: PresencePayload[] = [];
    socket.on(ServerEvent.Presence, (p: PresencePayload) => lists.push(p));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, lists };
  }

  it('refuses a socket without a session', async () => {
    const socket = connect(server.url, { path: '/socket.io', transports: ['websocket'] });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthenticated');
  });

  it('lists who is in a document, with group, State and section', async () => {
    const fr = await socketFor('Julien Moreau', { group: 'government', memberState: 'France' });
    const obs = await socketFor('Ana Sousa', { role: 'observer', group: null });
    fr.socket.emit(ClientEvent.JoinDocument, { documentId: 'gb-999-test-1' });
    obs.socket.emit(ClientEvent.JoinDocument, { documentId: 'gb-999-test-1' });
    fr.socket.emit(ClientEvent.Focus, { documentId: 'gb-999-test-1', sectionId: 'decision' });
    await eventually(() => {
      const last = obs.lists.at(-1);
      expect(last?.people.map((p) => [p.name, p.group, p.memberState, p.sectionId])).toEqual([
        ['Ana Sousa', null, null, null],
        ['Julien Moreau', 'government', 'France', 'decision'],
      ]);
    });
    fr.socket.disconnect();
    await eventually(() => expect(obs.lists.at(-1)?.people.map((p) => p.name)).toEqual(['Ana Sousa']));
  });

  it('answers a malformed event with an error, not a crash', async () => {
    const a = await socketFor('A');
    const error = new Promise<{ message: string }>((resolve) => a.socket.once(ServerEvent.Error, resolve));
    a.socket.emit(ClientEvent.JoinDocument, { nope: true });
    expect((await error).message).toMatch(/documentId/);
  });
});
