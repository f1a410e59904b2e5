import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskResponse } from '../../server/desk/desk.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { AuditPage } from '../../shared/audit.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { ParagraphText } from '../../shared/versions.js';
import { sectionBarrier } from '../support/barrier.js';
import { type Cast, type Person, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-consolidation-1';

let server: TestServer;
let cast: Cast;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);
type Answer = AmendmentView & { error?: string; message?: string };

async function table(who: Person, form: Record<string, unknown>): Promise<AmendmentView> {
  const res = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, who, { sectionId: 'part-1', ...form });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Paragraph `n` of part-1 as `[text, mark types]` runs. */
async function runs(n: number): Promise<[string, string[]][]> {
  const content = (await api<{ content: PMNode }>('GET', `/api/documents/${DOC}/sections/part-1`, cast.observer)).body
    .content;
  const p = content.content?.find((node) => node.attrs?.number === String(n));
  return (p?.content?.[0]?.content ?? []).map((node) => [node.text ?? '', (node.marks ?? []).map((m) => m.type)]);
}

const act = (who: Person, id: string, action: string, body?: unknown) =>
  api<Answer>('POST', `/api/amendments/${id}/${action}`, who, body);

describe('sub-amendments', () => {
  it('lives nested under its parent and, accepted, rewrites the parent’s proposal in the text', async () => {
    const parent = await table(cast.workers, {
      paragraph: 7,
      op: 'replace',
      find: 'nouvelles',
      text: 'vertes et nouvelles',
    });
    const sub = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
      parentId: parent.id,
      op: 'replace',
      find: 'vertes',
      text: 'numériques',
      rationale: 'Plus large.',
    });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({
      parentId: parent.id,
      sectionId: 'part-1',
      paragraphs: [7],
      type: 'replace',
      originalText: 'vertes',
      proposedText: 'numériques',
      status: 'proposed',
      ownerKey: 'employers',
    });
    // Not in the text, and the record sync leaves it alone.
    await sectionBarrier(server, DOC, sub.body.sectionId);
    expect((await api<Answer>('GET', `/api/amendments/${sub.body.id}`, cast.office)).body.status).toBe('proposed');
    expect((await act(cast.france, sub.body.id, 'support')).status).toBe(200);

    const bad = await api<{ message: string }>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
      parentId: parent.id,
      op: 'delete',
      find: 'absent',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/is not in the proposed words/);
    const nested = await api<{ message: string }>('POST', `/api/documents/${DOC}/amendments`, cast.france, {
      parentId: sub.body.id,
      op: 'delete',
      find: 'numériques',
    });
    expect(nested.status).toBe(409);

    const desk = (await api<DeskResponse>('GET', `/api/documents/${DOC}/desk?pendingOnly=true`, cast.office)).body;
    const p7 = desk.paragraphs.find((p) => p.number === '7');
    const entry = p7?.amendments.find((a) => a.id === parent.id);
    expect(entry?.subAmendments).toEqual([
      expect.objectContaining({
        id: sub.body.id,
        proposalIfAccepted: 'numériques et nouvelles',
        tally: expect.any(Object),
      }),
    ]);

    const accepted = await act(cast.office, sub.body.id, 'accept');
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(await runs(7)).toEqual([
      ['La transition juste exige des compétences ', []],
      ['nouvelles', ['suggestionDelete']],
      ['numériques et nouvelles', ['suggestionInsert']],
      ['.', []],
    ]);
    expect((await api<Answer>('GET', `/api/amendments/${parent.id}`, cast.office)).body.proposedText).toBe(
      'numériques et nouvelles',
    );

    // Undo: the parent's proposal goes back.
    const undone = await act(cast.office, sub.body.id, 'undo');
    expect(undone.status).toBe(200);
    expect(undone.body.status).toBe('proposed');
    expect((await api<Answer>('GET', `/api/amendments/${parent.id}`, cast.office)).body.proposedText).toBe(
      'vertes et nouvelles',
    );
    expect((await act(cast.office, sub.body.id, 'reject')).body.status).toBe('rejected');
    expect(await runs(7)).toContainEqual(['vertes et nouvelles', ['suggestionInsert']]);
    // The amendment's own group withdraws a sub-amendment like any other.
    const sub2 = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, cast.france, {
      parentId: parent.id,
      op: 'insert',
      find: 'vertes',
      text: ' et justes',
    });
    expect((await act(cast.workers, sub2.body.id, 'withdraw')).status).toBe(403);
    expect((await act(cast.france, sub2.body.id, 'withdraw')).body.status).toBe('withdrawn');
  });
});

