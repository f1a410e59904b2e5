import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { GAP, deriveSuggestions } from '../../server/amendments/derive.js';
import { type PMNode, documentSchema } from '../../shared/schema/index.js';
import type { SuggestionAttrs } from '../../shared/suggestions.js';

const emp: SuggestionAttrs = { id: 'emp00000001', by: 'employers', author: 'user-emp' };
const fr: SuggestionAttrs = { id: 'frgov000001', by: 'government:France', author: 'user-fr' };

const text = (t: string, ...marks: { type: string; attrs?: Record<string, unknown> }[]): PMNode =>
  marks.length ? { type: 'text', text: t, marks } : { type: 'text', text: t };
const ins = (attrs: SuggestionAttrs) => ({ type: 'suggestionInsert', attrs: { ...attrs } });
const del = (attrs: SuggestionAttrs) => ({ type: 'suggestionDelete', attrs: { ...attrs } });
const para = (number: string, content: PMNode[], suggestion: SuggestionAttrs | null = null): PMNode => ({
  type: 'numberedParagraph',
  attrs: { number, suggestion },
  content: [{ type: 'paragraph', content }],
});
const docOf = (...content: PMNode[]) => prosemirrorJSONToYDoc(documentSchema(), { type: 'doc', content }, 'default');

describe('deriveSuggestions', () => {
  it('finds nothing in a text without suggestions', () => {
    expect(deriveSuggestions(docOf(para('1', [text('Premier paragraphe.')])), 's').size).toBe(0);
  });

  it('reads an insertion, a deletion and a replacement, each by id', () => {
    const ins2: SuggestionAttrs = { ...emp, id: 'emp00000002' };
    const doc = docOf(
      para('26', [text('Le Bureau '), text('renforcera ', ins(emp)), text('soutient les mandants.')]),
      para('27', [
        text('Les '),
        text('anciens', del(fr)),
        text('nouveaux', ins(fr)),
        text(' mots '),
        text('inutiles', del(ins2)),
      ]),
    );
    const found = deriveSuggestions(doc, 'part-1');
    expect(found.get(emp.id)).toEqual({
      id: emp.id,
      sectionId: 'part-1',
      paragraphs: [26],
      type: 'insert',
      originalText: '',
      proposedText: 'renforcera ',
      by: 'employers',
      author: 'user-emp',
    });
    expect(found.get(fr.id)).toMatchObject({
      type: 'replace',
      originalText: 'anciens',
      proposedText: 'nouveaux',
      paragraphs: [27],
      by: 'government:France',
    });
    expect(found.get('emp00000002')).toMatchObject({
      type: 'delete',
      originalText: 'inutiles',
      proposedText: '',
      paragraphs: [27],
    });
  });

  it('joins adjacent runs (bold inside a mark) and separates pieces elsewhere', () => {
    const doc = docOf(
      para('3', [
        text('a '),
        text('un ', ins(emp)),
        text('deux', ins(emp), { type: 'bold' }),
        text(' b '),
        text('trois', ins(emp)),
      ]),
      para('4', [text('quatre', ins(emp))]),
    );
    const found = deriveSuggestions(doc, 's').get(emp.id);
    expect(found?.proposedText).toBe(`un deux${GAP}trois${GAP}quatre`);
    expect(found?.paragraphs).toEqual([3, 4]);
  });

  it('does not break a run at a footnote marker', () => {
    const doc = docOf(
      para('2', [
        text('Deuxième '),
        text('paragraphe', del(emp)),
        { type: 'footnote', attrs: { marker: '1', text: 'Note.' } },
        text(' avec', del(emp)),
        text(' une note.'),
      ]),
    );
    expect(deriveSuggestions(doc, 's').get(emp.id)?.originalText).toBe('paragraphe avec');
  });

  it('reads a proposed paragraph (27bis) as a paragraph amendment citing the one it follows', () => {
    const doc = docOf(para('27', [text('Texte officiel.')]), {
      type: 'numberedParagraph',
      attrs: { number: '27bis', suggestion: fr },
      content: [
        { type: 'paragraph', content: [text('Nouveau paragraphe')] },
        {
          type: 'bulletList',
          content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('point')] }] }],
        },
      ],
    });
    expect(deriveSuggestions(doc, 's').get(fr.id)).toMatchObject({
      type: 'paragraph',
      paragraphs: [27],
      originalText: '',
      proposedText: 'Nouveau paragraphe\npoint',
      by: 'government:France',
      author: 'user-fr',
    });
  });

  it('reads marks written straight into Y.XmlText, as a client would', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('default');
    const numbered = new Y.XmlElement('numberedParagraph');
    numbered.setAttribute('number', '12');
    const paragraph = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    paragraph.insert(0, [t]);
    numbered.insert(0, [paragraph]);
    fragment.insert(0, [numbered]);
    t.insert(0, 'Le Conseil prie le Directeur général.');
    t.insert(10, ' d’administration', { suggestionInsert: { ...emp } });
    expect(deriveSuggestions(doc, 's').get(emp.id)).toMatchObject({
      type: 'insert',
      proposedText: ' d’administration',
      paragraphs: [12],
    });
  });

  it('ignores marks outside numbered paragraphs for the paragraph list, but still finds them', () => {
    const doc = docOf({ type: 'heading', attrs: { level: 2 }, content: [text('Titre '), text('nouveau', ins(emp))] });
    expect(deriveSuggestions(doc, 's').get(emp.id)).toMatchObject({ paragraphs: [], proposedText: 'nouveau' });
  });
});
