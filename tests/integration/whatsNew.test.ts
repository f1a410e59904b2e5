import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../shared/amendments.js';
import type {
  DocumentOverviewResponse,
  RecentDecisionsResponse,
  SectionVisitResponse,
  WhatsNewResponse,
} from '../../shared/whatsNew.js';
import { type Cast, type Person, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-whats-new-1';

let server: TestServer;
let cast: Cast;
/** The server's clock, moved a second at a time so that "after my visit" is never a tie. */
let now = Date.parse('2026-12-01T09:00:00Z');
const tick = () => {
  now += 1000;
};

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  server.services.clock = { now: () => now };
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);
const visit = (who: Person, sectionId: string) =>
  api<SectionVisitResponse>('POST', `/api/documents/${DOC}/sections/${sectionId}/visit`, who);
const since = (who: Person) => api<WhatsNewResponse>('GET', `/api/documents/${DOC}/since`, who);

async function table(who: Person, paragraph: number, find: string, text: string): Promise<AmendmentView> {
  tick();
  const res = await api<AmendmentView>('POST', `/api/documents/${DOC}/amendments`, who, {
    sectionId: paragraph === 9 ? 'decision' : 'part-1',
    paragraph,
    op: 'replace',
    find,
    text,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function thread(who: Person, sectionId: string, paragraph: number, visibility: 'all' | 'group', body: string) {
  tick();
  const res = await api<{ id: string }>('POST', `/api/documents/${DOC}/threads`, who, {
    sectionId,
    paragraph,
    visibility,
    body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

describe('what is new since my last visit', () => {
  let employersAmendment: AmendmentView;
  let workersAmendment: AmendmentView;

  it('records a visit at the server’s time; unknown sections are 404, and a session is needed', async () => {
    const visited = await visit(cast.workers, 'part-1');
    expect(visited.status).toBe(200);
    expect(visited.body).toEqual({ documentId: DOC, sectionId: 'part-1', visitedAt: now });
    expect((await visit(cast.workers, 'no-such-section')).status).toBe(404);
    expect((await api('POST', `/api/documents/no-such-doc/sections/part-1/visit`, cast.workers)).status).toBe(404);
    expect((await visit({ ...cast.workers, token: 'nope' }, 'part-1')).status).toBe(401);
    // Observers and the other groups keep their own marks.
    for (const who of [cast.observer, cast.employers2, cast.office])
      expect((await visit(who, 'part-1')).status).toBe(200);
  });

  it('before any visit nothing is new', async () => {
    const body = (await since(cast.southAfrica)).body;
    expect(body.firstVisitAt).toBeNull();
    expect(body.items).toEqual([]);
    expect(body.sections['part-1']).toEqual({ amendments: 0, statusChanges: 0, comments: 0 });
  });

  it('lists amendments, status changes and comments after the visit, newest first, with why they concern me', async () => {
    employersAmendment = await table(cast.employers, 2, 'justice sociale', 'justice sociale et économique');
    tick();
    expect((await api('POST', `/api/amendments/${employersAmendment.id}/support`, cast.workers)).status).toBe(200);
    workersAmendment = await table(cast.workers, 4, 'dialogue social', 'dialogue social tripartite');
    tick();
    expect((await api('POST', `/api/amendments/${workersAmendment.id}/reject`, cast.office)).status).toBe(200);
    const mine = await thread(cast.workers, 'part-1', 5, 'all', 'Quelle référence exactement ?');
    tick();
    expect(
      (await api('POST', `/api/threads/${mine}/replies`, cast.employers, { body: 'Les conventions.' })).status,
    ).toBe(201);
    // The Employers' own business: a group-only thread and a draft.
    await thread(cast.employers, 'part-1', 6, 'group', 'Entre nous : on retire ?');
    tick();
    const draft = await api<AmendmentView>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
      sectionId: 'part-1',
      paragraph: 8,
      op: 'replace',
      find: 'stable',
      text: 'en hausse',
      draft: true,
    });
    expect(draft.status).toBe(201);

    const body = (await since(cast.workers)).body;
    expect(body.items.map((i) => [i.kind, i.ref ?? i.excerpt, i.byName, i.status, i.tags])).toEqual([
      ['comment', 'Les conventions.', 'Emma Employer', null, ['myThread']],
      ['status', workersAmendment.ref, 'Bureau Officer', 'rejected', ['myGroup']],
      ['amendment', employersAmendment.ref, 'Emma Employer', null, ['myVote']],
    ]);
    expect(body.items.map((i) => i.at)).toEqual([...body.items.map((i) => i.at)].sort((a, b) => b - a));
    expect(body.items[2]).toMatchObject({ sectionId: 'part-1', paragraph: 2 });
    expect(body.sections['part-1']).toEqual({ amendments: 1, statusChanges: 1, comments: 1 });
  });

  it('never shows another group’s group-only thread or draft — to a delegate or an observer', async () => {
    for (const who of [cast.workers, cast.observer, cast.france]) {
      const body = (await since(who)).body;
      expect(JSON.stringify(body)).not.toContain('Entre nous');
      expect(JSON.stringify(body)).not.toContain('en hausse');
    }
    // The Employers' other member sees the group's thread (a draft is not news, even to its group).
    const employers2 = (await since(cast.employers2)).body;
    expect(employers2.items.some((i) => i.excerpt === 'Entre nous : on retire ?')).toBe(true);
    expect(employers2.items.some((i) => i.kind === 'amendment' && i.paragraph === 8)).toBe(false);
    // An observer sees the public news, with no tags of its own.
    const observer = (await since(cast.observer)).body;
    expect(observer.items.length).toBeGreaterThan(0);
    expect(observer.items.every((i) => i.tags.length === 0)).toBe(true);
  });

  it('counts a section never viewed from the first visit of the document, and a new visit clears a section', async () => {
    const decisionAmendment = await table(cast.france, 9, 'les orientations', 'les orientations données');
    let body = (await since(cast.workers)).body;
    expect(body.sections.decision).toEqual({ amendments: 1, statusChanges: 0, comments: 0 });
    expect(body.items[0]).toMatchObject({ ref: decisionAmendment.ref, sectionId: 'decision', paragraph: 9 });
    tick();
    await visit(cast.workers, 'part-1');
    body = (await since(cast.workers)).body;
    expect(body.sections['part-1']).toEqual({ amendments: 0, statusChanges: 0, comments: 0 });
    expect(body.items.map((i) => i.sectionId)).toEqual(['decision']);
  });

  it('rejects a query string and a missing session', async () => {
    expect((await api('GET', `/api/documents/${DOC}/since?x=1`, cast.workers)).status).toBe(400);
    expect((await api('GET', `/api/documents/${DOC}/since`, null)).status).toBe(401);
    expect((await api('GET', `/api/documents/nope/since`, cast.workers)).status).toBe(404);
  });
});

describe('the document list’s overview', () => {
  it('shows the open round with its time left, amendments by state and my unread comments', async () => {
    tick();
    const opened = await api('POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: now + 3_600_000,
      subAmendmentDeadline: now + 7_200_000,
    });
    expect(opened.status).toBe(201);
    const forWorkers = (await api<DocumentOverviewResponse>('GET', '/api/overview', cast.workers)).body;
    const line = forWorkers.documents.find((d) => d.documentId === DOC);
    expect(line?.round).toMatchObject({ amendmentsOpen: true, amendmentMsLeft: 3_600_000 });
    const all = (await api<AmendmentView[]>('GET', `/api/documents/${DOC}/amendments`, cast.observer)).body;
    expect(line?.counts).toEqual({
      pending: all.filter((a) => a.status === 'proposed').length,
      accepted: all.filter((a) => a.status === 'accepted').length,
      rejected: all.filter((a) => a.status === 'rejected').length,
    });
    expect(line?.counts.rejected).toBe(1);
    // The Employers' reply in my thread is unread; their group-only thread is not mine to count.
    expect(line?.unread).toBe(1);
    const forEmployers2 = (await api<DocumentOverviewResponse>('GET', '/api/overview', cast.employers2)).body;
    expect(forEmployers2.documents.find((d) => d.documentId === DOC)?.unread).toBe(3);
    expect((await api('GET', '/api/overview', null)).status).toBe(401);
  });
});

describe('the Office’s recent decisions', () => {
  const recent = (who: Person) => api<RecentDecisionsResponse>('GET', `/api/documents/${DOC}/decisions/recent`, who);

  it('are the Office’s alone', async () => {
    for (const who of [cast.workers, cast.employers, cast.observer]) expect((await recent(who)).status).toBe(403);
    expect((await recent(cast.office)).status).toBe(200);
  });

  it('come from the records, newest first, and leave the list when undone', async () => {
    const a = await table(cast.employers, 1, 'les mandants', 'tous les mandants');
    const b = await table(cast.southAfrica, 3, 'se répètent', 'se répètent encore');
    tick();
    expect((await api('POST', `/api/amendments/${a.id}/accept`, cast.office, {})).status).toBe(200);
    tick();
    expect((await api('POST', `/api/amendments/${b.id}/reject`, cast.office)).status).toBe(200);
    let body = (await recent(cast.office)).body;
    expect(
      body.decisions.slice(0, 2).map((d) => [d.ref, d.decision, d.byName, d.ownerKey, d.paragraph, d.undo]),
    ).toEqual([
      [b.ref, 'rejected', 'Bureau Officer', 'government:South Africa', 3, true],
      [a.ref, 'accepted', 'Bureau Officer', 'employers', 1, true],
    ]);
    tick();
    expect((await api('POST', `/api/amendments/${b.id}/undo`, cast.office)).status).toBe(200);
    body = (await recent(cast.office)).body;
    expect(body.decisions.map((d) => d.ref)).not.toContain(b.ref);
    expect(body.decisions[0]?.ref).toBe(a.ref);
  });
});
