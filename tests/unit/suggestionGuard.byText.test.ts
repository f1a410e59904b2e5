import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type Author,
  MAX_SUGGESTION_CHARS_PER_BLOCK,
  SERVER_AUTHOR,
  SuggestionGuard,
  speaksAs,
} from '../../server/collab/suggestionGuard.js';
import { sectionUpdateFromContent } from '../../server/commands/importDocument.js';
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

/** For the session: two South African delegates and a Nigerian one (all also for region:AFRICA), the Office. */
const sessionPeople: Author[] = [
  ...people,
  { userId: 'u-za2', ownerKey: 'government:ZA', alsoFor: ['region:AFRICA'], direct: false },
  { userId: 'u-ng', ownerKey: 'government:NG', alsoFor: ['region:AFRICA'], direct: false },
];
const office: Author = { userId: 'u-office', ownerKey: 'office', direct: true };
/** Whether two authors share any key (then neither is the other's "other owner"). */
const sameOwnerKeys = (a: Author, b: Author) => [a.ownerKey, ...(a.alsoFor ?? [])].some((k) => speaksAs(b, k));

/** The top-level block holding a node. */
function blockOf(node: Y.XmlText | Y.XmlElement): Y.XmlElement | undefined {
  let n: Y.XmlText | Y.XmlElement = node;
  for (;;) {
    const parent = n._item?.parent;
    if (!(parent instanceof Y.XmlFragment)) return undefined;
    if (!(parent instanceof Y.XmlElement)) return n as Y.XmlElement;
    n = parent;
  }
}

