import { initProseMirrorDoc, updateYFragment } from '@tiptap/y-tiptap';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sectionUpdateFromContent } from '../../server/commands/importDocument.js';
import { projectSection } from '../../server/collab/projection.js';
import { type Author, SuggestionGuard, type Verdict } from '../../server/collab/suggestionGuard.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { type PMNode as PMJson, documentSchema } from '../../shared/schema/index.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs } from '../../shared/suggestions.js';
import { seededRandom } from '../support/random.js';

const schema = documentSchema();

const fr1: Author = { userId: 'u-fr1', ownerKey: 'government:France', direct: false };
const fr2: Author = { userId: 'u-fr2', ownerKey: 'government:France', direct: false };
const wk: Author = { userId: 'u-wk', ownerKey: 'workers', direct: false };
const emp: Author = { userId: 'u-emp', ownerKey: 'employers', direct: false };
const office: Author = { userId: 'u-office', ownerKey: 'secretariat', direct: true };

const attrsOf = (who: Author, id: string): SuggestionAttrs => ({ id, by: who.ownerKey, author: who.userId });

const para = (n: string, ...content: PMJson[]): PMJson => ({
  type: 'numberedParagraph',
  attrs: { number: n },
  content,
});
const p = (...content: PMJson[]): PMJson => ({ type: 'paragraph', content });
const t = (text: string): PMJson => ({ type: 'text', text });

/** A section with the nested shapes a GB document has: list, box, footnote, figure. */
const SECTION: PMJson = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [t('Résultat 1 : normes')] },
    para('1', p(t('Le Bureau a poursuivi la mise en œuvre de la stratégie.'))),
    para(
      '2',
      p(
        t('Des progrès ont été enregistrés'),
        { type: 'footnote', attrs: { marker: '3', text: 'Voir GB.346.' } },
        t(' en matière de ratification.'),
      ),
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [p(t('inspection du travail renforcée'))] },
          { type: 'listItem', content: [p(t('dialogue social sectoriel'))] },
        ],
      },
    ),
    { type: 'box', attrs: { title: 'Encadré 1' }, content: [p(t('Un texte à part, dans un encadré.'))] },
    { type: 'figure', attrs: { title: 'Cadre de résultats', groups: [{ heading: 'A', items: ['x'] }], note: null } },
    para('3', p(t('Le Conseil d’administration prie le Directeur général de prendre en compte les orientations.'))),
  ],
};

/** The server's side (real document and guard) and one client, kept in step like a room does. */
class Harness {
  readonly real = new Y.Doc();
  readonly guard: SuggestionGuard;
  client = new Y.Doc();

  constructor(content: PMJson = SECTION) {
    Y.applyUpdate(this.real, sectionUpdateFromContent(content));
    this.guard = new SuggestionGuard(this.real);
    this.resync();
  }

  /** A fresh client doc, as a refused client must take. */
  resync(): void {
    this.client = new Y.Doc();
    Y.applyUpdate(this.client, Y.encodeStateAsUpdate(this.real));
  }

  /** Sends what `edit` did on the client as `who`; accepted updates reach the real doc. */
  send(who: Author, edit: (doc: Y.Doc) => void): Verdict {
    const before = Y.encodeStateVector(this.client);
    this.client.transact(() => edit(this.client));
    return this.submit(who, Y.encodeStateAsUpdate(this.client, before));
  }

  submit(who: Author, update: Uint8Array): Verdict {
    const verdict = this.guard.judge(update, who);
    if (verdict.ok) Y.applyUpdate(this.real, update);
    else this.resync();
    return verdict;
  }

  /** Edits through TipTap's own write path: a ProseMirror transform synced by y-tiptap. */
  sendPM(who: Author, edit: (tr: Transform, doc: PMNode) => void): Verdict {
    return this.send(who, (doc) => {
      const fragment = doc.getXmlFragment(SECTION_FRAGMENT);
      const { doc: pm, meta } = initProseMirrorDoc(fragment, schema);
      const tr = new Transform(pm);
      edit(tr, pm);
      updateYFragment(doc, fragment, tr.doc, meta);
    });
  }

  pm(): PMNode {
    return initProseMirrorDoc(this.client.getXmlFragment(SECTION_FRAGMENT), schema).doc;
  }

