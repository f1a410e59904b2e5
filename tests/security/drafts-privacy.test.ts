import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../shared/audit.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { type Cast, type Person, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

/**
 * A group's draft is its own until tabled, metadata included: the Office's audit view, the A-n series
 * and comment threads must not reveal that another group is drafting.
 */
const DOC = 'gb-999-sec-drafts-1';

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

type Answer = AmendmentView & { error?: string; message?: string };
const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);

const propose = (who: Person, paragraph: number, find: string, text: string, draft = false) =>
  api<Answer>('POST', `/api/documents/${DOC}/amendments`, who, {
    sectionId: 'part-1',
    paragraph,
    op: 'replace',
    find,
    text,
    ...(draft ? { draft: true } : {}),
  });

async function officeAudit(): Promise<AuditPage> {
  const res = await api<AuditPage>('GET', `/api/documents/${DOC}/audit?limit=1000`, cast.office);
  expect(res.status).toBe(200);
  return res.body;
}

describe('draft privacy', () => {
  it('keeps drafts out of the A-n series and out of the Office audit until they are tabled', async () => {
    const first = await propose(cast.employers, 1, 'mandants tripartites', 'mandants');
    expect(first.body.ref).toBe('A-1');
    const draft = await propose(cast.workers, 2, 'justice sociale', 'justice sociale et climatique', true);
    expect(draft.status, draft.text).toBe(201);
    expect(draft.body.ref).not.toMatch(/^A-/);
    const edited = await api<Answer>('PATCH', `/api/amendments/${draft.body.id}`, cast.workers, { rationale: 'Secret.' });
    expect(edited.status).toBe(200);
    const second = await propose(cast.france, 5, 'restent la référence', 'demeurent la référence');
    expect(second.body.ref).toBe('A-2'); // no gap: nobody learns that a draft was made

    const audit = await officeAudit();
    expect(audit.entries.filter((e) => e.targetId === draft.body.id)).toEqual([]);
    expect(audit.total).toBe(audit.entries.length);
    expect(JSON.stringify(audit)).not.toContain('climatique');
    const csv = await api<string>('GET', `/api/documents/${DOC}/audit.csv`, cast.office);
    expect(csv.text).not.toContain(draft.body.id);

    const tabled = await api<Answer>('POST', `/api/amendments/${draft.body.id}/table`, cast.workers);
    expect(tabled.status, tabled.text).toBe(200);
    expect(tabled.body.ref).toBe('A-3');
    const after = await officeAudit();
    expect(
      after.entries
        .filter((e) => e.targetId === draft.body.id)
        .map((e) => e.action)
        .reverse(),
    ).toEqual(['amendment.drafted', 'amendment.draft.edited', 'amendment.tabled']);
  });

  it('refuses a thread on another group’s draft with 404, as for an unknown id, and stores nothing', async () => {
    const draft = await propose(cast.workers, 6, 'période biennale', 'période quadriennale', true);
    expect(draft.status).toBe(201);
    const before = (await server.store.threads.listByDocument(DOC)).length;
    for (const [who, amendmentId] of [
      [cast.employers, draft.body.id],
      [cast.office, draft.body.id],
      [cast.employers, 'zzzzzzzzzzzz'],
    ] as const) {
      const res = await api<{ error: string; message: string }>('POST', `/api/documents/${DOC}/threads`, who, {
        sectionId: 'part-1',
        paragraph: 6,
        amendmentId,
        visibility: 'all',
        body: 'Je vois votre brouillon.',
      });
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/no amendment/);
    }
    expect((await server.store.threads.listByDocument(DOC)).length).toBe(before);
    const own = await api('POST', `/api/documents/${DOC}/threads`, cast.workers, {
      sectionId: 'part-1',
      paragraph: 6,
      amendmentId: draft.body.id,
      visibility: 'group',
      body: 'À revoir avant de déposer.',
    });
    expect(own.status, own.text).toBe(201);
  });
});
