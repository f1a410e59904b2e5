import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGbDocument } from '../../seed/importer/index.js';
import { type People, buildPeople, client } from '../support/exportFixtures.js';
import { type TestServer, startTestServer } from '../support/testServer.js';
import { screenshotDir } from '../support/screenshots.js';
import { SOFFICE, convertWithLibreOffice } from '../support/wordFixtures.js';

/**
 * The exported Word files open in LibreOffice (headless) and convert to PDF without error; the first
 * pages are rendered to PNG (docs/screenshots/ under `npm run screenshots`) to be checked by eye. Skipped where LibreOffice is
 * not installed (`apt-get install -y libreoffice-writer-nogui poppler-utils`; .ci/run does it).
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = screenshotDir();
const SEED = importGbDocument(readFileSync(path.join(ROOT, 'seed/GB.346-PFA-1.fr.txt'), 'utf8'));
const DOC = SEED.id;
const PDFTOPPM = existsSync('/usr/bin/pdftoppm') ? '/usr/bin/pdftoppm' : null;
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p)) ?? null;

let server: TestServer;
let http: ReturnType<typeof client>;
let people: People;
let dir: string;
const tabled: { id: string; ref: string }[] = [];
let subAmendment: { ref: string } | undefined;

async function pages(pdf: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [pdf]);
  return Number(/Pages:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
}

/** Renders the first pages of a PDF to <screenshots>/<name>-<n>.png. */
async function screenshot(pdf: string, name: string, last: number): Promise<string[]> {
  if (!PDFTOPPM) return [];
  const prefix = path.join(dir, name);
  await run(PDFTOPPM, ['-png', '-r', '60', '-f', '1', '-l', String(last), pdf, prefix]);
  mkdirSync(SHOTS, { recursive: true });
  const out: string[] = [];
  for (let n = 1; n <= last; n++) {
    const candidates = [`${prefix}-${n}.png`, `${prefix}-0${n}.png`, `${prefix}-00${n}.png`];
    const found = candidates.find((c) => existsSync(c));
    if (!found) continue;
    const target = path.join(SHOTS, `${name}-${n}.png`);
    copyFileSync(found, target);
    out.push(target);
  }
  return out;
}

beforeAll(async () => {
  if (!SOFFICE) return;
  dir = mkdtempSync(path.join(tmpdir(), 'concord-pdf-'));
  server = await startTestServer({ document: SEED });
  people = await buildPeople(server);
  http = client(server, people);
  tabled.push(
    await http.table(DOC, 'workers', {
      sectionId: 'part-1',
      paragraph: 1,
      op: 'replace',
      find: 'hausse de la pauvreté',
      text: 'augmentation de la pauvreté',
      rationale: 'Terme plus précis.',
    }),
  );
  tabled.push(
    await http.table(DOC, 'southAfrica', {
      sectionId: 'part-1',
      paragraph: 2,
      op: 'insert',
      find: 'programme de travail proposé',
      text: ' et chiffré',
      rationale: 'Le coût doit être connu.',
    }),
  );
  tabled.push(
    await http.table(DOC, 'employers', {
      sectionId: 'part-1',
      paragraph: 1,
      op: 'delete',
      find: ', forte de son mandat constitutionnel,',
    }),
  );
  // France sub-amends South Africa's insertion: a reply under its note, with its own reference.
  subAmendment = await http.table(DOC, 'france', {
    parentId: tabled[1]?.id,
    op: 'replace',
    find: 'chiffré',
    text: 'budgétisé',
    rationale: 'Le mot du budget.',
  });
}, 60_000);

/** The seed's two footnotes, and words of the paragraph that carries each marker. */
const FOOTNOTES = [
  { text: 'Voir aussi GB.346/INS/17/1.', paragraph: 'former une coalition mondiale pour la justice sociale' },
  { text: 'Brésil, Fédération de Russie, Inde, Chine et Afrique du Sud.', paragraph: 'le G7, le G20 et les BRICS' },
];

/** The PDF's pages as text, whitespace collapsed (a phrase may wrap across lines). */
async function pdfPages(pdf: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\f').map((page) => page.replace(/\s+/g, ' '));
}

/** Both footnotes' texts appear once in the file, each on the page of its paragraph. */
async function expectFootnotesInPlace(file: string): Promise<void> {
  const pagesText = await pdfPages(await convertWithLibreOffice(file, 'pdf', dir));
  const whole = pagesText.join(' ');
  for (const note of FOOTNOTES) {
    expect(whole.split(note.text).length - 1, `${note.text} in ${path.basename(file)}`).toBe(1);
    const notePage = pagesText.findIndex((p) => p.includes(note.text));
    const paragraphPage = pagesText.findIndex((p) => p.includes(note.paragraph));
    expect(paragraphPage).toBeGreaterThanOrEqual(0);
    expect(notePage, `page of "${note.text}" in ${path.basename(file)}`).toBe(paragraphPage);
  }
}

