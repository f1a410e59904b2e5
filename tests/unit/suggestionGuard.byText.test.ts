import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sectionUpdateFromContent } from '../../server/commands/importDocument.js';
import { type Author, SuggestionGuard } from '../../server/collab/suggestionGuard.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { PMNode as PMJson } from '../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../../shared/suggestions.js';
import { seededRandom } from '../support/random.js';

/**
 * The guard judges a delegate's change of words text by text (without composing whole blocks). That
 * path must give exactly the whole-block verdict — accepted or refused, the same refusal, the same new,
 * touched and amended ids — for honest typing and for every kind of forgery, update after update.
 */

const rng = seededRandom;

const words = 'Le Bureau invite le Conseil à examiner les propositions relatives au programme et budget. ';
const para = (n: string, paragraphs: number): PMJson => ({
  type: 'numberedParagraph',
  attrs: { number: n },
  content: Array.from({ length: paragraphs }, () => ({
    type: 'paragraph',
    content: [{ type: 'text', text: words.repeat(2) }],
  })),
});

const people: Author[] = [
  { userId: 'u-fr1', ownerKey: 'government:France', direct: false },
  { userId: 'u-fr2', ownerKey: 'government:France', direct: false },
  { userId: 'u-za', ownerKey: 'government:ZA', alsoFor: ['region:AFRICA'], direct: false },
  { userId: 'u-wk', ownerKey: 'workers', direct: false },
  { userId: 'u-emp', ownerKey: 'employers', direct: false },
];

function textsOf(node: Y.XmlElement | Y.XmlText | Y.XmlFragment, out: Y.XmlText[] = []): Y.XmlText[] {
  if (node instanceof Y.XmlText) out.push(node);
  else for (const child of node.toArray()) textsOf(child as Y.XmlElement | Y.XmlText, out);
  return out;
}

/** The suggestion marks present in a text: ids with their attributes. */
function marksIn(text: Y.XmlText): SuggestionAttrs[] {
  const found: SuggestionAttrs[] = [];
  for (const op of text.toDelta() as { attributes?: Record<string, SuggestionAttrs> }[]) {
    for (const key of [SUGGEST_INSERT, SUGGEST_DELETE]) {
      const attrs = op.attributes?.[key];
      if (attrs) found.push(attrs);
    }
  }
  return found;
}

/** The character at `at` and its formatting, or null past the end. */
function runAt(text: Y.XmlText, at: number): { char: string; attributes: Record<string, unknown> } | null {
  let pos = 0;
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') {
      pos++;
      continue;
    }
    if (at < pos + op.insert.length) return { char: op.insert[at - pos] as string, attributes: op.attributes ?? {} };
    pos += op.insert.length;
  }
  return null;
}

