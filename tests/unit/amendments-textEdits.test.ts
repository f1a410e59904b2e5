import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { deriveSuggestions } from '../../server/amendments/derive.js';
import { PlacementError, acceptSuggestion, placeByForm, removeSuggestion } from '../../server/amendments/textEdits.js';
import { type PMNode, documentSchema } from '../../shared/schema/index.js';
import type { SuggestionAttrs } from '../../shared/suggestions.js';

const emp: SuggestionAttrs = { id: 'emp00000001', by: 'employers', author: 'user-emp' };
const wrk: SuggestionAttrs = { id: 'wrk00000001', by: 'workers', author: 'user-wrk' };

type Mark = { type: string; attrs?: Record<string, unknown> };
const text = (t: string, ...marks: Mark[]): PMNode =>
  marks.length ? { type: 'text', text: t, marks } : { type: 'text', text: t };
const ins = (attrs: SuggestionAttrs): Mark => ({ type: 'suggestionInsert', attrs: { ...attrs } });
const del = (attrs: SuggestionAttrs): Mark => ({ type: 'suggestionDelete', attrs: { ...attrs } });
const para = (number: string, content: PMNode[], suggestion: SuggestionAttrs | null = null): PMNode => ({
  type: 'numberedParagraph',
  attrs: { number, suggestion },
  content: [{ type: 'paragraph', content }],
});
const docOf = (...content: PMNode[]) => prosemirrorJSONToYDoc(documentSchema(), { type: 'doc', content }, 'default');
/** ProseMirror JSON through the schema: valid, and with marks in the schema's order. */
const json = (doc: Y.Doc) =>
  documentSchema()
    .nodeFromJSON(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment('default')))
    .toJSON();
const expected = (...content: PMNode[]) => json(docOf(...content));

function placementError(run: () => unknown): PlacementError {
  try {
    run();
  } catch (err) {
    if (err instanceof PlacementError) return err;
    throw err;
  }
  throw new Error('expected a PlacementError');
}

describe('accept and reject', () => {
  const replaced = () =>
    docOf(
      para('27', [
        text('Les '),
        text('anciens', del(emp)),
        text('nouveaux', ins(emp)),
        text(' mots '),
        text('restent', del(wrk)),
      ]),
      para('27bis', [text('Proposé.')], emp),
      para('28', [text('Suite.')]),
    );

  it('accept applies the amendment to the official text and leaves no mark of it', () => {
    const doc = replaced();
    expect(acceptSuggestion(doc, emp.id)).toBe(true);
    expect(json(doc)).toEqual(
      expected(
        para('27', [text('Les nouveaux mots '), text('restent', del(wrk))]),
        para('27bis', [text('Proposé.')]),
        para('28', [text('Suite.')]),
      ),
    );
    expect(deriveSuggestions(doc, 's').has(emp.id)).toBe(false);
    expect(deriveSuggestions(doc, 's').has(wrk.id)).toBe(true);
  });

  it('reject removes the proposal and keeps the official words', () => {
    const doc = replaced();
    expect(removeSuggestion(doc, emp.id)).toBe(true);
    expect(json(doc)).toEqual(
      expected(para('27', [text('Les anciens mots '), text('restent', del(wrk))]), para('28', [text('Suite.')])),
    );
  });

  it('says when the text holds nothing of the amendment', () => {
    const doc = replaced();
    expect(acceptSuggestion(doc, 'unknown0001')).toBe(false);
    expect(removeSuggestion(doc, 'unknown0001')).toBe(false);
  });

  it('accepting a deletion removes the words, across a footnote', () => {
    const doc = docOf(
      para('2', [
        text('Un '),
        text('deux', del(emp)),
        { type: 'footnote', attrs: { marker: '1', text: 'N.' } },
        text(' trois', del(emp)),
        text(' quatre'),
      ]),
    );
    acceptSuggestion(doc, emp.id);
    expect(json(doc)).toEqual(
      expected(para('2', [text('Un '), { type: 'footnote', attrs: { marker: '1', text: 'N.' } }, text(' quatre')])),
    );
  });
});

