import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type BlockProjection, TextProjections, projectBlock } from '../../server/collab/projection.js';
import { sectionUpdateFromContent } from '../../server/commands/importDocument.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { PMNode as PMJson } from '../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { seededRandom } from '../support/random.js';

const rng = seededRandom;

const words = 'Le Bureau invite le Conseil à examiner les propositions relatives au programme et budget. ';
const para = (n: string, paragraphs: number): PMJson => ({
  type: 'numberedParagraph',
  attrs: { number: n },
  content: Array.from({ length: paragraphs }, () => ({
    type: 'paragraph',
    content: [{ type: 'text', text: words.repeat(4) }],
  })),
});

/** Everything the guard compares, as one string. */
function fingerprint(p: BlockProjection): string {
  return JSON.stringify({
    official: p.official,
    owners: [...p.owners],
    refs: p.refs.map((r) => `${r.id}|${r.by}|${r.author}`),
    spans: p.spans.map((s) => [s.kind, s.ref.id, s.ref.by, s.ref.author, s.at, s.len]),
    shape: p.shape,
    content: [...p.content],
    problem: p.problem,
    byId: [...p.byId],
    crossings: [...p.crossings.keys()],
  });
}

function textsOf(node: Y.XmlElement | Y.XmlText, out: Y.XmlText[] = []): Y.XmlText[] {
  if (node instanceof Y.XmlText) out.push(node);
  else for (const child of node.toArray()) textsOf(child as Y.XmlElement | Y.XmlText, out);
  return out;
}

describe('incremental projection', () => {
  it('reusing unchanged texts and chunks gives the projection of a fresh walk, after every change', {
    timeout: 120_000,
  }, () => {
    const random = rng(9);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, sectionUpdateFromContent({ type: 'doc', content: [para('1', 1), para('2', 3)] }));
    const blocks = doc.getXmlFragment(SECTION_FRAGMENT).toArray() as Y.XmlElement[];
    const texts = blocks.flatMap((b) => textsOf(b));
    const owners = ['workers', 'employers', 'government:France'];
    const cache = new TextProjections();
    // What the guard does: forget the texts each transaction changed (their chunks are kept).
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const type of tr.changed.keys()) if (type instanceof Y.XmlText) cache.forget(type);
    });
    let ids = 0;
    const live: { id: string; by: string }[] = [];
    for (let step = 0; step < 400; step++) {
      const text = pick(texts);
      const at = Math.floor(random() * text.length);
      const by = pick(owners);
      const roll = random();
      if (roll < 0.35 && live.length > 0) {
        // Typing inside or next to an existing insertion: long runs of one mark, many items.
        const s = pick(live);
        text.insert(at, 'abc'.slice(0, 1 + Math.floor(random() * 3)), {
          [SUGGEST_INSERT]: { id: s.id, by: s.by, author: `u-${s.by}` },
        });
      } else if (roll < 0.55) {
        const s = { id: `inc${String(ids++).padStart(6, '0')}`, by };
        live.push(s);
        text.insert(at, ' mots', { [SUGGEST_INSERT]: { id: s.id, by, author: `u-${by}` } });
      } else if (roll < 0.7) {
        const len = Math.min(1 + Math.floor(random() * 3), text.length - at);
        if (len > 0) text.delete(at, len);
      } else if (roll < 0.85) {
        const len = Math.min(1 + Math.floor(random() * 12), text.length - at);
        const id = `inc${String(ids++).padStart(6, '0')}`;
        if (len > 0) text.format(at, len, { [SUGGEST_DELETE]: { id, by, author: `u-${by}` } });
      } else if (roll < 0.95) {
        const len = Math.min(1 + Math.floor(random() * 8), text.length - at);
        if (len > 0) text.format(at, len, { [SUGGEST_DELETE]: null, [SUGGEST_INSERT]: null });
      } else {
        const len = Math.min(1 + Math.floor(random() * 5), text.length - at);
        if (len > 0) text.format(at, len, { bold: random() < 0.5 ? {} : null });
      }
      for (const block of blocks) {
        expect(fingerprint(projectBlock(block, cache)), `step ${step}`).toBe(fingerprint(projectBlock(block)));
      }
    }
  });
});
