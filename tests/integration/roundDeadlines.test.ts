import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerEvent } from '../../shared/events.js';
import type { RoundView } from '../../shared/rounds.js';
import { socketBarrier } from '../support/barrier.js';
import { type Cast, buildCast, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';

/**
 * Issue 12 item 2: the round's `amendmentsOpen` drives a delegate's read-only text, live. A deadline
 * passing changes nothing stored, so the server says it itself: `round:changed` at each deadline, to the
 * document's clients, once each.
 */
const DOC = 'gb-999-deadlines-1';

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

const roundsOf = (events: { name: string; payload: unknown }[]) =>
  events.filter((e) => e.name === ServerEvent.RoundChanged).map((e) => (e.payload as { round: RoundView }).round);

describe('round deadlines, live', () => {
  it('each deadline passing is sent as round:changed, once per client; closing and reopening too', async () => {
    const { socket, events } = await joinedSocket(server, cast.workers, DOC);
    const opened = await call<RoundView>(server, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: Date.now() + 400,
      subAmendmentDeadline: Date.now() + 900,
    });
    expect(opened.status, opened.text).toBe(201);
    await eventually(() => expect(roundsOf(events).at(-1)?.subAmendmentsOpen).toBe(false), 5000);
    // Every event sent before the barrier has arrived: exactly these three, in this order.
    await socketBarrier(socket, DOC);
    expect(roundsOf(events).map((r) => [r.id, r.phase, r.amendmentsOpen, r.subAmendmentsOpen])).toEqual([
      [opened.body.id, 'amendments', true, true],
      [opened.body.id, 'subAmendments', false, true],
      [opened.body.id, 'deadlinesPassed', false, false],
    ]);
    for (const r of roundsOf(events).slice(1)) expect(r.now).toBeGreaterThanOrEqual(r.phase === 'subAmendments' ? r.amendmentDeadline : r.subAmendmentDeadline);

    // The server refuses regardless of what clients were told.
    const late = await call<{ error: string; reason?: { code: string } }>(server, 'POST', `/api/documents/${DOC}/amendments`, cast.workers, {
      sectionId: 'part-1',
      paragraph: 6,
      op: 'replace',
      find: 'biennale',
      text: 'quadriennale',
    });
    expect(late.status).toBe(409);
    expect(late.body.reason?.code).toBe('deadline_passed');

    const closed = await call<{ round: RoundView }>(server, 'POST', `/api/rounds/${opened.body.id}/close`, cast.office, {});
    expect(closed.status, closed.text).toBe(200);
    const reopened = await call<RoundView>(server, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: Date.now() + 3_600_000,
      subAmendmentDeadline: Date.now() + 7_200_000,
    });
    expect(reopened.status, reopened.text).toBe(201);
    await socketBarrier(socket, DOC);
    expect(roundsOf(events).slice(3).map((r) => [r.number, r.phase, r.amendmentsOpen])).toEqual([
      [opened.body.number, 'closed', false],
      [reopened.body.number, 'amendments', true],
    ]);
    socket.disconnect();
  });

  it('a round opened with its amendment deadline already past is closed to amendments from the start', async () => {
    const current = await call<{ round: RoundView }>(server, 'GET', `/api/documents/${DOC}/rounds/current`, cast.office);
    expect((await call(server, 'POST', `/api/rounds/${current.body.round.id}/close`, cast.office, {})).status).toBe(200);
    const { socket, events } = await joinedSocket(server, cast.workers, DOC);
    const opened = await call<RoundView>(server, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: Date.now() - 60_000,
      subAmendmentDeadline: Date.now() + 3_600_000,
    });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body.amendmentsOpen).toBe(false);
    await socketBarrier(socket, DOC);
    expect(roundsOf(events).map((r) => [r.id, r.amendmentsOpen, r.subAmendmentsOpen])).toEqual([[opened.body.id, false, true]]);
    socket.disconnect();
  });
});
