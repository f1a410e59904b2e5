import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent } from '../../shared/events.js';
import {
  buildCast,
  type Cast,
  call,
  consultationDocument,
  joinedSocket,
  type Person,
} from '../support/consultation.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/** Red team on socket.io: events a delegate or observer must not be able to drive, or to hear. */
const DOC = 'gb-999-redteam-rt-1';
let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

/** A public change the Office makes: when a socket has its event, it has every earlier one too. */
async function barrier(sockets: { events: { name: string; payload: unknown }[] }[], who: Person) {
  const marker = `zzbarrier${Math.random().toString(36).slice(2)}`;
  const res = await call(server, 'POST', `/api/documents/${DOC}/threads`, who, {
    sectionId: 'part-1',
    paragraph: 1,
    visibility: 'all',
    body: marker,
  });
  expect(res.status).toBe(201);
  const deadline = Date.now() + 5000;
  while (!sockets.every((s) => JSON.stringify(s.events).includes(marker)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(sockets.every((s) => JSON.stringify(s.events).includes(marker))).toBe(true);
}

describe('red team: socket.io', () => {
  it('a delegate or an observer cannot present (take over everyone’s following screen)', async () => {
    const victim = await joinedSocket(server, cast.france, DOC);
    const spies = [await joinedSocket(server, cast.workers, DOC), await joinedSocket(server, cast.observer, DOC)];
    try {
      for (const s of spies) {
        s.socket.emit(ClientEvent.PresenterStart, { documentId: DOC });
        s.socket.emit(ClientEvent.PresenterPosition, { documentId: DOC, sectionId: 'decision', paragraph: 9 });
      }
      await barrier([victim, ...spies], cast.office);
      const presented = victim.events.filter(
        (e) =>
          (e.name === 'presenter:state' && (e.payload as { presenter: unknown }).presenter) ||
          e.name === 'presenter:position',
      );
      expect(presented).toEqual([]);
    } finally {
      for (const s of [victim, ...spies]) s.socket.disconnect();
    }
  });

  it('joining a document that does not exist, or focusing a section of another document, leaks nothing and breaks nothing', async () => {
    const spy = await joinedSocket(server, cast.workers, DOC);
    const other = await joinedSocket(server, cast.france, DOC);
    try {
      spy.socket.emit(ClientEvent.JoinDocument, { documentId: '../../etc/passwd' });
      spy.socket.emit(ClientEvent.JoinDocument, { documentId: { $gt: '' } });
      spy.socket.emit(ClientEvent.Focus, { documentId: DOC, sectionId: 'x'.repeat(100_000) });
      spy.socket.emit(ClientEvent.Focus, { documentId: 'nope', sectionId: 'part-1' });
      await barrier([other], cast.office);
      const focus = other.events
        .filter((e) => e.name === 'presence:list')
        .flatMap((e) => (e.payload as { people: { sectionId: string | null }[] }).people.map((p) => p.sectionId ?? ''));
      for (const s of focus) expect(s.length).toBeLessThan(200);
      // The server still serves the document: a fresh client joins and hears the next change.
      const late = await joinedSocket(server, cast.employers, DOC);
      await barrier([late, other], cast.office);
      late.socket.disconnect();
    } finally {
      spy.socket.disconnect();
      other.socket.disconnect();
    }
  });
});
