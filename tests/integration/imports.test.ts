import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { SectionContentResponse } from '../../shared/api.js';
import type { ImportPreview, ImportPreviewView, TableImportResult } from '../../shared/imports.js';
import { buildPeople, client, exportDocument, type People } from '../support/exportFixtures.js';
import { AFRICA } from '../support/regions.js';
import { startTestServer, type TestServer } from '../support/testServer.js';
import { docxLibraryFile, libreOfficeFile, SOFFICE } from '../support/wordFixtures.js';

const DOC = 'gb-999-export-1';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let server: TestServer;
let people: People;
let http: ReturnType<typeof client>;
let blocking: AmendmentView;

beforeAll(async () => {
  server = await startTestServer({ document: exportDocument(DOC) });
  people = await buildPeople(server);
  http = client(server, people);
  // Already proposed for deletion by the Employers: a Word revision on these words cannot be placed.
  blocking = await http.table(DOC, 'employers', {
    sectionId: 'outcome-1',
    paragraph: 5,
    op: 'delete',
    find: ' en termes réels',
  });
});

afterAll(async () => {
  await server.stop();
});

async function upload(as: string, bytes: Uint8Array, query = ''): Promise<{ status: number; body: unknown }> {
  const res = await http.raw('POST', `/api/documents/${DOC}/imports${query}`, as, Buffer.from(bytes), {
    'content-type': DOCX,
    'x-file-name': 'amendements%20France.docx',
  });
  return { status: res.status, body: await res.json() };
}

async function section(id: string): Promise<SectionContentResponse> {
  return (await http.json('GET', `/api/documents/${DOC}/sections/${id}`, 'observer')).body as SectionContentResponse;
}

