import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { Version } from '../../shared/versions.js';
import { type Cast, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

/**
 * A round's closing version holds everything tabled in the round. Found by a red team on PostgreSQL: the
 * version was read section by section *before* the round closed, so what was tabled meanwhile (still
 * accepted: the round was open) was missing from it. The tabling here is injected at the worst moment — as
 * the close reaches the store — so the test does not depend on timing.
 */
const DOC = 'gb-999-round-close-1';
const HOUR = 3_600_000;

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

type RoundView = { id: string; number: number; versionId: string | null; closedAt: number | null };

describe('closing a round', () => {
  it('the closing version holds an amendment tabled while the close was under way; after it, tabling is refused', async () => {
    const now = Date.now();
    const opened = await call<RoundView>(server, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: now + HOUR,
      subAmendmentDeadline: now + 2 * HOUR,
    });
    expect(opened.status).toBe(201);
    const draft = async (paragraph: number, find: string, text: string) => {
      const res = await call<AmendmentView>(server, 'POST', `/api/documents/${DOC}/amendments`, cast.workers, {
        sectionId: 'part-1',
        paragraph,
        op: 'replace',
        find,
        text,
        draft: true,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const during = await draft(6, 'biennale', 'de deux ans');
    const after = await draft(7, 'nouvelles', 'renouvelées');

    // The tabling arrives just as the round's close is being stored.
    const rounds = server.store.rounds;
    const close = rounds.close.bind(rounds);
    let tabledDuring: { status: number } | null = null;
    rounds.close = async (id, closed) => {
      tabledDuring = await call(server, 'POST', `/api/amendments/${during.id}/table`, cast.workers);
      return close(id, closed);
    };
    let closing: Awaited<ReturnType<typeof call<{ round: RoundView; version: Version }>>>;
    try {
      closing = await call<{ round: RoundView; version: Version }>(
        server,
        'POST',
        `/api/rounds/${opened.body.id}/close`,
        cast.office,
        {},
      );
    } finally {
      rounds.close = close;
    }
    expect(closing.status).toBe(200);
    expect(tabledDuring).toMatchObject({ status: 200 });
    // Tabled while the round was open: the closing version has its suggestion.
    const version = await server.store.versions.get(closing.body.version.id);
    const states = (version?.sections ?? []).map((s) => Buffer.from(s.state, 'base64').toString('latin1')).join('');
    expect(states).toContain(during.id);
    expect(closing.body.round).toMatchObject({ versionId: closing.body.version.id });
    expect((await server.store.rounds.get(opened.body.id))?.versionId).toBe(closing.body.version.id);

    // After the close: refused, and so not missing from anything.
    const late = await call<{ reason?: { code: string } }>(server, 'POST', `/api/amendments/${after.id}/table`, cast.workers);
    expect(late.status).toBe(409);
    expect(late.body.reason?.code).toBe('deadline_round_closed');
  });
});