describe('the guard judging words text by text', () => {
  /** Every key `who` may write under, in the spellings marks carry (a government's legacy name too). */
  const keysFor = (who: Author): string[] => {
    const keys = [who.ownerKey, ...(who.alsoFor ?? [])];
    if (who.ownerKey === 'government:ZA') keys.push('government:South Africa');
    if (who.ownerKey === 'government:NG') keys.push('government:Nigeria');
    return keys;
  };

  /** The runs of a text with their place and formatting (an embed counts one). */
  function runsOf(text: Y.XmlText): { at: number; len: number; attributes: Record<string, unknown> }[] {
    const out: { at: number; len: number; attributes: Record<string, unknown> }[] = [];
    let pos = 0;
    for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      out.push({ at: pos, len, attributes: op.attributes ?? {} });
      pos += len;
    }
    return out;
  }

  /**
   * A random session of delegates (several speaking for several keys, legacy spellings included), the
   * Office typing directly, the server's own changes (judged as SERVER_AUTHOR, or made and absorbed), and
   * structural changes (Enter, blocks deleted, attributes): both guards must agree after every update.
   */
  function session(seed: number, steps: number) {
    const random = rng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const base = sectionUpdateFromContent({ type: 'doc', content: [para('1', 1), para('2', 3), para('3', 2)] });
    const reference = new Y.Doc();
    const judged = new Y.Doc();
    Y.applyUpdate(reference, base);
    Y.applyUpdate(judged, base);
    const whole = new SuggestionGuard(reference, { wholeBlocks: true });
    const byText = new SuggestionGuard(judged);
    let id = 0;
    const fresh = () => `bytext${String(seed).padStart(3, '0')}${String(id++).padStart(6, '0')}`;
    let accepted = 0;
    let refused = 0;
    let absorbed = 0;
    const kinds = new Set<string>();
    const ids = (g: SuggestionGuard) => ({
      newIds: [...g.newIds].sort(),
      touched: g.touchedIds.map((t) => `${t.id}/${t.ownerKey}`).sort(),
      amended: [...g.amendedIds].sort(),
    });
    const delegates = sessionPeople.filter((p) => !p.direct);

    for (let step = 0; step < steps; step++) {
      const client = new Y.Doc();
      Y.applyUpdate(client, Y.encodeStateAsUpdate(reference));
      const before = Y.encodeStateVector(client);
      const root = client.getXmlFragment(SECTION_FRAGMENT);
      const blocks = () => root.toArray().filter((b): b is Y.XmlElement => b instanceof Y.XmlElement);
      const paragraphsOf = (block: Y.XmlElement) =>
        block.toArray().filter((p): p is Y.XmlElement => p instanceof Y.XmlElement && p.nodeName === 'paragraph');
      const serverTurn = random() < 0.08;
      const who = serverTurn ? SERVER_AUTHOR : random() < 0.04 ? office : pick(delegates);
      const other = pick(delegates.filter((p) => !sameOwnerKeys(p, who)));
      let label = '';

      /** One edit of one text by `who`, honest or forged; `avoid`: a block to edit another than. */
      const edit = (avoid?: Y.XmlElement): Y.XmlElement | undefined => {
        let candidates = textsOf(root);
        if (avoid) {
          const elsewhere = candidates.filter((t) => blockOf(t) !== avoid);
          if (elsewhere.length > 0) candidates = elsewhere;
        }
        const text = pick(candidates);
        const length = text.length;
        const at = Math.floor(random() * (length + 1));
        const all = marksIn(text);
        const mine = all.filter((m) => speaksAs(who, m.by) && m.author === who.userId);
        const theirs = all.filter((m) => !speaksAs(who, m.by));
        const own = (markId = fresh()): SuggestionAttrs => ({ id: markId, by: pick(keysFor(who)), author: who.userId });
        const move = random();
        label += ` ${move.toFixed(3)}`;
        if (move < 0.22) {
          // Honest: new words, or more words in one of one's own insertions (by id).
          const attrs = mine.length > 0 && random() < 0.6 ? pick(mine) : own();
          text.insert(at, 'mots', { [SUGGEST_INSERT]: attrs, [SUGGEST_DELETE]: null });
        } else if (move < 0.34) {
          // Honest: strike official words (a new amendment, or extending one's own).
          const n = 1 + Math.floor(random() * 6);
          text.format(Math.min(at, Math.max(0, length - n)), n, {
            [SUGGEST_DELETE]: mine.length > 0 && random() < 0.3 ? pick(mine) : own(),
          });
        } else if (move < 0.45) {
          // Deleting characters: one's own words (honest) or anyone's (forged when official or theirs).
          if (length > 0) text.delete(Math.min(at, length - 1), 1 + Math.floor(random() * 2));
        } else if (move < 0.52) {
          // Forged: words under another owner's amendment id, or in another's name.
          const attrs = theirs.length > 0 ? pick(theirs) : { id: fresh(), by: other.ownerKey, author: other.userId };
          text.insert(at, 'x', { [SUGGEST_INSERT]: attrs });
        } else if (move < 0.57) {
          // Forged (delegates): official words typed without a mark; the Office may.
          text.insert(at, 'y');
        } else if (move < 0.6) {
          // Forged: a character deleted and typed again, identical.
          const run = runAt(text, at);
          if (run) {
            text.delete(at, 1);
            text.insert(at, run.char, run.attributes);
          }
        } else if (move < 0.64) {
          // Forged or honest: a strike over whatever is there (others' insertions included).
          if (length > 2) text.format(Math.min(at, length - 2), 2, { [SUGGEST_DELETE]: own() });
        } else if (move < 0.69) {
          // Forged: removing another owner's strike, or formatting official words.
          if (length > 3)
            text.format(Math.min(at, length - 3), 3, random() < 0.5 ? { [SUGGEST_DELETE]: null } : { bold: true });
        } else if (move < 0.72) {
          // Honest: unmarking one's own strike.
          if (mine.length > 0 && length > 1) text.format(Math.min(at, length - 1), 1, { [SUGGEST_DELETE]: null });
        } else if (move < 0.84) {
          // Re-marking a marked run (all of it or part) with its id and author, under another key: one of
          // the sender's, or one of the mark's owner's (its other keys, its legacy spelling).
          const marked = runsOf(text).filter((r) => r.attributes[SUGGEST_INSERT] || r.attributes[SUGGEST_DELETE]);
          if (marked.length > 0) {
            const run = pick(marked);
            const key = run.attributes[SUGGEST_DELETE] && random() < 0.7 ? SUGGEST_DELETE : SUGGEST_INSERT;
            const attrs = (run.attributes[key] ?? run.attributes[SUGGEST_DELETE]) as SuggestionAttrs;
            const owner = sessionPeople.find((p) => p.userId === attrs.author);
            const keys = [...keysFor(who), ...(owner ? keysFor(owner) : [attrs.by])];
            const start = run.at + (random() < 0.5 ? 0 : Math.floor(random() * run.len));
            const len = Math.max(1, Math.min(run.len - (start - run.at), 1 + Math.floor(random() * run.len)));
            text.format(start, len, { [key]: { id: attrs.id, by: pick(keys), author: attrs.author } });
          }
        } else if (move < 0.92) {
          // An id used by two owners: the sender's words (or strike) under another's id, in its own name
          // (a take-over), or under a colleague's id (continuing their owner's amendment).
          const source = all.length > 0 ? pick(all) : null;
          if (source) {
            const attrs = { id: source.id, by: pick(keysFor(who)), author: who.userId };
            if (random() < 0.6) text.insert(at, 'z', { [SUGGEST_INSERT]: attrs, [SUGGEST_DELETE]: null });
            else if (length > 1) text.format(Math.min(at, length - 2), 2, { [SUGGEST_DELETE]: attrs });
          }
        } else {
          // One id under two of the sender's keys in one text: a strike here, words there.
          if (length > 4) {
            const markId = fresh();
            const keys = keysFor(who);
            text.format(Math.min(at, length - 2), 2, {
              [SUGGEST_DELETE]: { id: markId, by: pick(keys), author: who.userId },
            });
            text.insert(Math.floor(random() * (length + 1)), 'w', {
              [SUGGEST_INSERT]: { id: markId, by: pick(keys), author: who.userId },
              [SUGGEST_DELETE]: null,
            });
          }
        }
        return blockOf(text);
      };

      /** Changes of structure: Enter, a paragraph or block deleted or added, an attribute. */
      const structure = () => {
        const move = random();
        label += ` S${move.toFixed(3)}`;
        const list = blocks();
        const block = pick(list);
        const paragraphs = paragraphsOf(block);
        if (move < 0.3) {
          // Enter: the paragraph's tail moves to a new paragraph after it.
          const p = pick(paragraphs);
          const text = p.get(0);
          if (!(text instanceof Y.XmlText) || text.length < 2) return;
          const cut = 1 + Math.floor(random() * (text.length - 1));
          const tail = (text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[]).flatMap((op) => [
            op,
          ]);
          const rest: { insert: string; attributes?: Record<string, unknown> }[] = [];
          let pos = 0;
          for (const op of tail) {
            const end = pos + op.insert.length;
            if (end > cut)
              rest.push({
                insert: op.insert.slice(Math.max(0, cut - pos)),
                ...(op.attributes ? { attributes: op.attributes } : {}),
              });
            pos = end;
          }
          text.delete(cut, text.length - cut);
          const next = new Y.XmlElement('paragraph');
          const nextText = new Y.XmlText();
          next.insert(0, [nextText]);
          block.insert(block.toArray().indexOf(p) + 1, [next]);
          nextText.applyDelta(rest);
        } else if (move < 0.45) {
          // A paragraph deleted (not the last of its block).
          if (paragraphs.length > 1) block.delete(block.toArray().indexOf(pick(paragraphs)), 1);
        } else if (move < 0.6) {
          // A block deleted (not the last), or a block added.
          if (list.length > 2 && random() < 0.5) root.delete(root.toArray().indexOf(block), 1);
          else {
            const added = new Y.XmlElement('numberedParagraph');
            added.setAttribute('number', String(10 + Math.floor(random() * 90)));
            const p = new Y.XmlElement('paragraph');
            const t = new Y.XmlText();
            p.insert(0, [t]);
            added.insert(0, [p]);
            root.insert(Math.floor(random() * (root.length + 1)), [added]);
            t.insert(0, words);
          }
        } else if (move < 0.75) {
          // Two paragraphs of a block joined (Backspace at the start of the second).
          if (paragraphs.length > 1) {
            const i = Math.floor(random() * (paragraphs.length - 1));
            const [a, b] = [paragraphs[i] as Y.XmlElement, paragraphs[i + 1] as Y.XmlElement];
            const ta = a.get(0);
            const tb = b.get(0);
            if (ta instanceof Y.XmlText && tb instanceof Y.XmlText) {
              const delta = tb.toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
              block.delete(block.toArray().indexOf(b), 1);
              ta.applyDelta([{ retain: ta.length }, ...delta]);
            }
          }
        } else {
          // An element attribute changed.
          block.setAttribute('number', String(Math.floor(random() * 100)));
        }
      };

      /** The server's own changes of words: accepting or rejecting a suggestion. */
      const serverWords = () => {
        const text = pick(textsOf(root));
        const marked = runsOf(text).filter((r) => r.attributes[SUGGEST_INSERT] || r.attributes[SUGGEST_DELETE]);
        if (marked.length === 0) return;
        const run = pick(marked);
        const move = random();
        label += ` W${move.toFixed(3)}`;
        if (run.attributes[SUGGEST_INSERT])
          if (move < 0.5) text.format(run.at, run.len, { [SUGGEST_INSERT]: null });
          else text.delete(run.at, run.len);
        else if (move < 0.5) text.delete(run.at, run.len);
        else text.format(run.at, run.len, { [SUGGEST_DELETE]: null });
      };

      if (who === SERVER_AUTHOR) {
        client.transact(() => (random() < 0.5 ? structure() : serverWords()));
      } else if (random() < 0.06) {
        client.transact(() => structure());
      } else if (random() < 0.25) {
        client.transact(() => {
          const first = edit();
          edit(random() < 0.6 ? first : undefined);
        });
      } else client.transact(() => edit());
      const update = Y.encodeStateAsUpdate(client, before);
      if (who === SERVER_AUTHOR && random() < 0.6) {
        // Made by the server itself (a consolidation step): applied to the documents, then absorbed.
        Y.applyUpdate(reference, update);
        Y.applyUpdate(judged, update);
        whole.absorb(update);
        byText.absorb(update);
        absorbed++;
        continue;
      }
      const a = whole.judge(update, who);
      const b = byText.judge(update, who);
      expect({ verdict: b, ...ids(byText) }, `seed ${seed} step ${step} ${who.userId}${label}`).toEqual({
        verdict: a,
        ...ids(whole),
      });
      if (a.ok) {
        Y.applyUpdate(reference, update);
        Y.applyUpdate(judged, update);
        accepted++;
      } else {
        refused++;
        kinds.add(a.kind);
      }
    }
    return { accepted, refused, absorbed, kinds };
  }

  it('gives the whole-block verdict and ids for honest and forged updates, after every update', {
    timeout: 120_000,
  }, () => {
    const { accepted, refused, absorbed, kinds } = session(7, 1500);
    // The session exercised both outcomes, the server's own changes and several kinds of refusal.
    expect(accepted).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(300);
    expect(absorbed).toBeGreaterThan(30);
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
      // Every step: the text-by-text path gives exactly the whole-block verdict, refusal and ids.
      expect(got).toEqual(expected);
      return expected;
    };
  }

  const za = people[2] as Author;
  const wk = people[3] as Author;

  it('refuses a suggestion grown past the size limit in one update, as the whole-block verdict does', () => {
    const step = pairOf(['Le Bureau invite le Conseil.', 'Deuxième paragraphe.']);
    const id = 'bytextbig001';
    const grown = step(wk, ([t]) => {
      t?.insert(3, ` ${'a'.repeat(MAX_SUGGESTION_CHARS_PER_BLOCK + 10)}`, {
        [SUGGEST_INSERT]: { id, by: wk.ownerKey, author: wk.userId },
      });
    });
    expect(grown.verdict).toMatchObject({ ok: false, kind: 'structure' });
    // Just under the limit is accepted by both; one more run of words over it is refused by both.
    const near = step(wk, ([t]) => {
      t?.insert(3, 'b'.repeat(MAX_SUGGESTION_CHARS_PER_BLOCK - 200), {
        [SUGGEST_INSERT]: { id, by: wk.ownerKey, author: wk.userId },
      });
    });
    expect(near.verdict.ok).toBe(true);
    const over = step(wk, ([, second]) => {
      second?.insert(0, 'c'.repeat(400), { [SUGGEST_INSERT]: { id, by: wk.ownerKey, author: wk.userId } });
    });
    expect(over.verdict).toMatchObject({ ok: false, kind: 'structure' });
  });

  it("refuses moving another owner's strike to another owner key its id already carries", () => {
    const step = pairOf(['Le Bureau invite le Conseil.']);
    const id = 'redteamx0001';
    // South Africa's delegate (also for region:AFRICA) strikes words under one id in both names.
    const setup = step(za, ([t]) => {
      t?.format(0, 3, { [SUGGEST_DELETE]: { id, by: 'government:ZA', author: 'u-za' } });
      t?.format(10, 6, { [SUGGEST_DELETE]: { id, by: 'region:AFRICA', author: 'u-za' } });
    });
    expect(setup.verdict.ok).toBe(true);
    // A workers' delegate re-marks South Africa's strike as region:AFRICA's: same id, author, words, place.
    const forged = step(wk, ([t]) => {
      t?.format(0, 3, { [SUGGEST_DELETE]: { id, by: 'region:AFRICA', author: 'u-za' } });
    });
    expect(forged.verdict).toMatchObject({ ok: false, kind: 'others' });
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
    expect(setup.verdict.ok).toBe(true);
    const edit = step(za, ([t]) => {
      t?.insert(10, 'mots', {
        [SUGGEST_INSERT]: { id: x, by: 'government:ZA', author: 'u-za' },
        [SUGGEST_DELETE]: null,
      });
    });
    expect(edit.verdict.ok).toBe(true);
  });

  it("names no untouched id of the sender's when withdrawing an amendment reorders the block's owners", () => {
    // The whole-block verdict compares an id's entries as one string per block, owners in the order their
    // first entry appears in the block: withdrawing W (government:ZA, first in the block) puts
    // region:AFRICA first, so X (entries under both keys, unchanged) reads as amended and touched there;
    // the text-by-text path compares X's entries and finds them equal. After the amendment deadline the
    // gatekeeper refuses an update with amendedIds: the whole-block path would refuse this withdrawal.
    const step = pairOf(['Le Bureau invite le Conseil à examiner.']);
    const x = 'redteamx0003';
    const y = 'redteamy0003';
    const setup = step(za, ([t]) => {
      t?.format(0, 2, { [SUGGEST_DELETE]: { id: y, by: 'government:ZA', author: 'u-za' } });
      t?.format(10, 6, { [SUGGEST_DELETE]: { id: x, by: 'region:AFRICA', author: 'u-za' } });
      t?.format(20, 7, { [SUGGEST_DELETE]: { id: x, by: 'government:ZA', author: 'u-za' } });
    });
    expect(setup.verdict.ok).toBe(true);
    // Withdrawing Y: both paths name the same (no) amended ids, which the step requires.
    step(za, ([t]) => {
      t?.format(0, 2, { [SUGGEST_DELETE]: null });
    });
  });
});