describe('Word import of a file made with the docx library', () => {
  let preview: ImportPreview;

  beforeAll(async () => {
    const file = await docxLibraryFile([
      { heading: true, pieces: ['I. Introduction', { ins: ' générale' }] },
      // Numbered as printed; Word's straight apostrophe and quotes for the document's typographic ones.
      {
        pieces: [
          '1.\tLe Bureau ',
          { del: 'soutient' },
          { ins: 'appuie' },
          ' les mandants tripartites dans la mise en œuvre du programme.',
        ],
      },
      {
        pieces: [
          "2.\tLa justice sociale est au  cœur du mandat de l'Organisation et de ses ",
          { del: '"partenaires"' },
          { ins: 'mandants' },
          '.',
        ],
      },
      { pieces: ['3.\tLe programme couvre trois domaines :'] },
      // A bullet of paragraph 3, unnumbered.
      { pieces: ['le dialogue social', { ins: ' effectif' }, ' et le tripartisme;'] },
      // "dialogue" occurs twice in paragraph 4: the second one is deleted.
      {
        pieces: [
          '4.\tLes partenaires sociaux participent au dialogue social et le ',
          { del: 'dialogue ' },
          'se renforce.',
        ],
      },
      // Words already proposed for deletion by another amendment.
      { pieces: ['5.\tLe budget reste ', { del: 'stable en termes' }, ' réels.'] },
      // The very amendment another group already tabled.
      { pieces: ['5.\tLe budget reste stable', { del: ' en termes réels' }, '.'] },
      // Text that is not in the document.
      { pieces: ['7.\tUn paragraphe qui n’existe pas ', { ins: 'du tout' }, '.'] },
      // An insertion at the very start of a paragraph.
      {
        pieces: [
          '6.\t',
          { ins: 'En outre, ' },
          'Le Conseil d’administration prie le Directeur général de prendre en compte les orientations.',
        ],
      },
      // A whole new paragraph.
      { inserted: true, pieces: [{ ins: '6bis.\tLe Conseil d’administration décide de revenir sur la question.' }] },
    ]);
    const res = await upload('france', file);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    preview = res.body as ImportPreview;
  });

  it('previews the amendments it found, each matched to its paragraph by number and text', () => {
    expect(preview.fileName).toBe('amendements France.docx');
    expect(preview.ownerKey).toBe('government:France');
    const found = preview.amendments.map(({ paragraph, op, find, text, sectionId, wordAuthor }) => ({
      paragraph,
      op,
      find,
      text,
      sectionId,
      wordAuthor,
    }));
    expect(found).toEqual([
      {
        paragraph: 1,
        op: 'replace',
        find: 'soutient',
        text: 'appuie',
        sectionId: 'part-1',
        wordAuthor: 'Julien Moreau',
      },
      {
        paragraph: 2,
        op: 'replace',
        find: '« partenaires »',
        text: 'mandants',
        sectionId: 'part-1',
        wordAuthor: 'Julien Moreau',
      },
      {
        paragraph: 3,
        op: 'insert',
        find: 'social',
        text: ' effectif',
        sectionId: 'part-1',
        wordAuthor: 'Julien Moreau',
      },
      { paragraph: 4, op: 'delete', find: 'dialogue ', text: '', sectionId: 'outcome-1', wordAuthor: 'Julien Moreau' },
    ]);
    const fourth = preview.amendments[3];
    expect(fourth?.before.endsWith('participent au dialogue social et le ')).toBe(true);
    expect(fourth?.after).toBe('se renforce.');
  });

  it('lists the revisions it could not place, with why', () => {
    const reasons = preview.unplaced.map((u) => [u.kind, u.paragraph, u.reason] as const);
    expect(reasons).toContainEqual(['insert', null, expect.stringContaining('heading')]);
    expect(reasons).toContainEqual([
      'delete',
      5,
      `The words “stable en termes” are already proposed for deletion by another amendment. (amendment ${blocking.ref})`,
    ]);
    expect(reasons).toContainEqual(['delete', 5, `Already tabled as ${blocking.ref} by the Employers' group.`]);
    expect(reasons).toContainEqual(['insert', 7, expect.stringContaining('not found')]);
    expect(reasons).toContainEqual(['insert', 6, expect.stringContaining('very start of paragraph 6')]);
    expect(reasons).toContainEqual(['paragraph', 6, expect.stringContaining('new paragraph')]);
    expect(preview.unplaced).toHaveLength(6);
    // Each reason also as a code and its parameters, for the client to word in the reader's language.
    expect(preview.unplaced.map((u) => u.why?.code).sort()).toEqual(
      ['alreadyTabled', 'heading', 'newParagraph', 'notFound', 'startOfParagraph', 'underAmendment'].sort(),
    );
  });

  it('tables the chosen ones for the State, as if typed: records, marks in the text', async () => {
    const chosen = preview.amendments.filter((a) => a.paragraph !== 2).map((a) => a.id);
    const res = await http.json('POST', `/api/imports/${preview.id}/table`, 'france', { amendments: chosen });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = res.body as TableImportResult;
    expect(result.failed).toEqual([]);
    expect(result.tabled.map((t) => t.id)).toEqual(chosen);
    expect(result.preview.amendments.filter((a) => a.tabled).map((a) => a.id)).toEqual(chosen);
    const list = (await http.json('GET', `/api/documents/${DOC}/amendments?group=government`, 'observer'))
      .body as AmendmentView[];
    expect(
      list.map((a) => [a.paragraphs[0], a.type, a.originalText, a.proposedText, a.ownerKey, a.authorName]),
    ).toEqual([
      [1, 'replace', 'soutient', 'appuie', 'government:France', 'Julien Moreau'],
      [3, 'insert', '', ' effectif', 'government:France', 'Julien Moreau'],
      [4, 'delete', 'dialogue ', '', 'government:France', 'Julien Moreau'],
    ]);
    const outcome = await section('outcome-1');
    const p4 = JSON.stringify(outcome.content);
    // The second "dialogue" carries the deletion mark, not the first.
    expect(p4).toMatch(
      /dialogue social et le "\},\{"type":"text","marks":\[\{"type":"suggestionDelete"[^\]]*\]\s*,?"text":"dialogue "|"text":"dialogue ","marks":\[\{"type":"suggestionDelete"/,
    );
    const again = await http.json('POST', `/api/imports/${preview.id}/table`, 'france', { amendments: [chosen[0]] });
    expect((again.body as TableImportResult).failed).toEqual([
      {
        id: chosen[0],
        status: 409,
        message: expect.stringContaining('already tabled'),
        why: { code: 'tabledHere', params: { id: chosen[0], ref: expect.stringMatching(/^A-\d+$/) } },
      },
    ]);
  });

  it('says on the preview whether the reader may table from it, and after the deadline why not', async () => {
    const asFrance = (await http.json('GET', `/api/imports/${preview.id}`, 'france')).body as ImportPreviewView;
    // Paragraph 2's amendment is left to table.
    expect(asFrance.abilities).toEqual({ table: true });
    expect(asFrance.reasons).toEqual({});
    const clock = server.services.clock;
    const now = clock.now();
    const round = await http.json('POST', `/api/documents/${DOC}/rounds`, 'office', {
      amendmentDeadline: now + 3600_000,
      subAmendmentDeadline: now + 7200_000,
    });
    expect(round.status).toBe(201);
    try {
      server.services.clock = { now: () => now + 3 * 3600_000 };
      const late = (await http.json('GET', `/api/imports/${preview.id}`, 'france')).body as ImportPreviewView;
      expect(late.abilities).toEqual({ table: false });
      expect(late.reasons.table).toMatch(/^The deadline for amendments in round \d+ passed at/);
      // The Office tables a State's import as that State: the same deadline holds.
      const office = (await http.json('GET', `/api/imports/${preview.id}`, 'office')).body as ImportPreviewView;
      expect(office.abilities).toEqual({ table: false });
      // And the server refuses what the preview no longer offers.
      const left = preview.amendments.filter((a) => a.paragraph === 2).map((a) => a.id);
      const refused = await http.json('POST', `/api/imports/${preview.id}/table`, 'france', { amendments: left });
      const failed = (refused.body as TableImportResult).failed.map((f) => f.status);
      expect(failed).toEqual(left.map(() => 409));
    } finally {
      server.services.clock = clock;
    }
  });

  it('keeps the import to its State (and the Office); others get 404', async () => {
    expect((await http.json('GET', `/api/imports/${preview.id}`, 'office')).status).toBe(200);
    expect((await http.json('GET', `/api/imports/${preview.id}`, 'southAfrica')).status).toBe(404);
    expect(
      (await http.json('POST', `/api/imports/${preview.id}/table`, 'workers', { amendments: ['r2'] })).status,
    ).toBe(404);
  });
});