async function addComments(count: number, from: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    // Spread over the paragraphs of parts I and II, where both footnotes stand (paragraph 14 has the first).
    const paragraph = 1 + (i % 20);
    const res = await http.json('POST', `/api/documents/${DOC}/threads`, 'office', {
      sectionId: paragraph <= 2 ? 'part-1' : 'part-2',
      paragraph,
      body: `Le Bureau précisera le calendrier (${i + 1}).`,
    });
    expect(res.status).toBe(201);
  }
}

describe.skipIf(!SOFFICE)('amendments in LibreOffice', () => {
  it('shows, for each amendment of the tracked export, its reference, sponsor and rationale', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=tracked`, 'observer');
    const file = path.join(dir, 'notes.docx');
    writeFileSync(file, res.bytes);
    // LibreOffice's own reading of the file, saved as OpenDocument: its comments are office:annotation.
    const odt = unzipSync(readFileSync(await convertWithLibreOffice(file, 'odt', dir)));
    const content = strFromU8(odt['content.xml'] as Uint8Array).replace(/<[^>]+>/g, ' ');
    const [workers, southAfrica, employers] = tabled.map((a) => a.ref);
    expect(content).toContain(`${workers} — Groupe des travailleurs — Justification : Terme plus précis.`);
    expect(content).toContain(`${southAfrica} — Afrique du Sud — Justification : Le coût doit être connu.`);
    expect(content).toContain(`${employers} — Groupe des employeurs — Justification : —`);
    expect(content).toContain(`${southAfrica}/1 (${subAmendment?.ref}) — France — Sous-amendement à ${southAfrica}`);
    expect(content).toMatch(/Propose : «\s+et budgétisé »/);
  }, 240_000);
});

describe.skipIf(!SOFFICE)('footnotes in LibreOffice, whatever the number of comments', () => {
  let comments = 0;
  for (const wanted of [0, 1, 50]) {
    it(`tracked and clean exports with ${wanted} comment(s): each footnote once, on its paragraph's page`, async () => {
      await addComments(wanted - comments, comments);
      comments = wanted;
      for (const changes of ['tracked', 'clean']) {
        const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=${changes}`, 'office');
        expect(res.status).toBe(200);
        const file = path.join(dir, `footnotes-${changes}-${wanted}.docx`);
        writeFileSync(file, res.bytes);
        await expectFootnotesInPlace(file);
      }
    }, 240_000);
  }
});

afterAll(async () => {
  if (!SOFFICE) return;
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!SOFFICE)('LibreOffice headless opens the exports', () => {
  it('converts the tracked-changes DOCX of the seed document to PDF', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/export.docx?changes=tracked`, 'office');
    const file = path.join(dir, 'export.docx');
    writeFileSync(file, res.bytes);
    const pdf = await convertWithLibreOffice(file, 'pdf', dir);
    expect(statSync(pdf).size).toBeGreaterThan(50_000);
    expect(await pages(pdf)).toBeGreaterThan(20);
    const shots = await screenshot(pdf, 'export-docx', 2);
    if (PDFTOPPM) expect(shots).toHaveLength(2);
  }, 180_000);

  it('converts the compilation DOCX to PDF', async () => {
    const res = await http.bytes(`/api/documents/${DOC}/compilation.docx`, 'observer');
    const file = path.join(dir, 'compilation.docx');
    writeFileSync(file, res.bytes);
    const pdf = await convertWithLibreOffice(file, 'pdf', dir);
    expect(await pages(pdf)).toBeGreaterThanOrEqual(1);
    await screenshot(pdf, 'compilation-docx', 1);
  }, 180_000);

  it.skipIf(!CHROMIUM)(
    'prints the compilation HTML page to PDF from a browser',
    async () => {
      const res = await http.raw('GET', `/api/documents/${DOC}/compilation.html`, 'observer');
      const file = path.join(dir, 'compilation.html');
      writeFileSync(file, await res.text());
      const pdf = path.join(dir, 'compilation-html.pdf');
      await run(
        CHROMIUM as string,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          `--user-data-dir=${path.join(dir, 'chromium')}`,
          '--no-pdf-header-footer',
          `--print-to-pdf=${pdf}`,
          `file://${file}`,
        ],
        { timeout: 120_000 },
      );
      expect(await pages(pdf)).toBeGreaterThanOrEqual(2);
      // The cover and the first amendments, then the pages after (a sub-amendment nested under its parent,
      // the index): how a delegate receives it.
      await screenshot(pdf, 'compilation-html', 3);
    },
    180_000,
  );
});
