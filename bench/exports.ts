/**
 * Export benchmark: the full seed document (GB.346/PFA/1, 204 numbered paragraphs) with 300 pending
 * amendments by form, spread over the paragraphs and the groups, exported end to end over HTTP (request →
 * file received) in every form: Word with tracked changes, for circulation and clean, the compilation
 * (DOCX and HTML), Akoma Ntoso. Prints one JSON line per export.
 *
 *   npx tsx bench/exports.ts [--amendments 300] [--runs 7]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { importGbDocument } from '../seed/importer/index.js';
import type { PMNode } from '../shared/schema/index.js';
import { buildPeople, client } from '../tests/support/exportFixtures.js';
import { startTestServer } from '../tests/support/testServer.js';

const { values } = parseArgs({
  options: { amendments: { type: 'string', default: '300' }, runs: { type: 'string', default: '7' } },
});
const AMENDMENTS = Number(values.amendments);
const RUNS = Number(values.runs);

const seed = importGbDocument(readFileSync(path.resolve(import.meta.dirname, '../seed/GB.346-PFA-1.fr.txt'), 'utf8'));

/** The first text block of every numbered paragraph, with its section. */
function paragraphs(): { sectionId: string; number: number; text: string }[] {
  const out: { sectionId: string; number: number; text: string }[] = [];
  const textOf = (node: PMNode): string =>
    node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(textOf).join('');
  for (const section of seed.sections) {
    for (const node of section.content.content ?? []) {
      if (node.type !== 'numberedParagraph') continue;
      const first = node.content?.[0];
      if (first?.type === 'paragraph')
        out.push({ sectionId: section.id, number: Number(node.attrs?.number), text: textOf(first) });
    }
  }
  return out;
}

/** Words [from, from + count) of a text, if they occur exactly once in it. */
function uniqueWords(text: string, from: number, count: number): string | null {
  const words = text.split(' ');
  if (words.length < from + count + 1) return null;
  const find = words.slice(from, from + count).join(' ');
  if (!find.trim() || text.indexOf(find) !== text.lastIndexOf(find)) return null;
  return find;
}

const server = await startTestServer({ document: seed });
const people = await buildPeople(server);
const http = client(server, people);
const owners = ['workers', 'employers', 'france', 'southAfrica'];
const ops = ['insert', 'replace', 'delete'] as const;
const targets = paragraphs();
let tabled = 0;
const started = performance.now();
for (let round = 0; tabled < AMENDMENTS && round < 6; round++) {
  for (const p of targets) {
    if (tabled >= AMENDMENTS) break;
    const find = uniqueWords(p.text, round * 7 + 1, 3);
    if (!find) continue;
    const op = ops[tabled % ops.length] ?? 'insert';
    await http.table(seed.id, owners[tabled % owners.length] ?? 'workers', {
      sectionId: p.sectionId,
      paragraph: p.number,
      op,
      find,
      ...(op === 'delete' ? {} : { text: op === 'insert' ? ' (modifié)' : `${find} révisé` }),
      rationale: `Amendement de mesure ${tabled + 1}.`,
    });
    tabled++;
  }
}
const seedingMs = performance.now() - started;

const EXPORTS = [
  'export.docx?changes=tracked',
  'export.docx?changes=tracked&comments=public',
  'export.docx?changes=clean',
  'compilation.docx',
  'compilation.html',
  'akn.xml',
];
const results: { path: string; times: number[]; bytes: number }[] = [];
for (const exportPath of EXPORTS) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await http.raw('GET', `/api/documents/${seed.id}/${exportPath}`, 'office');
    const body = new Uint8Array(await res.arrayBuffer());
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`export ${exportPath} failed: ${res.status}`);
    bytes = body.byteLength;
  }
  results.push({ path: exportPath, times, bytes });
}
await server.stop();
const round1 = (n: number) => Math.round(n * 10) / 10;
for (const { path: exportPath, times, bytes } of results) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: exportPath,
      document: seed.symbol,
      paragraphs: targets.length,
      amendments: tabled,
      runs: RUNS,
      firstMs: round1(times[0] ?? 0),
      medianMs: round1(sorted[Math.floor(sorted.length / 2)] ?? 0),
      maxMs: round1(sorted.at(-1) ?? 0),
      bytes,
      seedingMs: Math.round(seedingMs),
      node: process.version,
    }),
  );
}