describe('who may import', () => {
  const small = () =>
    docxLibraryFile([{ pieces: ['5.\tLe budget ', { ins: 'ordinaire ' }, 'reste stable en termes réels.'] }]);

  it('the Office on behalf of a named group (multipart/form-data, field onBehalfOf)', async () => {
    const form = new FormData();
    form.append('onBehalfOf', 'workers');
    form.append('file', new Blob([Buffer.from(await small())], { type: DOCX }), 'workers.docx');
    const res = await http.raw('POST', `/api/documents/${DOC}/imports`, 'office', form);
    const preview = (await res.json()) as ImportPreview;
    expect(res.status, JSON.stringify(preview)).toBe(201);
    expect(preview.ownerKey).toBe('workers');
    expect(preview.fileName).toBe('workers.docx');
    const result = (await http.json('POST', `/api/imports/${preview.id}/table`, 'office', { amendments: ['r1'] }))
      .body as TableImportResult;
    const amendment = (await http.json('GET', `/api/amendments/${result.tabled[0]?.amendmentId}`, 'workers'))
      .body as AmendmentView;
    expect([amendment.ownerKey, amendment.group, amendment.authorName, amendment.proposedText]).toEqual([
      'workers',
      'workers',
      'Claire Martin',
      'ordinaire ',
    ]);
    // Their amendment: the Workers may withdraw it.
    expect(amendment.abilities?.withdraw).toBe(true);
  });

  it('a government delegate imports for a regional group of their State; a State outside it may not', async () => {
    await server.store.saveRegionalGroup(AFRICA);
    const file = await docxLibraryFile([
      {
        pieces: [
          '6.\tLe Conseil d’administration prie le Directeur général de prendre en compte les orientations',
          { ins: ' du groupe' },
          '.',
        ],
      },
    ]);
    const refused = await upload('france', file, '?onBehalfOf=region:AFRICA');
    expect(refused.status).toBe(403);
    const made = await upload('southAfrica', file, '?onBehalfOf=region:AFRICA');
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const preview = made.body as ImportPreview;
    expect(preview.ownerKey).toBe('region:AFRICA');
    // Another State outside the group neither reads nor tables it.
    expect((await http.json('GET', `/api/imports/${preview.id}`, 'france')).status).toBe(404);
    const stolen = await http.json('POST', `/api/imports/${preview.id}/table`, 'france', { amendments: ['r1'] });
    expect([403, 404]).toContain(stolen.status);
    const result = (await http.json('POST', `/api/imports/${preview.id}/table`, 'southAfrica', { amendments: ['r1'] }))
      .body as TableImportResult;
    const id = result.tabled[0]?.amendmentId;
    expect(id, JSON.stringify(result)).toBeDefined();
    const amendment = (await http.json('GET', `/api/amendments/${id}`, 'france')).body as AmendmentView;
    expect([amendment.ownerKey, amendment.authorName, amendment.proposedText]).toEqual([
      'region:AFRICA',
      'Thandiwe Nkosi',
      ' du groupe',
    ]);
  });

  it('refuses delegates for another group, observers, bad owners, non-Word files and oversized ones', async () => {
    expect((await upload('france', await small(), '?onBehalfOf=workers')).status).toBe(403);
    expect((await upload('observer', await small())).status).toBe(403);
    expect((await upload('office', await small(), '?onBehalfOf=nobody')).status).toBe(400);
    const notWord = await upload('france', new TextEncoder().encode('hello'));
    expect(notWord.status).toBe(400);
    expect((notWord.body as { message: string }).message).toContain('not a Word document');
    const big = await upload('france', new Uint8Array(10 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    const plain = await http.raw('POST', `/api/documents/${DOC}/imports`, 'france', 'x', {
      'content-type': 'text/plain',
    });
    expect(plain.status).toBe(415);
  });
});

describe.skipIf(!SOFFICE)('Word import of a file saved by LibreOffice with change tracking on', () => {
  it('finds the revisions LibreOffice recorded, with their author', async () => {
    const file = await libreOfficeFile([
      {
        pieces: [
          '6. Le Conseil d’administration prie le Directeur général de prendre en compte les ',
          { ins: 'nouvelles ' },
          'orientations.',
        ],
      },
      {
        pieces: [
          '4. Les partenaires sociaux ',
          { del: 'participent' },
          { ins: 'prennent part' },
          ' au dialogue social et le dialogue se renforce.',
        ],
      },
      { pieces: ['Une phrase inconnue ', { del: 'supprimée' }, '.'] },
    ]);
    const res = await upload('southAfrica', file);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const preview = res.body as ImportPreview;
    expect(preview.amendments.map((a) => [a.paragraph, a.op, a.find, a.text, a.wordAuthor])).toEqual([
      [6, 'insert', 'les ', 'nouvelles ', 'Ana Lima'],
      [4, 'replace', 'participent', 'prennent part', 'Ana Lima'],
    ]);
    expect(preview.unplaced.map((u) => [u.kind, u.deleted, u.reason])).toEqual([
      ['delete', 'supprimée', expect.stringContaining('is not in paragraph 4 nor anywhere else')],
    ]);
  }, 120_000);
});