  /** The XmlText of the first paragraph of numbered paragraph `n` on the client. */
  text(n: string): Y.XmlText {
    const block = this.client
      .getXmlFragment(SECTION_FRAGMENT)
      .toArray()
      .find((b) => b instanceof Y.XmlElement && b.getAttribute('number') === n) as Y.XmlElement;
    return (block.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  }

  /** Where `needle` starts in the Yjs text of numbered paragraph `n` (suggested text included). */
  at(n: string, needle: string): number {
    const plain = (this.text(n).toDelta() as { insert: string }[]).map((op) => op.insert).join('');
    const index = plain.indexOf(needle);
    if (index < 0) throw new Error(`"${needle}" not in paragraph ${n}: ${plain}`);
    return index;
  }

  /** The ProseMirror position where `needle` starts on the client. */
  pmAt(needle: string): number {
    const chars = charsOf(this.pm());
    const index = chars
      .map((c) => c.ch)
      .join('')
      .indexOf(needle);
    if (index < 0) throw new Error(`"${needle}" not in the section`);
    return (chars[index] as CharInfo).pos;
  }

  realXml(): string {
    return this.real.getXmlFragment(SECTION_FRAGMENT).toString();
  }
}

const ok = { ok: true };
const refused = (kind: string) => expect.objectContaining({ ok: false, kind });

describe('suggestion guard: hand-built cases', () => {
  let h: Harness;
  const FR = 'frsugg000001';
  const WK = 'wksugg000001';
  beforeEach(() => {
    h = new Harness();
  });

  /** fr1 proposes " vivement" after "poursuivi" in paragraph 1, and workers delete "la mise en œuvre de". */
  function seedSuggestions(): void {
    const after = h.at('1', ' la mise');
    expect(h.send(fr1, () => h.text('1').insert(after, ' vivement', { [SUGGEST_INSERT]: attrsOf(fr1, FR) }))).toEqual(
      ok,
    );
    expect(
      h.send(wk, () => h.text('1').format(h.at('1', 'la mise'), 19, { [SUGGEST_DELETE]: attrsOf(wk, WK) })),
    ).toEqual(ok);
  }
  const viv = () => h.at('1', 'vivement');
  const mise = () => h.at('1', 'la mise');

  it('accepts an honest insert suggestion, typing and deleting inside it, and a colleague editing it', () => {
    seedSuggestions();
    const v = viv();
    expect(h.send(fr1, () => h.text('1').insert(v + 3, 'rès', { [SUGGEST_INSERT]: attrsOf(fr1, FR) }))).toEqual(ok);
    expect(h.send(fr1, () => h.text('1').delete(v + 1, 2))).toEqual(ok);
    // A colleague continues the amendment, either under its original author or in their own name.
    expect(h.send(fr2, () => h.text('1').insert(v + 2, 'x', { [SUGGEST_INSERT]: attrsOf(fr1, FR) }))).toEqual(ok);
    expect(h.send(fr2, () => h.text('1').insert(v + 2, 'y', { [SUGGEST_INSERT]: attrsOf(fr2, FR) }))).toEqual(ok);
    expect(h.at('1', 'vryxèsement la mise')).toBe(v);
  });

  it('accepts marking words deleted and removing one’s own delete mark', () => {
    seedSuggestions();
    const DEL = 'frdel0000001';
    expect(h.send(fr1, () => h.text('3').format(0, 2, { [SUGGEST_DELETE]: attrsOf(fr1, DEL) }))).toEqual(ok);
    expect(h.send(fr1, () => h.text('3').format(0, 2, { [SUGGEST_DELETE]: null }))).toEqual(ok);
    expect(h.send(wk, () => h.text('1').format(mise(), 5, { [SUGGEST_DELETE]: null }))).toEqual(ok);
  });

  it('refuses editing or deleting the official text', () => {
    seedSuggestions();
    expect(h.send(fr1, () => h.text('1').insert(3, 'X'))).toEqual(refused('official'));
    expect(h.send(fr1, () => h.text('1').delete(3, 1))).toEqual(refused('official'));
    expect(h.send(fr1, () => h.text('1').format(0, 2, { bold: {} }))).toEqual(refused('official'));
    const numbered = () => h.client.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement;
    expect(h.send(fr1, () => numbered().setAttribute('number', '1bis'))).toEqual(refused('official'));
    expect(h.send(fr1, () => h.client.getXmlFragment(SECTION_FRAGMENT).delete(4, 1))).toEqual(refused('official'));
    // The footnote and the list are official text too.
    const second = () => h.client.getXmlFragment(SECTION_FRAGMENT).get(2) as Y.XmlElement;
    expect(h.send(wk, () => (second().get(0) as Y.XmlElement).delete(1, 1))).toEqual(refused('official'));
    expect(h.send(wk, () => (second().get(1) as Y.XmlElement).delete(0, 1))).toEqual(refused('official'));
  });

  it("refuses altering another owner's insertion or deletion, or removing their delete mark", () => {
    seedSuggestions();
    expect(h.send(wk, () => h.text('1').delete(viv() + 1, 2))).toEqual(refused('others'));
    expect(h.send(wk, () => h.text('1').insert(viv() + 1, 'z', { [SUGGEST_INSERT]: attrsOf(fr1, FR) }))).toEqual(
      refused('others'),
    );
    expect(h.send(fr1, () => h.text('1').format(mise(), 5, { [SUGGEST_DELETE]: null }))).toEqual(refused('others'));
    expect(h.send(fr1, () => h.text('1').format(mise() + 19, 3, { [SUGGEST_DELETE]: attrsOf(wk, WK) }))).toEqual(
      refused('others'),
    );
    // Re-attributing their deletion to oneself changes theirs as well: the same words, two groups.
    expect(h.send(fr1, () => h.text('1').format(mise(), 19, { [SUGGEST_DELETE]: attrsOf(fr1, WK) }))).toEqual(
      refused('overlaps'),
    );
    // An owner with no stake in either is no exception.
    expect(h.send(emp, () => h.text('1').delete(viv(), 1))).toEqual(refused('others'));
  });

  it('refuses forged identities on new suggestions', () => {
    seedSuggestions();
    const forge = (attrs: SuggestionAttrs) => h.send(wk, () => h.text('3').insert(3, 'X', { [SUGGEST_INSERT]: attrs }));
    expect(forge({ id: 'forged000001', by: 'government:France', author: wk.userId })).toEqual(refused('others'));
    expect(forge({ id: 'forged000002', by: 'workers', author: 'u-someone-else' })).toEqual(refused('identity'));
    expect(forge({ id: 'NOT A VALID ID', by: 'workers', author: wk.userId })).toEqual(refused('identity'));
    // Hijacking the id of another owner's amendment, even under one's own name.
    expect(forge({ id: FR, by: 'workers', author: wk.userId })).toEqual(refused('ownership'));
    expect(h.send(wk, () => h.text('3').insert(3, 'X', { [SUGGEST_INSERT]: 'just a string' }))).toEqual(
      refused('others'),
    );
    // A colleague may not put a third member's name on the amendment either.
    expect(
      h.send(fr2, () =>
        h.text('1').insert(viv(), 'q', { [SUGGEST_INSERT]: { id: FR, by: fr1.ownerKey, author: 'u-fr3' } }),
      ),
    ).toEqual(refused('identity'));
    expect(forge(attrsOf(wk, 'wkhonest0001'))).toEqual(ok);
  });

  it('refuses another top-level type and updates with missing dependencies', () => {
    expect(h.send(fr1, (doc) => doc.getMap('evil').set('x', 1))).toEqual(refused('structure'));
    const ahead = new Y.Doc();
    Y.applyUpdate(ahead, Y.encodeStateAsUpdate(h.real));
    const sv0 = Y.encodeStateVector(ahead);
    const txt = () =>
      ((ahead.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    txt().insert(0, 'a', { [SUGGEST_INSERT]: attrsOf(fr1, FR) });
    const sv1 = Y.encodeStateVector(ahead);
    txt().insert(1, 'b', { [SUGGEST_INSERT]: attrsOf(fr1, FR) });
    expect(h.submit(fr1, Y.encodeStateAsUpdate(ahead, sv1))).toEqual(refused('dependencies'));
    // The guard rebuilt its shadow: the complete update is judged (and accepted) normally.
    expect(h.submit(fr1, Y.encodeStateAsUpdate(ahead, sv0))).toEqual(ok);
  });

  it('lets the Office edit the official text but not others’ suggestions', () => {
    seedSuggestions();
    expect(h.send(office, () => h.text('1').insert(0, 'Depuis 2022, '))).toEqual(ok);
    expect(h.send(office, () => h.text('3').delete(0, 3))).toEqual(ok);
    expect(h.send(office, () => h.text('1').delete(viv(), 2))).toEqual(refused('others'));
    expect(h.send(office, () => h.text('1').format(mise(), 4, { [SUGGEST_DELETE]: null }))).toEqual(refused('others'));
    expect(
      h.send(office, () => h.text('3').insert(0, 'Le', { [SUGGEST_INSERT]: attrsOf(office, 'office000001') })),
    ).toEqual(ok);
  });

  it('judges whole proposed paragraphs by their owner', () => {
    const proposal = (who: Author, id: string, number: string) => (doc: Y.Doc) => {
      const el = new Y.XmlElement('numberedParagraph');
      el.setAttribute('number', number);
      el.setAttribute('suggestion', attrsOf(who, id) as unknown as string);
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('Un paragraphe proposé.')]);
      el.insert(0, [paragraph]);
      doc.getXmlFragment(SECTION_FRAGMENT).insert(2, [el]);
    };
    expect(h.send(fr1, proposal(fr1, 'frpara000001', '1bis'))).toEqual(ok);
    const proposed = () => h.client.getXmlFragment(SECTION_FRAGMENT).get(2) as Y.XmlElement;
    const textOfProposed = () => (proposed().get(0) as Y.XmlElement).get(0) as Y.XmlText;
    expect(h.send(fr2, () => textOfProposed().insert(0, 'Enfin, '))).toEqual(ok);
    expect(h.send(wk, () => textOfProposed().insert(0, 'Non, '))).toEqual(refused('others'));
    expect(h.send(wk, (doc) => doc.getXmlFragment(SECTION_FRAGMENT).delete(2, 1))).toEqual(refused('others'));
    expect(h.send(wk, proposal(fr1, 'wkpara000001', '1ter'))).toEqual(refused('others'));
    expect(h.send(wk, proposal(wk, 'wkpara000001', '1ter'))).toEqual(ok);
    // Turning an official paragraph into a proposal removes it from the official text.
    const last = () => h.client.getXmlFragment(SECTION_FRAGMENT).toArray().at(-1) as Y.XmlElement;
    const claim = attrsOf(wk, 'wkpara000002') as unknown as string;
    expect(h.send(wk, () => last().setAttribute('suggestion', claim))).toEqual(refused('official'));
    // wk's proposal went in before fr1's, which is now the fourth block.
    expect(h.send(fr1, (doc) => doc.getXmlFragment(SECTION_FRAGMENT).delete(3, 1))).toEqual(ok);
    expect(h.realXml()).not.toContain('Enfin');
  });

  it('accepts typing right after another owner’s suggestion through TipTap (formatting cleanup)', () => {
    seedSuggestions();
    const start = h.pmAt(' vivement');
    const end = start + ' vivement'.length;
    const mark = (who: Author, id: string, name = SUGGEST_INSERT): Mark =>
      schema.marks[name]?.create(attrsOf(who, id)) as Mark;
    expect(h.sendPM(wk, (tr) => tr.insert(end, schema.text(' et résolument', [mark(wk, 'wkins0000001')])))).toEqual(ok);
    // The same at the Yjs level carries a format item with *fr1's* mark value, and is still honest.
    const before = Y.encodeStateVector(h.client);
    const yEnd = h.at('1', ' et résolument');
    expect(
      h.send(wk, () => h.text('1').insert(yEnd, ' et', { [SUGGEST_INSERT]: attrsOf(wk, 'wkins0000002') })),
    ).toEqual(ok);
    const sent = Y.encodeStateAsUpdate(h.client, before);
    const formats = Y.decodeUpdate(sent).structs.flatMap((s) =>
      s instanceof Y.Item && s.content instanceof Y.ContentFormat ? [s.content.value as SuggestionAttrs | null] : [],
    );
    expect(formats.some((v) => v?.by === fr1.ownerKey)).toBe(true);
    // Deleting one's own text next to theirs makes Yjs clean up their format markers: still honest.
    expect(h.sendPM(wk, (tr) => tr.delete(end, end + ' et résolument'.length))).toEqual(ok);
    expect(h.sendPM(fr1, (tr) => tr.delete(start, end))).toEqual(ok);
  });

  it('accepts a suggestion inside a nested list item and refuses deleting the footnote', () => {
    const doc = h.pm();
    let listText = -1;
    let footnote = -1;
    doc.descendants((node, pos) => {
      if (node.isText && node.text?.startsWith('dialogue')) listText = pos;
      if (node.type.name === 'footnote') footnote = pos;
      return true;
    });
    const mark = schema.marks[SUGGEST_INSERT]?.create(attrsOf(emp, 'empins000001')) as Mark;
    expect(h.sendPM(emp, (tr) => tr.insert(listText, schema.text('un ', [mark])))).toEqual(ok);
    expect(h.sendPM(emp, (tr) => tr.delete(footnote, footnote + 1))).toEqual(refused('official'));
  });

  it('projects the same meaning to the same strings however it was typed', () => {
    const a = new Harness();
    const b = new Harness();
    const attrs = { [SUGGEST_INSERT]: attrsOf(fr1, FR) };
    expect(a.send(fr1, () => a.text('1').insert(22, ' vivement', attrs))).toEqual(ok);
    for (const [i, ch] of [...' vivement'].entries())
      expect(b.send(fr1, () => b.text('1').insert(22 + i, ch, attrs))).toEqual(ok);
    // Meaning only: the items differ by construction (one insert against nine).
    const view = (doc: Y.Doc) =>
      projectSection(doc.getXmlFragment(SECTION_FRAGMENT)).map(({ official, owners }) => ({ official, owners }));
    expect(view(b.real)).toEqual(view(a.real));
  });
});

const rng = seededRandom;

interface CharInfo {
  ch: string;
  pos: number;
  insert: SuggestionAttrs | null;
  del: SuggestionAttrs | null;
}

/** Every character of every text node, with its suggestion marks. */
function charsOf(doc: PMNode): CharInfo[] {
  const chars: CharInfo[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const ins = node.marks.find((m) => m.type.name === SUGGEST_INSERT);
    const del = node.marks.find((m) => m.type.name === SUGGEST_DELETE);
    for (let i = 0; i < (node.text?.length ?? 0); i++) {
      chars.push({
        ch: node.text?.[i] ?? '',
        pos: pos + i,
        insert: (ins?.attrs as SuggestionAttrs | undefined) ?? null,
        del: (del?.attrs as SuggestionAttrs | undefined) ?? null,
      });
    }
    return false;
  });
  return chars;
}

