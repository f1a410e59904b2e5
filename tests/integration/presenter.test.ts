import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, type PresenterState, ServerEvent } from '../../shared/events.js';
import { type Cast, buildCast, consultationDocument, joinedSocket } from '../support/consultation.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-presenter-1';

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

const states = (events: { name: string; payload: unknown }[]) =>
  events.filter((e) => e.name === ServerEvent.PresenterState).map((e) => e.payload as PresenterState);

describe('follow the Office', () => {
  it('the Office presents; followers get its position; late joiners get the state; it stops', async () => {
    const office = await joinedSocket(server, cast.office, DOC);
    const follower = await joinedSocket(server, cast.workers, DOC);
    cleanups.push(
      () => office.socket.disconnect(),
      () => follower.socket.disconnect(),
    );
    expect(states(follower.events).at(-1)).toEqual({ documentId: DOC, presenter: null, position: null, since: null });

    // A delegate may not present.
    follower.socket.emit(ClientEvent.PresenterStart, { documentId: DOC });
    await eventually(() => {
      expect(
        follower.events.some(
          (e) => e.name === ServerEvent.Error && JSON.stringify(e.payload).includes('Only the Office can present'),
        ),
      ).toBe(true);
    });

    office.socket.emit(ClientEvent.PresenterStart, { documentId: DOC });
    await eventually(() => expect(states(follower.events).at(-1)?.presenter?.id).toBe(cast.office.user.id));
    const position = { documentId: DOC, sectionId: 'part-1', paragraph: 4, anchor: null };
    office.socket.emit(ClientEvent.PresenterPosition, position);
    await eventually(() => {
      const moved = follower.events.filter((e) => e.name === ServerEvent.PresenterPosition);
      expect(moved.at(-1)?.payload).toEqual({ ...position, presenterId: cast.office.user.id });
    });
    // Someone else's "position" moves nobody.
    follower.socket.emit(ClientEvent.PresenterPosition, { documentId: DOC, sectionId: 'decision' });
    office.socket.emit(ClientEvent.PresenterPosition, { documentId: DOC, sectionId: 'part-1', paragraph: 5 });
    await eventually(() => {
      const moved = follower.events.filter((e) => e.name === ServerEvent.PresenterPosition);
      expect((moved.at(-1)?.payload as { paragraph?: number } | undefined)?.paragraph).toBe(5);
    });
    expect(
      follower.events.some(
        (e) => e.name === ServerEvent.PresenterPosition && JSON.stringify(e.payload).includes('decision'),
      ),
    ).toBe(false);

    const late = await joinedSocket(server, cast.observer, DOC);
    cleanups.push(() => late.socket.disconnect());
    expect(states(late.events).at(-1)).toMatchObject({
      presenter: { id: cast.office.user.id, role: 'secretariat' },
      position: { sectionId: 'part-1', paragraph: 5 },
    });

    office.socket.emit(ClientEvent.PresenterStop, { documentId: DOC });
    await eventually(() => expect(states(late.events).at(-1)?.presenter).toBeNull());
  });

  it('a presenter who disconnects stops presenting', async () => {
    const office = await joinedSocket(server, cast.office, DOC);
    const follower = await joinedSocket(server, cast.france, DOC);
    cleanups.push(() => follower.socket.disconnect());
    office.socket.emit(ClientEvent.PresenterStart, { documentId: DOC });
    await eventually(() => expect(states(follower.events).at(-1)?.presenter).not.toBeNull());
    office.socket.disconnect();
    await eventually(() => expect(states(follower.events).at(-1)?.presenter).toBeNull());
  });
});
