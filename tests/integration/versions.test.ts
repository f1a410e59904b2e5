import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { CompareResponse, Version, VersionSummary } from '../../shared/versions.js';
import { type Cast, type Person, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-versions-1';

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

async function table(who: Person, form: Record<string, unknown>): Promise<AmendmentView> {
  const res = await api<AmendmentView>('POST', `/api/documents/${DOC}/amendments`, who, {
    sectionId: 'part-1',
    ...form,
  });
  expect(res.status).toBe(201);
  return res.body;
}

let before: VersionSummary;
let after: VersionSummary;
let replaced: AmendmentView;
let deleted: AmendmentView;

describe('versions', () => {
  it('only the Office names a version; everyone lists and opens them read-only', async () => {
    const refused = await api<{ message: string }>('POST', `/api/documents/${DOC}/versions`, cast.france, {
      name: 'Mine',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Only the Office names versions of the document.');
    // A pending amendment is in the text, not in the official paragraphs a version compares.
    await table(cast.workers, { paragraph: 1, op: 'insert', find: 'Le Bureau', text: ' renforcé' });
    const res = await api<VersionSummary>('POST', `/api/documents/${DOC}/versions`, cast.office, { name: 'Avant' });
    expect(res.status).toBe(201);
    before = res.body;
    expect(before).toMatchObject({ documentId: DOC, name: 'Avant', createdByName: 'Bureau Officer', roundId: null });
    const opened = await api<Version & { readOnly: boolean }>(
      'GET',
      `/api/documents/${DOC}/versions/${before.id}`,
      cast.observer,
    );
    expect(opened.status).toBe(200);
    expect(opened.body.readOnly).toBe(true);
    expect(opened.body.sections.map((s) => s.sectionId)).toEqual(['part-1', 'decision']);
    expect(opened.body.sections[0]?.paragraphs[0]).toEqual({
      number: '1',
      sectionId: 'part-1',
      text: 'Le Bureau soutient les mandants tripartites dans la mise en œuvre du programme.',
    });
    expect(JSON.stringify(opened.body.sections[0]?.content)).toContain('suggestionInsert');
    expect((await api('GET', `/api/documents/${DOC}/versions/nope`, cast.observer)).status).toBe(404);
  });

  it('is immutable: later changes leave it as it was, and the store refuses to rewrite it', async () => {
    const frozen = (await api<Version>('GET', `/api/documents/${DOC}/versions/${before.id}`, cast.office)).body;
    replaced = await table(cast.france, {
      paragraph: 7,
      op: 'replace',
      find: 'compétences nouvelles',
      text: 'compétences adaptées',
    });
    deleted = await table(cast.employers, { paragraph: 2, op: 'delete', find: ' de l’Organisation' });
    const untouched = await table(cast.workers, { paragraph: 8, op: 'replace', find: 'stable', text: 'en hausse' });
    expect((await api('POST', `/api/amendments/${replaced.id}/accept`, cast.office, { secondedInRoom: true })).status).toBe(200);
    expect((await api('POST', `/api/amendments/${deleted.id}/accept`, cast.office)).status).toBe(200);
    expect((await api('POST', `/api/amendments/${untouched.id}/reject`, cast.office)).status).toBe(200);
    const again = (await api<Version>('GET', `/api/documents/${DOC}/versions/${before.id}`, cast.office)).body;
    expect(again).toEqual(frozen);
    // A connection of its own, as a hand-run statement would be: the database itself refuses.
    const db = new Database(path.join(server.dataDir, 'concord.sqlite'));
    try {
      expect(() => db.prepare("UPDATE versions SET name = 'Changed' WHERE id = ?").run(before.id)).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM versions WHERE id = ?').run(before.id)).toThrow(/immutable/);
      expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    after = (await api<VersionSummary>('POST', `/api/documents/${DOC}/versions`, cast.office, { name: 'Après' })).body;
    const list = await api<VersionSummary[]>('GET', `/api/documents/${DOC}/versions`, cast.workers);
    expect(list.body.map((v) => v.name)).toEqual(['Avant', 'Après']);
    // Each version says what its reader may do with it.
    expect(list.body.map((v) => v.abilities)).toEqual([{ compare: true }, { compare: true }]);
    const observed = await api<VersionSummary[]>('GET', `/api/documents/${DOC}/versions`, cast.observer);
    expect(observed.body.every((v) => v.abilities?.compare === true)).toBe(true);
  });

  it('compares two versions paragraph by paragraph, naming the amendment behind each change', async () => {
    const res = await api<CompareResponse>(
      'GET',
      `/api/documents/${DOC}/compare?from=${before.id}&to=${after.id}`,
      cast.france,
    );
    expect(res.status).toBe(200);
    expect(res.body.from).toMatchObject({ id: before.id, name: 'Avant' });
    const byNumber = new Map(res.body.paragraphs.map((p) => [p.number, p]));
    expect(res.body.paragraphs.map((p) => [p.number, p.change])).toEqual([
      ['1', 'unchanged'],
      ['2', 'changed'],
      ['3', 'unchanged'],
      ['4', 'unchanged'],
      ['5', 'unchanged'],
      ['6', 'unchanged'],
      ['7', 'changed'],
      ['8', 'unchanged'],
      ['9', 'unchanged'],
    ]);
    const who = (a: AmendmentView) => [{ id: a.id, ref: a.ref, ownerKey: a.ownerKey }];
    expect(byNumber.get('7')?.segments).toEqual([
      { type: 'equal', text: 'La transition juste exige des compétences ' },
      { type: 'delete', text: 'nouvelles', amendments: who(replaced) },
      { type: 'insert', text: 'adaptées', amendments: who(replaced) },
      { type: 'equal', text: '.' },
    ]);
    expect(byNumber.get('2')?.segments).toEqual([
      { type: 'equal', text: 'La justice sociale est au cœur du mandat' },
      { type: 'delete', text: ' de l’Organisation', amendments: who(deleted) },
      { type: 'equal', text: '.' },
    ]);
    expect(byNumber.get('1')?.segments).toEqual([
      { type: 'equal', text: 'Le Bureau soutient les mandants tripartites dans la mise en œuvre du programme.' },
    ]);
  });

  it('compares with the live text on either side; bad sides are refused', async () => {
    const same = await api<CompareResponse>(
      'GET',
      `/api/documents/${DOC}/compare?from=${after.id}&to=live`,
      cast.observer,
    );
    expect(same.body.to.id).toBe('live');
    expect(same.body.paragraphs.every((p) => p.change === 'unchanged')).toBe(true);
    const back = await api<CompareResponse>(
      'GET',
      `/api/documents/${DOC}/compare?from=live&to=${before.id}`,
      cast.observer,
    );
    expect(back.body.paragraphs.find((p) => p.number === '7')?.segments).toContainEqual(
      expect.objectContaining({ type: 'insert', text: 'nouvelles' }),
    );
    expect((await api('GET', `/api/documents/${DOC}/compare?from=${before.id}`, cast.observer)).status).toBe(400);
    expect((await api('GET', `/api/documents/${DOC}/compare?from=nope&to=live`, cast.observer)).status).toBe(404);
  });
});
