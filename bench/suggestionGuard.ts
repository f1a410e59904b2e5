/**
 * What server-enforced suggestions cost per update: `npx tsx bench/suggestionGuard.ts` prints one JSON
 * line. A real section (Produit 1.1 of the seed) gets 2,000 edits of history from 6 delegates through
 * TipTap's own Yjs write path, keeping about 24 live suggestions; then a stream of typical delegate
 * updates is applied to a server-side document, once without checks and once judged by the guard.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { importGbDocument } from '../seed/importer/index.js';
import { sectionUpdateFromContent } from '../server/commands/importDocument.js';
import { type Author, SuggestionGuard } from '../server/collab/suggestionGuard.js';
import { SECTION_FRAGMENT } from '../shared/limits.js';
import { documentSchema } from '../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../shared/suggestions.js';
import { seededRandom } from '../tests/support/random.js';

const SECTION_ID = 'output-1-1';
const HISTORY_EDITS = 2000;
const STREAM_UPDATES = 2000;
const TARGET_LIVE = 24;
const ROUNDS = 3;

const schema = documentSchema();
const delegates: Author[] = [
  'government:France',
  'government:Brazil',
  'government:Kenya',
  'employers',
  'workers',
  'government:Japan',
].map((ownerKey, i) => ({ userId: `delegate-${i}`, ownerKey, direct: false }));

const rng = seededRandom;
const random = rng(346);
const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)];

interface CharInfo {
  pos: number;
  insert: SuggestionAttrs | null;
  del: SuggestionAttrs | null;
}

function charsOf(doc: PMNode): CharInfo[] {
  const chars: CharInfo[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const ins = node.marks.find((m) => m.type.name === SUGGEST_INSERT)?.attrs as SuggestionAttrs | undefined;
    const del = node.marks.find((m) => m.type.name === SUGGEST_DELETE)?.attrs as SuggestionAttrs | undefined;
    for (let i = 0; i < (node.text?.length ?? 0); i++)
      chars.push({ pos: pos + i, insert: ins ?? null, del: del ?? null });
    return false;
  });
  return chars;
}

const mark = (name: string, attrs: SuggestionAttrs) => schema.marks[name]?.create(attrs) as Mark;
let idCounter = 0;

/**
 * One honest edit by `who`, as a suggestion-mode editor makes it; `typical` restricts to the small
 * edits that make up most traffic. Returns false when nothing fitting was found.
 */
function honestEdit(tr: Transform, doc: PMNode, who: Author, typical: boolean): boolean {
  const chars = charsOf(doc);
  const mine = (a: SuggestionAttrs | null) => a !== null && a.by === who.ownerKey;
  const theirs = (a: SuggestionAttrs | null) => a !== null && a.by !== who.ownerKey;
  const live = new Set(chars.flatMap((c) => [c.insert?.id, c.del?.id]).filter(Boolean)).size;
  const kinds = typical
    ? ['type', 'type', 'backspace', 'mark-deleted']
    : live < TARGET_LIVE
      ? ['new-insert', 'new-delete', 'type', 'type', 'backspace']
      : ['type', 'backspace', 'backspace', 'unmark', 'type'];
  const kind = pick(kinds);
  const attrs = (id = `bench${String(idCounter++).padStart(7, '0')}`): SuggestionAttrs => ({
    id,
    by: who.ownerKey,
    author: who.userId,
  });
  const official = chars.filter((c) => c.insert === null && !theirs(c.del));
  if (kind === 'new-insert') {
    const at = pick(official);
    if (!at) return false;
    tr.insert(at.pos, schema.text(' nouveaux mots', [mark(SUGGEST_INSERT, attrs())]));
    return true;
  }
  if (kind === 'type') {
    const at = pick(chars.filter((c) => mine(c.insert)));
    if (!at?.insert) return false;
    tr.insert(at.pos, schema.text('abc'.slice(0, 1 + Math.floor(random() * 3)), [mark(SUGGEST_INSERT, at.insert)]));
    return true;
  }
  if (kind === 'backspace') {
    const at = pick(chars.filter((c) => mine(c.insert)));
    if (!at) return false;
    tr.delete(at.pos, at.pos + 1);
    return true;
  }
  if (kind === 'new-delete' || kind === 'mark-deleted') {
    const free = official.filter((c) => c.del === null);
    const at = pick(free);
    if (!at) return false;
    let end = at.pos + 1;
    while (end < at.pos + 30 && free.some((c) => c.pos === end)) end++;
    const own = chars.find((c) => mine(c.del))?.del;
    tr.addMark(at.pos, end, mark(SUGGEST_DELETE, kind === 'mark-deleted' && own ? own : attrs()));
    return true;
  }
  const at = pick(chars.filter((c) => mine(c.del)));
  if (!at?.del) return false;
  tr.removeMark(at.pos, at.pos + 1, mark(SUGGEST_DELETE, at.del));
  return true;
}

/** Runs an honest edit on `client` through y-tiptap and returns the update it produced (or null). */
function edit(client: Y.Doc, who: Author, typical: boolean): Uint8Array | null {
  const fragment = client.getXmlFragment(SECTION_FRAGMENT);
  const { doc, meta } = initProseMirrorDoc(fragment, schema);
  const tr = new Transform(doc);
  if (!honestEdit(tr, doc, who, typical)) return null;
  // What a provider sends: the transaction's own update, not a diff carrying the whole delete set.
  const sent: Uint8Array[] = [];
  const collect = (update: Uint8Array) => sent.push(update);
  client.on('update', collect);
  client.transact(() => updateYFragment(client, fragment, tr.doc, meta));
  client.off('update', collect);
  return sent.length > 0 ? Y.mergeUpdates(sent) : null;
}