describe('placeByForm', () => {
  it('inserts after another group’s replacement of the same words, without cutting it in two', () => {
    const doc = docOf(
      para('27', [
        text('Une importance '),
        text('fondamentale', del(wrk)),
        text('essentielle', ins(wrk)),
        text(' pour l’OIT.'),
      ]),
    );
    placeByForm(doc, {
      paragraph: 27,
      op: 'insert',
      find: 'importance fondamentale',
      text: ' et prioritaire',
      attrs: emp,
    });
    expect(json(doc)).toEqual(
      expected(
        para('27', [
          text('Une importance '),
          text('fondamentale', del(wrk)),
          text('essentielle', ins(wrk)),
          text(' et prioritaire', ins(emp)),
          text(' pour l’OIT.'),
        ]),
      ),
    );
    expect(deriveSuggestions(doc, 's').get(wrk.id)?.type).toBe('replace');
  });

  const base = () =>
    docOf(
      para('26', [text('Autre texte.')]),
      para('27', [text('Le Bureau soutient les mandants '), text('tripartites', { type: 'italic' }), text('.')]),
    );

  it('inserts right after the words found, as if typed', () => {
    const doc = base();
    placeByForm(doc, { paragraph: 27, op: 'insert', find: 'Le Bureau', text: ' renforcera et', attrs: emp });
    expect(json(doc)).toEqual(
      expected(
        para('26', [text('Autre texte.')]),
        para('27', [
          text('Le Bureau'),
          text(' renforcera et', ins(emp)),
          text(' soutient les mandants '),
          text('tripartites', { type: 'italic' }),
          text('.'),
        ]),
      ),
    );
  });

  it('marks a deletion, across formatting', () => {
    const doc = base();
    placeByForm(doc, { paragraph: 27, op: 'delete', find: 'mandants tripartites', attrs: wrk });
    expect(json(doc)).toEqual(
      expected(
        para('26', [text('Autre texte.')]),
        para('27', [
          text('Le Bureau soutient les '),
          text('mandants ', del(wrk)),
          text('tripartites', { type: 'italic' }, del(wrk)),
          text('.'),
        ]),
      ),
    );
  });

  it('replaces with both marks under one id; the new words keep the formatting of the old', () => {
    const doc = base();
    placeByForm(doc, { paragraph: 27, op: 'replace', find: 'tripartites', text: 'de l’OIT', attrs: emp });
    expect(json(doc)).toEqual(
      expected(
        para('26', [text('Autre texte.')]),
        para('27', [
          text('Le Bureau soutient les mandants '),
          text('tripartites', { type: 'italic' }, del(emp)),
          text('de l’OIT', { type: 'italic' }, ins(emp)),
          text('.'),
        ]),
      ),
    );
    expect(deriveSuggestions(doc, 's').get(emp.id)).toMatchObject({
      type: 'replace',
      originalText: 'tripartites',
      proposedText: 'de l’OIT',
    });
  });

  it('matches the official text only: proposed words are skipped, words proposed for deletion count', () => {
    const doc = docOf(para('5', [text('A '), text('ajouté ', ins(wrk)), text('B '), text('C', del(wrk))]));
    placeByForm(doc, { paragraph: 5, op: 'insert', find: 'A B C', text: ' et D', attrs: emp });
    expect(json(doc)).toEqual(
      expected(
        para('5', [text('A '), text('ajouté ', ins(wrk)), text('B '), text('C', del(wrk)), text(' et D', ins(emp))]),
      ),
    );
  });

  it('refuses words that occur 0 or several times, saying how many', () => {
    const doc = docOf(para('27', [text('le texte et le texte')]));
    expect(
      placementError(() => placeByForm(doc, { paragraph: 27, op: 'delete', find: 'absent', attrs: emp })),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/occurs 0 times in paragraph 27/),
    });
    expect(
      placementError(() => placeByForm(doc, { paragraph: 27, op: 'delete', find: 'le texte', attrs: emp })),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/occurs 2 times in paragraph 27; give more words so it is unique/),
    });
    expect(
      placementError(() => placeByForm(doc, { paragraph: 99, op: 'delete', find: 'texte', attrs: emp })).message,
    ).toMatch(/no paragraph 99/);
    expect(
      placementError(() => placeByForm(doc, { paragraph: 27, op: 'insert', find: 'et', attrs: emp })).message,
    ).toMatch(/needs the new words/);
  });

  it('does not see proposed paragraphs (27bis) as paragraph 27', () => {
    const doc = docOf(para('27bis', [text('Proposé.')], wrk));
    expect(
      placementError(() => placeByForm(doc, { paragraph: 27, op: 'delete', find: 'Proposé', attrs: emp })).message,
    ).toMatch(/no paragraph 27/);
  });

  it('refuses a range that overlaps another amendment (409)', () => {
    const doc = docOf(
      para('8', [text('un '), text('deux', del(wrk)), text(' trois '), text('neuf ', ins(wrk)), text('quatre')]),
    );
    const overDelete = placementError(() =>
      placeByForm(doc, { paragraph: 8, op: 'delete', find: 'un deux', attrs: emp }),
    );
    expect(overDelete).toMatchObject({ status: 409, conflictingId: wrk.id });
    const overInsert = placementError(() =>
      placeByForm(doc, { paragraph: 8, op: 'replace', find: 'trois quatre', text: 'x', attrs: emp }),
    );
    expect(overInsert).toMatchObject({ status: 409, conflictingId: wrk.id });
    // An insertion may not split another amendment's deletion.
    const split = docOf(para('9', [text('un '), text('deux trois', del(wrk))]));
    expect(
      placementError(() => placeByForm(split, { paragraph: 9, op: 'insert', find: 'un deux', text: 'x', attrs: emp })),
    ).toMatchObject({ status: 409 });
    // Right next to another amendment is fine.
    placeByForm(doc, { paragraph: 8, op: 'delete', find: 'trois', attrs: emp });
    expect(deriveSuggestions(doc, 's').get(emp.id)).toMatchObject({ type: 'delete', originalText: 'trois' });
  });

  it('does not let `find` span two blocks of a paragraph', () => {
    const doc = docOf({
      type: 'numberedParagraph',
      attrs: { number: '28' },
      content: [
        { type: 'paragraph', content: [text('Introduction :')] },
        {
          type: 'bulletList',
          content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('premier point')] }] }],
        },
      ],
    });
    expect(
      placementError(() => placeByForm(doc, { paragraph: 28, op: 'delete', find: ': premier', attrs: emp })).status,
    ).toBe(400);
    placeByForm(doc, { paragraph: 28, op: 'delete', find: 'premier', attrs: emp });
    expect(deriveSuggestions(doc, 's').get(emp.id)?.paragraphs).toEqual([28]);
  });
});
