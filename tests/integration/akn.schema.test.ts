import { execFile } from 'node:child_process';
import { DOMParser } from '@xmldom/xmldom';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { importGbDocument } from '../../seed/importer/index.js';
import { placeByForm } from '../../server/amendments/textEdits.js';
import { AKN_NS, renderAkn } from '../../server/exports/akn/akn.js';
import { amendmentRecord, exportSource, sectionDocs } from '../support/exportSource.js';

/**
 * The Akoma Ntoso export of the seed, with amendments of every kind (an insertion after words, a
 * replacement, a deletion, a sub-amendment, votes), validated against the OASIS schema by xmllint.
 * The schema must be in tests/schemas/akn (see its README: it is not shipped yet); without it, or
 * without xmllint, the test is skipped and says why.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const XSD = path.join(ROOT, 'tests/schemas/akn/akomantoso30.xsd');
const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((p) => existsSync(p)) ?? null;
const run = promisify(execFile);

const missing = !existsSync(XSD) ? 'the schema is not in tests/schemas/akn' : !XMLLINT ? 'xmllint is missing' : null;
if (missing) console.warn(`Akoma Ntoso schema validation skipped: ${missing}.`);

const dir = mkdtempSync(path.join(tmpdir(), 'concord-akn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seedExport(): string {
  const doc = importGbDocument(readFileSync(path.join(ROOT, 'seed/GB.346-PFA-1.fr.txt'), 'utf8'));
  const docs = sectionDocs(doc);
  const part = docs.get('part-2') as Y.Doc;
  const place = (id: string, by: string, form: { op: 'insert' | 'delete' | 'replace'; find: string; text?: string }) =>
    placeByForm(part, { paragraph: 14, ...form, attrs: { id, by, author: 'u1' } });
  place('aaaaaaaaaaaa', 'workers', { op: 'insert', find: 'une coalition mondiale', text: ' ouverte' });
  const at = Date.UTC(2026, 10, 20);
  const amendments = [
    amendmentRecord({
      id: 'aaaaaaaaaaaa',
      ref: 'A-1',
      sectionId: 'part-2',
      paragraphs: [14],
      proposedText: ' ouverte',
      rationale: 'Ouverture & clarté <voulues>.',
      votes: [{ ownerKey: 'government:South Africa', stance: 'support', byUserId: 'u2', byName: 'Thandi Nkosi', at }],
    }),
    amendmentRecord({
      id: 'bbbbbbbbbbbb',
      ref: 'A-2',
      sectionId: 'part-2',
      paragraphs: [14],
      type: 'replace',
      parentId: 'aaaaaaaaaaaa',
      originalText: 'ouverte',
      proposedText: 'ouverte à tous',
      ownerKey: 'employers',
      group: 'employers',
      form: { paragraph: 14, op: 'replace', find: 'ouverte', text: 'ouverte à tous', anchor: null },
    }),
    amendmentRecord({
      id: 'cccccccccccc',
      ref: 'A-3',
      sectionId: 'part-2',
      paragraphs: [15],
      type: 'delete',
      originalText: 'mondiale',
      status: 'rejected',
    }),
  ];
  return renderAkn(exportSource(doc, docs, { amendments }));
}

describe('the Akoma Ntoso file the schema test validates', () => {
  it('is well-formed and holds the three amendments, the sub-amendment numbered under its parent', () => {
    const dom = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(seedExport(), 'application/xml');
    const numbers = Array.from(dom.getElementsByTagNameNS(AKN_NS, 'docNumber')).map((n) => n.textContent);
    expect(numbers).toEqual(['GB.346/PFA/1', 'A-1', 'A-1/1', 'A-3']);
    const mods = Array.from(dom.getElementsByTagNameNS(AKN_NS, 'mod')).map((m) => m.textContent);
    expect(mods[0]).toMatch(/^Au paragraphe 14, après les mots .*une coalition mondiale, insérer {2}ouverte$/);
  });
});

describe.skipIf(missing !== null)('Akoma Ntoso against the OASIS schema', () => {
  it('validates the seed with amendments of every kind', async () => {
    const file = path.join(dir, 'seed.akn.xml');
    writeFileSync(file, seedExport());
    const result = await run(XMLLINT as string, ['--noout', '--nonet', '--schema', XSD, file]).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? 1, stderr: err.stderr ?? '' }),
    );
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`${file} validates`);
    expect(result.code).toBe(0);
  });
});