function stats(samples: number[]): { medianUs: number; p99Us: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { medianUs: Math.round(at(0.5) * 10) / 10, p99Us: Math.round(at(0.99) * 10) / 10 };
}

// 1. The section and its history, each delegate on their own Y.Doc.
const seed = importGbDocument(
  readFileSync(fileURLToPath(new URL('../seed/GB.346-PFA-1.fr.txt', import.meta.url)), 'utf8'),
);
const section = seed.sections.find((s) => s.id === SECTION_ID);
if (!section) throw new Error(`no section ${SECTION_ID} in the seed`);
const base = sectionUpdateFromContent(section.content);
const clients = delegates.map(() => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  return doc;
});
let made = 0;
while (made < HISTORY_EDITS) {
  const i = Math.floor(random() * delegates.length);
  const update = edit(clients[i] as Y.Doc, delegates[i] as Author, false);
  if (!update) continue;
  for (const other of clients) if (other !== clients[i]) Y.applyUpdate(other, update);
  made++;
}
const history = Y.encodeStateAsUpdate(clients[0] as Y.Doc);

// 2. A stream of typical updates, in order, from the delegates' clients.
const stream: { update: Uint8Array; who: Author }[] = [];
while (stream.length < STREAM_UPDATES) {
  const i = Math.floor(random() * delegates.length);
  const update = edit(clients[i] as Y.Doc, delegates[i] as Author, true);
  if (!update) continue;
  for (const other of clients) if (other !== clients[i]) Y.applyUpdate(other, update);
  stream.push({ update, who: delegates[i] as Author });
}

// 3. Server side: apply only, then guard + apply, each on a fresh copy of the history.
function serverDoc(): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, history);
  return doc;
}
let applyOnly: number[] = [];
let guarded: number[] = [];
let refusedHonest = 0;
for (let round = 0; round < ROUNDS; round++) {
  const plain = serverDoc();
  applyOnly = stream.map(({ update }) => {
    const t0 = performance.now();
    Y.applyUpdate(plain, update);
    return (performance.now() - t0) * 1000;
  });
  const judged = serverDoc();
  const guard = new SuggestionGuard(judged);
  guard.judge(new Uint8Array([0, 0]), delegates[0] as Author); // builds the shadow outside the measurement
  refusedHonest = 0;
  guarded = stream.map(({ update, who }) => {
    const t0 = performance.now();
    const verdict = guard.judge(update, who);
    if (verdict.ok) Y.applyUpdate(judged, update);
    else refusedHonest++;
    return (performance.now() - t0) * 1000;
  });
}

// 4. What a refusal costs: the shadow is rebuilt from the real document.
const real = serverDoc();
const guard = new SuggestionGuard(real);
guard.judge(new Uint8Array([0, 0]), delegates[0] as Author);
const rebuilds: number[] = [];
for (let i = 0; i < 20; i++) {
  const liar = new Y.Doc();
  Y.applyUpdate(liar, history);
  const before = Y.encodeStateVector(liar);
  const text = liar
    .getXmlFragment(SECTION_FRAGMENT)
    .createTreeWalker((n) => n instanceof Y.XmlText)
    .next().value as Y.XmlText;
  text.insert(0, 'X');
  const update = Y.encodeStateAsUpdate(liar, before);
  const t0 = performance.now();
  guard.judge(update, delegates[1] as Author);
  guard.judge(new Uint8Array([0, 0]), delegates[1] as Author);
  rebuilds.push(performance.now() - t0);
}

const finalChars = charsOf(initProseMirrorDoc(real.getXmlFragment(SECTION_FRAGMENT), schema).doc);
const structs = [...real.store.clients.values()].reduce((n, list) => n + list.length, 0);
const sizes = stream.map((s) => s.update.length).sort((a, b) => a - b);
const a = stats(applyOnly);
const g = stats(guarded);
console.log(
  JSON.stringify({
    bench: 'suggestionGuard',
    section: SECTION_ID,
    officialChars: finalChars.filter((c) => c.insert === null).length,
    topLevelBlocks: real.getXmlFragment(SECTION_FRAGMENT).length,
    delegates: delegates.length,
    historyEdits: HISTORY_EDITS,
    liveSuggestions: new Set(finalChars.flatMap((c) => [c.insert?.id, c.del?.id]).filter(Boolean)).size,
    structs,
    historyBytes: history.length,
    updates: stream.length,
    medianUpdateBytes: sizes[Math.floor(sizes.length / 2)],
    honestRefused: refusedHonest,
    applyOnly: a,
    guardAndApply: g,
    overhead: {
      medianUs: Math.round((g.medianUs - a.medianUs) * 10) / 10,
      p99Us: Math.round((g.p99Us - a.p99Us) * 10) / 10,
    },
    refusalRebuildMs: {
      median: Math.round(stats(rebuilds).medianUs * 10) / 10,
      p99: Math.round(stats(rebuilds).p99Us * 10) / 10,
    },
  }),
);
