import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGbDocument } from '../../seed/importer/index.js';
import { openDocx, textOf } from '../support/docx.js';
import { type People, buildPeople, client } from '../support/exportFixtures.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

/**
 * The seed document read back through the API and every export: the figure as printed (its labels
 * "GOUVERNANCE", "Catalyseurs proposés", "Résultats stratégiques proposés"), and nothing the document
 * does not say (no heading "Fondements", no note about a "rendu structuré").
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEED = importGbDocument(readFileSync(path.join(ROOT, 'seed/GB.346-PFA-1.fr.txt'), 'utf8'));
const DOC = SEED.id;
const INVENTED = /Fondements|Rendu structuré|reconstitué à partir/;
const PRINTED = ['GOUVERNANCE', 'EMPLOIS', 'COHÉRENCE', 'Catalyseurs proposés', 'Résultats stratégiques proposés'];

let server: TestServer;
let people: People;
let http: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startTestServer({ document: SEED });
  people = await buildPeople(server);
  http = client(server, people);
  await http.table(DOC, 'workers', {
    sectionId: 'part-2',
    paragraph: 14,
    op: 'insert',
    find: 'une coalition mondiale',
    text: ' ouverte',
    rationale: 'Ouverture.',
  });
}, 60_000);

afterAll(async () => {
  await server.stop();
});

describe('the seed through the API and the exports', () => {
  it('keeps the figure as printed and invents nothing, in the API, Word (tracked and clean), the compilation and AKN', async () => {
    const api = await http.raw('GET', `/api/documents/${DOC}/sections/part-2`, 'observer');
    expect(api.status).toBe(200);
    const apiText = await api.text();
    for (const label of PRINTED) expect(apiText).toContain(label);
    const docx = async (query: string) =>
      textOf(
        openDocx((await http.bytes(`/api/documents/${DOC}/export.docx?${query}`, 'office')).bytes).part(
          'word/document.xml',
        ),
      );
    const texts = {
      api: apiText,
      tracked: await docx('changes=tracked'),
      clean: await docx('changes=clean'),
      akn: await (await http.raw('GET', `/api/documents/${DOC}/akn.xml`, 'observer')).text(),
      compilation: await (await http.raw('GET', `/api/documents/${DOC}/compilation.html`, 'observer')).text(),
      compilationDocx: textOf(
        openDocx((await http.bytes(`/api/documents/${DOC}/compilation.docx`, 'observer')).bytes).part(
          'word/document.xml',
        ),
      ),
    };
    for (const [name, text] of Object.entries(texts)) expect(text, name).not.toMatch(INVENTED);
    for (const name of ['tracked', 'clean', 'akn'] as const) {
      for (const label of PRINTED) expect(texts[name], `${label} in ${name}`).toContain(label);
    }
  }, 60_000);
});