describe('suggestion guard: randomized', () => {
  const delegates = [fr1, fr2, wk, emp];

  it('accepts every honest update and refuses every dishonest one', () => {
    const random = rng(20240611);
    const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)];
    const h = new Harness();
    const ids = new Map<string, string>();
    let counter = 0;
    const newId = () => `rnd${String(counter++).padStart(9, '0')}`;
    const idFor = (who: Author) => {
      let id = ids.get(who.ownerKey);
      if (!id || random() < 0.3) {
        id = newId();
        ids.set(who.ownerKey, id);
      }
      return id;
    };
    const mark = (name: string, attrs: SuggestionAttrs) => schema.marks[name]?.create(attrs) as Mark;
    let honest = 0;
    let dishonest = 0;

    for (let round = 0; round < 300; round++) {
      const who = pick(delegates) as Author;
      const chars = charsOf(h.pm());
      const mine = (a: SuggestionAttrs | null) => a !== null && a.by === who.ownerKey;
      const theirs = (a: SuggestionAttrs | null) => a !== null && a.by !== who.ownerKey;
      const official = chars.filter((c) => c.insert === null);

      if (random() < 0.6) {
        // Honest: what a suggestion-mode editor does.
        const kind = pick(['insert', 'type-in-own', 'backspace-own', 'mark-deleted', 'unmark-own']);
        let edit: ((tr: Transform) => void) | null = null;
        if (kind === 'insert') {
          const at = pick(official.filter((c) => !theirs(c.del)));
          if (at)
            edit = (tr) =>
              tr.insert(
                at.pos,
                schema.text('ab'.repeat(1 + Math.floor(random() * 3)), [
                  mark(SUGGEST_INSERT, attrsOf(who, idFor(who))),
                ]),
              );
        } else if (kind === 'type-in-own') {
          const at = pick(chars.filter((c) => mine(c.insert)));
          if (at?.insert) {
            const attrs = at.insert;
            edit = (tr) => tr.insert(at.pos, schema.text('xy', [mark(SUGGEST_INSERT, attrs)]));
          }
        } else if (kind === 'backspace-own') {
          const at = pick(chars.filter((c) => mine(c.insert)));
          if (at) edit = (tr) => tr.delete(at.pos, at.pos + 1);
        } else if (kind === 'mark-deleted') {
          const free = official.filter((c) => c.del === null);
          const at = pick(free);
          if (at) {
            let end = at.pos + 1;
            const len = 1 + Math.floor(random() * 8);
            while (end < at.pos + len && free.some((c) => c.pos === end)) end++;
            const id = idFor(who);
            edit = (tr) => tr.addMark(at.pos, end, mark(SUGGEST_DELETE, attrsOf(who, id)));
          }
        } else {
          const at = pick(chars.filter((c) => mine(c.del)));
          if (at?.del) {
            const attrs = at.del;
            edit = (tr) => tr.removeMark(at.pos, at.pos + 1, mark(SUGGEST_DELETE, attrs));
          }
        }
        if (!edit) continue;
        const verdict = h.sendPM(who, edit);
        expect(verdict, `round ${round}: honest ${kind} by ${who.userId}`).toEqual(ok);
        honest++;
      } else {
        const kind = pick([
          'type-official',
          'delete-official',
          'alter-theirs',
          'unmark-theirs',
          'forge-by',
          'forge-author',
          'bold',
          'renumber',
        ]);
        let edit: ((tr: Transform, doc: PMNode) => void) | null = null;
        const other = pick(delegates.filter((d) => d.ownerKey !== who.ownerKey)) as Author;
        const anywhere = pick(official);
        if (kind === 'type-official' && anywhere) edit = (tr) => tr.insert(anywhere.pos, schema.text('Z'));
        else if (kind === 'delete-official' && anywhere) edit = (tr) => tr.delete(anywhere.pos, anywhere.pos + 1);
        else if (kind === 'alter-theirs') {
          const at = pick(chars.filter((c) => theirs(c.insert)));
          if (at) edit = (tr) => tr.delete(at.pos, at.pos + 1);
        } else if (kind === 'unmark-theirs') {
          const at = pick(chars.filter((c) => theirs(c.del)));
          if (at?.del) {
            const attrs = at.del;
            edit = (tr) => tr.removeMark(at.pos, at.pos + 1, mark(SUGGEST_DELETE, attrs));
          }
        } else if (kind === 'forge-by' && anywhere) {
          edit = (tr) =>
            tr.insert(
              anywhere.pos,
              schema.text('F', [mark(SUGGEST_INSERT, { ...attrsOf(who, newId()), by: other.ownerKey })]),
            );
        } else if (kind === 'forge-author' && anywhere) {
          edit = (tr) =>
            tr.insert(
              anywhere.pos,
              schema.text('F', [mark(SUGGEST_INSERT, { ...attrsOf(who, newId()), author: other.userId })]),
            );
        } else if (kind === 'bold' && anywhere) {
          edit = (tr) => tr.addMark(anywhere.pos, anywhere.pos + 1, schema.marks.bold?.create() as Mark);
        } else if (kind === 'renumber') {
          edit = (tr, doc) => {
            let target = -1;
            doc.forEach((node, offset) => {
              if (target < 0 && node.type.name === 'numberedParagraph') target = offset;
            });
            tr.setNodeMarkup(target, undefined, { number: '99', suggestion: null });
          };
        }
        if (!edit) continue;
        const verdict = h.sendPM(who, edit);
        expect(verdict.ok, `round ${round}: dishonest ${kind} by ${who.userId}`).toBe(false);
        dishonest++;
      }
    }
    expect(honest).toBeGreaterThan(100);
    expect(dishonest).toBeGreaterThan(80);
    // The guard's cache agrees with a projection from scratch after all this.
    const fresh = new SuggestionGuard(h.real);
    const probe = Y.encodeStateAsUpdate(h.real);
    expect(fresh.judge(probe, fr1)).toEqual(ok);
  });
});

