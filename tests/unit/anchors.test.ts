import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  anchorState,
  createTextAnchor,
  decodeAnchorPosition,
  encodeAnchorPosition,
  paragraphOfPosition,
  resolveAnchor,
  resolveAnchorPosition,
} from '../../shared/anchors.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { ThreadAnchor } from '../../shared/threads.js';

const TEXT = 'Le Conseil prie le Directeur général de prendre en compte les orientations.';

/** A section as the editor stores it: fragment > numberedParagraph > paragraph > text. */
function seed(doc: Y.Doc): void {
  const fragment = doc.getXmlFragment(SECTION_FRAGMENT);
  const numbered = new Y.XmlElement('numberedParagraph');
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  numbered.setAttribute('number', '3');
  fragment.insert(0, [numbered]);
  numbered.insert(0, [paragraph]);
  paragraph.insert(0, [text]);
  text.insert(0, TEXT);
}

function textOf(doc: Y.Doc): Y.XmlText {
  const numbered = doc.getXmlFragment(SECTION_FRAGMENT).get(0) as Y.XmlElement;
  return (numbered.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

/** Two documents wired together without a network: every local update is applied to the other. */
function pair(): { a: Y.Doc; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(b, update, 'remote');
  });
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(a, update, 'remote');
  });
  seed(a);
  return { a, b };
}

/** Two docs that diverge, then exchange what each has that the other lacks (concurrent edits). */
function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

function anchorOn(doc: Y.Doc, words: string): ThreadAnchor {
  const text = textOf(doc);
  const from = text.toString().indexOf(words);
  return createTextAnchor(text, from, from + words.length);
}

describe('text anchors', () => {
  it('quotes the range and resolves to it, with its paragraph', () => {
    const { a, b } = pair();
    const anchor = anchorOn(a, 'Directeur général');
    expect(anchor.quote).toBe('Directeur général');
    for (const doc of [a, b]) {
      const resolved = resolveAnchor(doc, anchor);
      expect(resolved).toMatchObject({ state: 'live', text: 'Directeur général' });
      expect(resolved.from && paragraphOfPosition(resolved.from)).toBe(3);
    }
  });

  it('follows concurrent inserts before, inside and after the range by the other document', () => {
    const { a, b } = pair();
    const anchor = anchorOn(a, 'Directeur général');
    // Unwire: both documents edit at the same time, then exchange.
    const a2 = new Y.Doc();
    const b2 = new Y.Doc();
    Y.applyUpdate(a2, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(b2, Y.encodeStateAsUpdate(b));
    const start = TEXT.indexOf('Directeur');
    const end = start + 'Directeur général'.length;
    textOf(b2).insert(end, ' adjoint'); // just after: outside the range
    textOf(b2).insert(start + 'Directeur'.length, ' très'); // inside
    textOf(b2).insert(0, 'Ainsi, '); // before
    textOf(a2).insert(start, 'cher '); // concurrently, just before, in the other doc
    exchange(a2, b2);
    expect(textOf(a2).toString()).toBe(textOf(b2).toString());
    for (const doc of [a2, b2]) {
      expect(resolveAnchor(doc, anchor)).toMatchObject({ state: 'live', text: 'Directeur très général' });
    }
    expect(textOf(a2).toString()).toContain('cher Directeur très général adjoint');
  });

  it('keeps following while the documents stay wired and both type', () => {
    const { a, b } = pair();
    const anchor = anchorOn(b, 'orientations');
    textOf(a).insert(0, 'À sa 346e session, ');
    textOf(b).insert(textOf(b).length - 1, ' du Bureau');
    textOf(a).delete(0, 3);
    for (const doc of [a, b]) expect(resolveAnchor(doc, anchor).text).toBe('orientations');
  });

  it('marks an anchor deleted when its text is deleted, yet still resolves it to where it was', () => {
    const { a, b } = pair();
    const threads = new Map<string, ThreadAnchor>([['t-1', anchorOn(a, 'prendre en compte')]]);
    const start = TEXT.indexOf('prendre en compte');
    textOf(b).delete(start, 'prendre en compte '.length);
    const anchor = threads.get('t-1');
    expect(anchor).toBeDefined();
    if (!anchor) return;
    for (const doc of [a, b]) {
      const resolved = resolveAnchor(doc, anchor);
      expect(resolved.state).toBe('deleted');
      expect(anchorState(doc, anchor)).toBe('deleted');
      // The thread keeps its quote and a place in the text: it never vanishes.
      expect(resolved.from?.index).toBe(start);
      expect(anchor.quote).toBe('prendre en compte');
      expect(resolveAnchorPosition(doc, anchor.from)).toBeNull();
    }
  });

  it('stays live when only part of the range is deleted', () => {
    const { a } = pair();
    const anchor = anchorOn(a, 'Directeur général');
    textOf(a).delete(TEXT.indexOf('Directeur'), 'Directeur '.length);
    expect(resolveAnchor(a, anchor)).toMatchObject({ state: 'live', text: 'général' });
  });

  it('is deleted when the whole paragraph goes', () => {
    const { a, b } = pair();
    const anchor = anchorOn(a, 'Conseil');
    b.getXmlFragment(SECTION_FRAGMENT).delete(0, 1);
    expect(anchorState(a, anchor)).toBe('deleted');
  });

  it('survives encoding and decoding the whole document (a reload), with and without garbage collection', () => {
    const { a, b } = pair();
    const anchor = anchorOn(a, 'Directeur général');
    textOf(b).insert(0, 'Préambule. ');
    const gone = anchorOn(a, 'les orientations');
    textOf(b).delete(textOf(b).toString().indexOf('les orientations'), 'les orientations'.length);
    for (const gc of [true, false]) {
      const reloaded = new Y.Doc({ gc });
      Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(b));
      expect(resolveAnchor(reloaded, anchor)).toMatchObject({ state: 'live', text: 'Directeur général' });
      expect(anchorState(reloaded, gone)).toBe('deleted');
    }
  });

  it('refuses garbage and does not resolve positions unknown to a document', () => {
    for (const bad of ['', 'not base64!', 'AAAA', 'AQID', `${encodeAnchorPosition(new Y.Doc().getText('x'), 0)}AA==`]) {
      expect(decodeAnchorPosition(bad)).toBeNull();
    }
    const { a } = pair();
    const anchor = anchorOn(a, 'Conseil');
    expect(decodeAnchorPosition(anchor.from)).not.toBeNull();
    expect(resolveAnchorPosition(new Y.Doc(), anchor.from)).toBeNull();
    expect(anchorState(new Y.Doc(), anchor)).toBe('deleted');
    expect(() => createTextAnchor(textOf(a), 4, 4)).toThrow(RangeError);
  });
});