describe('decisions', () => {
  it('accepts with modifications: the Office’s words enter the text, the record keeps both', async () => {
    const a = await table(cast.france, { paragraph: 8, op: 'replace', find: 'stable', text: 'en forte hausse' });
    const refused = await act(cast.workers, a.id, 'accept', { text: 'x' });
    expect(refused.status).toBe(403);
    const res = await act(cast.office, a.id, 'accept', { text: 'en légère hausse', secondedInRoom: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'accepted',
      proposedText: 'en forte hausse',
      originalText: 'stable',
      modifiedText: 'en légère hausse',
    });
    expect(res.body.history.at(-1)).toMatchObject({ status: 'accepted', note: 'accepted with modifications' });
    expect(await runs(8)).toEqual([['Le budget reste en légère hausse en termes réels.', []]]);

    // Undo restores the suggestion marks with the group's own proposal.
    const undone = await act(cast.office, a.id, 'undo');
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: 'proposed', modifiedText: null, proposedText: 'en forte hausse' });
    expect(await runs(8)).toEqual([
      ['Le budget reste ', []],
      ['stable', ['suggestionDelete']],
      ['en forte hausse', ['suggestionInsert']],
      [' en termes réels.', []],
    ]);
  });

  it('undoes an acceptance, a rejection and a withdrawal; only the Office (or the group, for withdrawals)', async () => {
    const a = await table(cast.employers, { paragraph: 6, op: 'insert', find: 'la période', text: ' entière de la' });
    expect((await act(cast.office, a.id, 'accept')).body.status).toBe('accepted');
    expect(await runs(6)).toEqual([['Le programme couvre la période entière de la biennale.', []]]);
    const byDelegate = await act(cast.employers, a.id, 'undo');
    expect(byDelegate.status).toBe(403);
    expect((byDelegate.body as { message?: string }).message).toBe('Only the Office can undo its decisions.');
    expect((await act(cast.office, a.id, 'undo')).body.status).toBe('proposed');
    expect(await runs(6)).toEqual([
      ['Le programme couvre la période', []],
      [' entière de la', ['suggestionInsert']],
      [' biennale.', []],
    ]);
    expect((await act(cast.office, a.id, 'reject')).body.status).toBe('rejected');
    expect(await runs(6)).toEqual([['Le programme couvre la période biennale.', []]]);
    expect((await act(cast.office, a.id, 'undo')).body.status).toBe('proposed');
    expect(await runs(6)).toContainEqual([' entière de la', ['suggestionInsert']]);
    expect((await act(cast.employers2, a.id, 'withdraw')).body.status).toBe('withdrawn');
    expect((await act(cast.workers, a.id, 'undo')).status).toBe(403);
    const back = await act(cast.employers, a.id, 'undo');
    expect(back.body.status).toBe('proposed');
    expect(back.body.history.map((h) => [h.status, h.note ?? ''])).toEqual([
      ['proposed', ''],
      ['accepted', ''],
      ['proposed', 'undo'],
      ['rejected', ''],
      ['proposed', 'undo'],
      ['withdrawn', ''],
      ['proposed', 'undo'],
    ]);
    const nothing = await act(cast.office, a.id, 'undo');
    expect(nothing.status).toBe(409);
    // The record sync leaves the restored amendment proposed.
    await sectionBarrier(server, DOC, a.sectionId);
    expect((await api<Answer>('GET', `/api/amendments/${a.id}`, cast.office)).body.status).toBe('proposed');
  });

  it('the desk flags rivals as alternatives; bulk decisions answer per id; the revised text previews', async () => {
    const one = await table(cast.workers, {
      paragraph: 5,
      op: 'replace',
      find: 'la référence',
      text: 'la seule référence',
    });
    const two = await table(cast.employers, { paragraph: 5, op: 'insert', find: 'la référence', text: ' commune' });
    const apart = await table(cast.france, { paragraph: 5, op: 'delete', find: ' internationales' });
    const desk = await api<DeskResponse>('GET', `/api/documents/${DOC}/desk`, cast.office);
    expect(desk.status).toBe(200);
    const p5 = desk.body.paragraphs.find((p) => p.number === '5');
    expect(p5?.officialText).toBe('Les normes internationales du travail restent la référence.');
    const view = (id: string) => p5?.amendments.find((a) => a.id === id);
    expect(view(one.id)?.alternatives).toEqual([two.id]);
    expect(view(two.id)?.alternatives).toEqual([one.id]);
    expect(view(apart.id)?.alternatives).toEqual([]);
    expect(desk.body.paragraphs.map((p) => p.number)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect((await api('GET', `/api/documents/${DOC}/desk`, cast.france)).status).toBe(403);

    const pending = await api<{ paragraphs: ParagraphText[] }>(
      'GET',
      `/api/documents/${DOC}/revised?include=pending`,
      cast.office,
    );
    // As if every pending amendment were accepted — rivals included, so both proposals show.
    const preview = pending.body.paragraphs.find((p) => p.number === '5')?.text ?? '';
    expect(preview).toMatch(/^Les normes du travail restent /);
    expect(preview).toContain('la seule référence');
    expect(preview).toContain(' commune');

    // France's amendment is considered once another member seconds it.
    expect((await act(cast.employers, apart.id, 'second')).status).toBe(200);
    const bulk = await api<{ done: number; failed: number; results: { id: string; ok: boolean; status?: number }[] }>(
      'POST',
      `/api/documents/${DOC}/amendments/bulk`,
      cast.office,
      { action: 'accept', ids: [apart.id, one.id, 'zzzzzzzzzzzz'] },
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r) => [r.id, r.ok, r.status])).toEqual([
      [apart.id, true, undefined],
      [one.id, true, undefined],
      ['zzzzzzzzzzzz', false, 404],
    ]);
    const revised = await api<{ paragraphs: ParagraphText[] }>('GET', `/api/documents/${DOC}/revised`, cast.office);
    expect(revised.body.paragraphs.find((p) => p.number === '5')?.text).toBe(
      'Les normes du travail restent la seule référence.',
    );
    expect(
      (await api('POST', `/api/documents/${DOC}/amendments/bulk`, cast.workers, { action: 'reject', ids: [two.id] }))
        .status,
    ).toBe(403);
    expect((await api('GET', `/api/documents/${DOC}/revised`, cast.workers)).status).toBe(403);
  });

  it('keeps an audit log of every event for the Office, paginated and as CSV', async () => {
    const page = await api<AuditPage>('GET', `/api/documents/${DOC}/audit?limit=5`, cast.office);
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(5);
    expect(page.body.total).toBeGreaterThan(20);
    const first = page.body.entries[0];
    expect(first).toMatchObject({ documentId: DOC, via: 'http', userAgent: 'concord-tests', ip: expect.any(String) });
    const actions = new Set(
      (await api<AuditPage>('GET', `/api/documents/${DOC}/audit?limit=1000`, cast.office)).body.entries.map(
        (e) => e.action,
      ),
    );
    for (const action of [
      'amendment.created',
      'amendment.accepted',
      'amendment.rejected',
      'amendment.withdrawn',
      'amendment.undone',
      'amendment.supported',
    ]) {
      expect(actions).toContain(action);
    }
    expect((await api('GET', `/api/documents/${DOC}/audit`, cast.workers)).status).toBe(403);
    const csv = await api<string>('GET', `/api/documents/${DOC}/audit.csv`, cast.office);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="GB.999-CONS-1-audit.csv"');
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'seq,time (UTC),user id,user,role,action,target type,target id,target,details,via,ip,user agent',
    );
    expect(lines.length).toBe(page.body.total + 2);
    // Details are JSON with quotes: quoted, quotes doubled.
    expect(lines[1]).toMatch(/,"\{""ownerKey"":""workers""/);
    expect((await api('GET', `/api/documents/${DOC}/audit.csv`, cast.france)).status).toBe(403);
  });
});
