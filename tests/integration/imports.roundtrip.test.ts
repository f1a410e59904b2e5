import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportPreview, TableImportResult } from '../../shared/imports.js';
import { importGbDocument } from '../../seed/importer/index.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { revisions, openDocx } from '../support/docx.js';
import { buildPeople, client } from '../support/exportFixtures.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const SEED = importGbDocument(
  readFileSync(path.resolve(import.meta.dirname, '../../seed/GB.346-PFA-1.fr.txt'), 'utf8'),
);
const DOC = SEED.id;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Amendments of one group across the seed: words, bullets, a paragraph with a footnote, the decision. */
const FORMS = [
  {
    sectionId: 'part-1',
    paragraph: 1,
    op: 'replace',
    find: 'hausse de la pauvreté',
    text: 'augmentation de la pauvreté',
  },
  { sectionId: 'part-1', paragraph: 2, op: 'insert', find: 'programme de travail proposé', text: ' et chiffré' },
  { sectionId: 'part-2', paragraph: 14, op: 'delete', find: ' solide,' },
  { sectionId: 'decision', paragraph: 204, op: 'replace', find: 'orientations', text: 'orientations formulées' },
] as const;

let source: TestServer;
let target: TestServer;
let sourceHttp: ReturnType<typeof client>;
let targetHttp: ReturnType<typeof client>;
let created: AmendmentView[] = [];

function content(a: AmendmentView) {
  return {
    sectionId: a.sectionId,
    paragraphs: a.paragraphs,
    type: a.type,
    originalText: a.originalText,
    proposedText: a.proposedText,
    ownerKey: a.ownerKey,
  };
}

beforeAll(async () => {
  source = await startTestServer({ document: SEED });
  target = await startTestServer({ document: SEED });
  sourceHttp = client(source, await buildPeople(source));
  targetHttp = client(target, await buildPeople(target));
  const decision = SEED.sections.find((s) => s.id === 'decision');
  const last = decision?.paragraphs.at(-1) ?? 0;
  created = [];
  for (const form of FORMS) {
    created.push(
      await sourceHttp.table(DOC, 'workers', {
        ...form,
        paragraph: form.sectionId === 'decision' ? last : form.paragraph,
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await source.stop();
  await target.stop();
});

describe('round trip: export with tracked changes → import → the same amendments', () => {
  let file: Uint8Array;

  it('exports the seed with the amendments as revisions', async () => {
    const res = await sourceHttp.bytes(`/api/documents/${DOC}/export.docx?changes=tracked`, 'workers');
    expect(res.status).toBe(200);
    file = res.bytes;
    const found = revisions(openDocx(file).part('word/document.xml'));
    expect(found.length).toBe(6);
    expect(new Set(found.map((r) => r.author))).toEqual(new Set(['Groupe des travailleurs']));
  });

  it('imports it into a fresh copy of the document and tables the same amendments', async () => {
    const res = await targetHttp.raw('POST', `/api/documents/${DOC}/imports`, 'workers', Buffer.from(file), {
      'content-type': DOCX,
    });
    const preview = (await res.json()) as ImportPreview;
    expect(res.status, JSON.stringify(preview)).toBe(201);
    expect(preview.unplaced).toEqual([]);
    expect(preview.amendments).toHaveLength(FORMS.length);
    const tabled = (
      await targetHttp.json('POST', `/api/imports/${preview.id}/table`, 'workers', {
        amendments: preview.amendments.map((a) => a.id),
      })
    ).body as TableImportResult;
    expect(tabled.failed).toEqual([]);
    const list = (await targetHttp.json('GET', `/api/documents/${DOC}/amendments`, 'observer')).body as AmendmentView[];
    expect(list.map(content)).toEqual(created.map(content));
  });

  it('re-imported where they already are, every revision is recognised as already tabled', async () => {
    const res = await sourceHttp.raw('POST', `/api/documents/${DOC}/imports`, 'workers', Buffer.from(file), {
      'content-type': DOCX,
    });
    const preview = (await res.json()) as ImportPreview;
    expect(preview.amendments).toEqual([]);
    expect(preview.unplaced.map((u) => u.reason)).toEqual(
      created.map((a) => `Already tabled as ${a.ref} by the Workers' group.`),
    );
  });
});