describe('the guard judging words text by text', () => {
  it('gives the whole-block verdict and ids for honest and forged updates, after every update', {
    timeout: 120_000,
  }, () => {
    const random = rng(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const base = sectionUpdateFromContent({ type: 'doc', content: [para('1', 1), para('2', 4)] });
    const reference = new Y.Doc();
    const judged = new Y.Doc();
    Y.applyUpdate(reference, base);
    Y.applyUpdate(judged, base);
    const whole = new SuggestionGuard(reference, { wholeBlocks: true });
    const byText = new SuggestionGuard(judged);
    let id = 0;
    const fresh = () => `bytext${String(id++).padStart(6, '0')}`;
    let accepted = 0;
    let refused = 0;
    const kinds = new Set<string>();

    for (let step = 0; step < 1500; step++) {
      const who = pick(people);
      const other = pick(people.filter((p) => p.ownerKey !== who.ownerKey));
      const client = new Y.Doc();
      Y.applyUpdate(client, Y.encodeStateAsUpdate(reference));
      const before = Y.encodeStateVector(client);
      /** One edit of one text by `who`, honest or forged. */
      const edit = () => {
        const text = pick(textsOf(client.getXmlFragment(SECTION_FRAGMENT)));
        const length = text.length;
        const at = Math.floor(random() * (length + 1));
        const mine = marksIn(text).filter((m) => m.by === who.ownerKey);
        const theirs = marksIn(text).filter((m) => m.by !== who.ownerKey);
        const own = (markId = fresh()): SuggestionAttrs => ({ id: markId, by: who.ownerKey, author: who.userId });
        const move = random();
        if (move < 0.3) {
          // Honest: new words, or more words in one of one's own insertions (by id).
          const attrs = mine.length > 0 && random() < 0.6 ? pick(mine) : own();
          text.insert(at, 'mots', { [SUGGEST_INSERT]: attrs, [SUGGEST_DELETE]: null });
        } else if (move < 0.45) {
          // Honest: strike official words (a new amendment, or extending one's own).
          const n = 1 + Math.floor(random() * 6);
          text.format(Math.min(at, Math.max(0, length - n)), n, {
            [SUGGEST_DELETE]: mine.length > 0 && random() < 0.3 ? pick(mine) : own(),
          });
        } else if (move < 0.6) {
          // Deleting characters: one's own words (honest) or anyone's (forged when official or theirs).
          if (length > 0) text.delete(Math.min(at, length - 1), 1 + Math.floor(random() * 2));
        } else if (move < 0.7) {
          // Forged: words under another owner's amendment id, or in another's name.
          const attrs = theirs.length > 0 ? pick(theirs) : { id: fresh(), by: other.ownerKey, author: other.userId };
          text.insert(at, 'x', { [SUGGEST_INSERT]: attrs });
        } else if (move < 0.78) {
          // Forged: official words typed without a mark.
          text.insert(at, 'y');
        } else if (move < 0.82) {
          // Forged: a character deleted and typed again, identical (official words or another's held by new items).
          const run = runAt(text, at);
          if (run) {
            text.delete(at, 1);
            text.insert(at, run.char, run.attributes);
          }
        } else if (move < 0.86) {
          // Forged or honest: a strike over whatever is there (others' insertions included).
          if (length > 2) text.format(Math.min(at, length - 2), 2, { [SUGGEST_DELETE]: own() });
        } else if (move < 0.93) {
          // Forged: removing another owner's strike, or formatting official words.
          if (length > 3)
            text.format(Math.min(at, length - 3), 3, random() < 0.5 ? { [SUGGEST_DELETE]: null } : { bold: true });
        } else {
          // Honest: unmarking one's own strike.
          if (mine.length > 0 && length > 1) text.format(Math.min(at, length - 1), 1, { [SUGGEST_DELETE]: null });
        }
      };
      // Mostly one text; sometimes two texts (of one block or two) in one update.
      if (random() < 0.2)
        client.transact(() => {
          edit();
          edit();
        });
      else edit();
      const update = Y.encodeStateAsUpdate(client, before);
      const a = whole.judge(update, who);
      const b = byText.judge(update, who);
      const ids = (g: SuggestionGuard) => ({
        newIds: [...g.newIds].sort(),
        touched: g.touchedIds.map((t) => `${t.id}/${t.ownerKey}`).sort(),
        amended: [...g.amendedIds].sort(),
      });
      expect({ verdict: b, ...ids(byText) }, `step ${step}`).toEqual({ verdict: a, ...ids(whole) });
      if (a.ok) {
        Y.applyUpdate(reference, update);
        Y.applyUpdate(judged, update);
        accepted++;
      } else {
        refused++;
        kinds.add(a.kind);
      }
    }
    // The session exercised both outcomes and several kinds of refusal.
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });
  /** Both guards on identical docs: judges one edit (made on a client copy) with each, applied if the reference accepts. */
  function pairOf(texts: string[]) {
    const base = sectionUpdateFromContent({
      type: 'doc',
      content: [
        {
          type: 'numberedParagraph',
          attrs: { number: '1' },
          content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
        },
      ],
    });
    const reference = new Y.Doc();
    const judged = new Y.Doc();
    Y.applyUpdate(reference, base);
    Y.applyUpdate(judged, base);
    const whole = new SuggestionGuard(reference, { wholeBlocks: true });
    const byText = new SuggestionGuard(judged);
    const ids = (g: SuggestionGuard) => ({
      newIds: [...g.newIds].sort(),
      touched: g.touchedIds.map((t) => `${t.id}/${t.ownerKey}`).sort(),
      amended: [...g.amendedIds].sort(),
    });
    return (who: Author, edit: (texts: Y.XmlText[]) => void) => {
      const client = new Y.Doc();
      Y.applyUpdate(client, Y.encodeStateAsUpdate(reference));
      const before = Y.encodeStateVector(client);
      client.transact(() => edit(textsOf(client.getXmlFragment(SECTION_FRAGMENT))));
      const update = Y.encodeStateAsUpdate(client, before);
      const a = whole.judge(update, who);
      const expected = { verdict: a, ...ids(whole) };
      const b = byText.judge(update, who);
      const got = { verdict: b, ...ids(byText) };
      if (a.ok) {
        Y.applyUpdate(reference, update);
        Y.applyUpdate(judged, update);
      }
      return { expected, got };
    };
  }

  const za = people[2] as Author;
  const wk = people[3] as Author;

  it("refuses moving another owner's strike to another owner key its id already carries", () => {
    const step = pairOf(['Le Bureau invite le Conseil.']);
    const id = 'redteamx0001';
    // South Africa's delegate (also for region:AFRICA) strikes words under one id in both names.
    const setup = step(za, ([t]) => {
      t?.format(0, 3, { [SUGGEST_DELETE]: { id, by: 'government:ZA', author: 'u-za' } });
      t?.format(10, 6, { [SUGGEST_DELETE]: { id, by: 'region:AFRICA', author: 'u-za' } });
    });
    expect(setup.expected.verdict.ok).toBe(true);
    expect(setup.got).toEqual(setup.expected);
    // A workers' delegate re-marks South Africa's strike as region:AFRICA's: same id, author, words, place.
    const forged = step(wk, ([t]) => {
      t?.format(0, 3, { [SUGGEST_DELETE]: { id, by: 'region:AFRICA', author: 'u-za' } });
    });
    expect(forged.expected.verdict).toMatchObject({ ok: false, kind: 'others' });
    expect(forged.got).toEqual(forged.expected);
  });

  it("names the same owner key for a touched id that carries two of the sender's keys", () => {
    const step = pairOf(['Le Bureau invite le Conseil à examiner.']);
    const x = 'redteamx0002';
    const z = 'redteamz0002';
    const setup = step(za, ([t]) => {
      t?.format(0, 2, { [SUGGEST_DELETE]: { id: z, by: 'government:ZA', author: 'u-za' } });
      t?.format(3, 6, { [SUGGEST_DELETE]: { id: x, by: 'region:AFRICA', author: 'u-za' } });
      t?.format(17, 7, { [SUGGEST_DELETE]: { id: x, by: 'government:ZA', author: 'u-za' } });
    });
    expect(setup.expected.verdict.ok).toBe(true);
    expect(setup.got).toEqual(setup.expected);
    const edit = step(za, ([t]) => {
      t?.insert(10, 'mots', {
        [SUGGEST_INSERT]: { id: x, by: 'government:ZA', author: 'u-za' },
        [SUGGEST_DELETE]: null,
      });
    });
    expect(edit.expected.verdict.ok).toBe(true);
    expect(edit.got).toEqual(edit.expected);
  });
});