describe('suggestion guard: shapes found by the property test (tests/property)', () => {
  /** A client doc of the server's state with a chosen clientID: Yjs orders concurrent items by it. */
  function clientOf(h: Harness, clientID: number): Y.Doc {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(h.real));
    return doc;
  }
  const text1 = (doc: Y.Doc) =>
    ((doc.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const edit = (doc: Y.Doc, change: (text: Y.XmlText) => void) => {
    const before = Y.encodeStateVector(doc);
    doc.transact(() => change(text1(doc)));
    return Y.encodeStateAsUpdate(doc, before);
  };

  it('accepts a replacement over one’s own insertion, which y-tiptap writes by re-typing the official words between', () => {
    const h = new Harness();
    const FR = 'frdiff000001';
    // " et" inside "poursuivi": "poursu et|ivi".
    const at = h.at('1', 'ivi la mise');
    expect(h.send(fr1, () => h.text('1').insert(at, ' et', { [SUGGEST_INSERT]: attrsOf(fr1, FR) }))).toEqual(ok);
    // Replace "et" + "ivi": the own "et" goes, "ivi" is struck, " et" typed after it. y-tiptap's string
    // diff ("poursu etivi la" → "poursu ivi et la") deletes "etivi" and types "ivi et" again.
    const from = h.pmAt('et' + 'ivi la');
    const verdict = h.sendPM(fr1, (tr) => {
      tr.delete(from, from + 2);
      tr.addMark(from, from + 3, schema.mark(SUGGEST_DELETE, attrsOf(fr1, FR)));
      tr.insert(from + 3, schema.text(' et', [schema.mark(SUGGEST_INSERT, attrsOf(fr1, FR))]));
    });
    expect(verdict).toEqual(ok);
    // The same re-typing with no change of one's own is still a re-creation.
    const ivi = h.at('1', 'ivi ');
    expect(
      h.send(wk, () => {
        h.text('1').delete(ivi, 3);
        h.text('1').insert(ivi, 'ivi', { [SUGGEST_DELETE]: attrsOf(fr1, FR) });
      }),
    ).toEqual(refused('items'));
  });

  it('refuses, as overlaps, words inserted concurrently where another group strikes, which would carry its strike', () => {
    const h = new Harness();
    const EMP = 'empstrike001';
    const WK = 'wkinsert0001';
    const striker = clientOf(h, 1000);
    const inserter = clientOf(h, 2000);
    const at = h.at('1', 'la mise');
    const strike = edit(striker, (t) => t.format(at, 7, { [SUGGEST_DELETE]: attrsOf(emp, EMP) }));
    const insert = edit(inserter, (t) => t.insert(at, 'QQ', { [SUGGEST_INSERT]: attrsOf(wk, WK) }));
    expect(h.submit(emp, strike)).toEqual(ok);
    // Merged, "QQ" lands after the strike's opening item and would read as the Employers' original words.
    expect(h.submit(wk, insert)).toEqual(
      expect.objectContaining({ ok: false, kind: 'overlaps', amendmentId: EMP, ownerKey: 'employers' }),
    );
    expect(h.realXml()).not.toContain('QQ');
  });

  it('refuses, as overlaps, a strike that a concurrent strike of another group overtook', () => {
    const h = new Harness();
    const EMP = 'empstrike002';
    const WK = 'wkstrike0002';
    const at = h.at('1', 'la mise');
    // The Employers' amendment already strikes "poursuivi"; the new strike extends it (the same id).
    expect(
      h.send(emp, () => h.text('1').format(h.at('1', 'poursuivi'), 9, { [SUGGEST_DELETE]: attrsOf(emp, EMP) })),
    ).toEqual(ok);
    const employers = clientOf(h, 1000);
    const workers = clientOf(h, 2000);
    const theirs = edit(workers, (t) => t.format(at, 2, { [SUGGEST_DELETE]: attrsOf(wk, WK) }));
    const mine = edit(employers, (t) => t.format(at, 2, { [SUGGEST_DELETE]: attrsOf(emp, EMP) }));
    expect(h.submit(wk, theirs)).toEqual(ok);
    // Yjs puts the Employers' item first (lower clientID) and cleans it up as redundant: the words stay
    // the Workers' strike and the Employers' would vanish without a word.
    expect(h.submit(emp, mine)).toEqual(
      expect.objectContaining({ ok: false, kind: 'overlaps', amendmentId: WK, ownerKey: 'workers' }),
    );
  });
});
