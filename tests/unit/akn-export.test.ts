import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { placeByForm } from '../../server/amendments/textEdits.js';
import { AKN_NS, renderAkn } from '../../server/exports/akn/akn.js';
import { exportDocument } from '../support/exportFixtures.js';
import { amendmentRecord, exportSource, sectionDocs } from '../support/exportSource.js';

function parse(xml: string): XmlElement {
  const dom = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(message);
    },
  }).parseFromString(xml, 'application/xml');
  if (!dom.documentElement) throw new Error('no root');
  return dom.documentElement;
}

const kids = (el: XmlElement | undefined) =>
  el ? Array.from(el.childNodes).filter((n): n is XmlElement => n.nodeType === 1) : [];
const names = (el: XmlElement | undefined) => kids(el).map((c) => c.localName);
const child = (el: XmlElement | undefined, name: string) => kids(el).find((c) => c.localName === name);

function build(withAmendments = true) {
  const doc = exportDocument();
  const docs = sectionDocs(doc);
  const part = docs.get('part-1');
  if (!part) throw new Error('no part-1');
  placeByForm(part, {
    paragraph: 1,
    op: 'replace',
    find: 'soutient',
    text: 'appuie',
    attrs: { id: 'aaaaaaaaaaaa', by: 'workers', author: 'u1' },
  });
  const amendments = withAmendments
    ? [
        amendmentRecord({
          id: 'aaaaaaaaaaaa',
          ref: 'A-1',
          sectionId: 'part-1',
          type: 'replace',
          originalText: 'soutient',
          proposedText: 'appuie',
          rationale: 'Plus net.',
        }),
        amendmentRecord({
          id: 'cccccccccccc',
          ref: 'A-2',
          sectionId: 'outcome-1',
          paragraphs: [5],
          type: 'delete',
          originalText: ' en termes réels',
          status: 'rejected',
        }),
        amendmentRecord({
          id: 'dddddddddddd',
          ref: 'A-3',
          sectionId: 'outcome-1',
          paragraphs: [4],
          status: 'draft',
          proposedText: 'secret',
        }),
      ]
    : [];
  return renderAkn(exportSource(doc, docs, { amendments }));
}

describe('Akoma Ntoso export', () => {
  it('has the structure the OASIS schema requires: akomaNtoso/doc with meta, FRBR identification, mainBody', () => {
    const root = parse(build());
    expect(root.namespaceURI).toBe(AKN_NS);
    expect(names(root)).toEqual(['doc']);
    const doc = child(root, 'doc');
    expect(doc?.getAttribute('name')).toBe('GB-999-EXPORT-1');
    expect(names(doc)).toEqual(['meta', 'preface', 'mainBody', 'components']);
    const identification = child(child(doc, 'meta'), 'identification');
    expect(names(identification)).toEqual(['FRBRWork', 'FRBRExpression', 'FRBRManifestation']);
    expect(names(child(identification, 'FRBRWork'))).toEqual([
      'FRBRthis',
      'FRBRuri',
      'FRBRdate',
      'FRBRauthor',
      'FRBRcountry',
    ]);
    expect(names(child(identification, 'FRBRExpression'))).toEqual([
      'FRBRthis',
      'FRBRuri',
      'FRBRdate',
      'FRBRauthor',
      'FRBRlanguage',
    ]);
    // Sections as hcontainers with num and heading; numbered paragraphs with num and content.
    const sections = kids(child(doc, 'mainBody'));
    expect(sections.map((s) => [s.localName, s.getAttribute('eId')])).toEqual([
      ['hcontainer', 'sec_part-1'],
      ['hcontainer', 'sec_outcome-1'],
      ['hcontainer', 'sec_decision'],
    ]);
    const paragraphs = Array.from(root.getElementsByTagNameNS(AKN_NS, 'paragraph'));
    expect(paragraphs.map((p) => [p.getAttribute('eId'), names(p)])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [`para_${n}`, ['num', 'content']]),
    );
    // The official text, with the footnote as an authorial note.
    expect(paragraphs[0]?.textContent).toBe(
      '1.Le Bureau soutient les mandants tripartites dans la mise en œuvre du programme.',
    );
    expect(paragraphs[1]?.getElementsByTagNameNS(AKN_NS, 'authorialNote')[0]?.getAttribute('marker')).toBe('1');
  });

  it('lists tabled amendments (never drafts) in an amendmentList, each referring to an existing paragraph eId', () => {
    const root = parse(build());
    const eIds = Array.from(root.getElementsByTagName('*'))
      .map((e) => e.getAttribute('eId'))
      .filter((e): e is string => !!e);
    expect(new Set(eIds).size).toBe(eIds.length);
    const list = root.getElementsByTagNameNS(AKN_NS, 'amendmentList')[0];
    expect(names(list)).toEqual(['meta', 'preface', 'collectionBody']);
    const amendments = Array.from(root.getElementsByTagNameNS(AKN_NS, 'amendment'));
    expect(amendments.map((a) => a.getAttribute('name'))).toEqual(['A-1', 'A-2']);
    for (const a of amendments) {
      expect(names(a)).toEqual(['meta', 'preface', 'amendmentBody']);
      expect(names(child(a, 'amendmentBody'))).toEqual([
        'amendmentHeading',
        'amendmentContent',
        'amendmentJustification',
      ]);
      const destination = a.getElementsByTagNameNS(AKN_NS, 'destination')[0]?.getAttribute('href') ?? '';
      const paragraph = root.getElementsByTagNameNS(AKN_NS, 'paragraph');
      expect(Array.from(paragraph).map((p) => `#${p.getAttribute('eId')}`)).toContain(destination);
    }
    expect(amendments[0]?.getElementsByTagNameNS(AKN_NS, 'textualMod')[0]?.getAttribute('type')).toBe('substitution');
    expect(amendments[1]?.getElementsByTagNameNS(AKN_NS, 'textualMod')[0]?.getAttribute('type')).toBe('repeal');
    expect(child(child(amendments[0], 'amendmentBody'), 'amendmentJustification')?.textContent).toBe('Plus net.');
    expect(child(child(amendments[0], 'amendmentBody'), 'amendmentContent')?.textContent).toBe(
      'Au paragraphe 1, remplacer soutient par appuie',
    );
    expect(build()).not.toContain('secret');
  });

  it('stays valid with no amendment: the collection holds one interstitial component', () => {
    const root = parse(build(false));
    expect(root.getElementsByTagNameNS(AKN_NS, 'interstitial').length).toBe(1);
    expect(root.getElementsByTagNameNS(AKN_NS, 'amendment').length).toBe(0);
  });

  it('says where an insertion goes, points a sub-amendment at its parent and dates the document by its own date', () => {
    const doc = { ...exportDocument(), date: { value: '2023-02-10', name: 'document' as const } };
    const docs = sectionDocs(doc);
    const part = docs.get('part-1');
    if (!part) throw new Error('no part-1');
    placeByForm(part, {
      paragraph: 1,
      op: 'insert',
      find: 'les mandants tripartites',
      text: ' et leurs organisations',
      attrs: { id: 'eeeeeeeeeeee', by: 'workers', author: 'u1' },
    });
    const amendments = [
      // Typed in the text: no form, the anchor is read from the paragraph.
      amendmentRecord({ id: 'eeeeeeeeeeee', ref: 'A-1', sectionId: 'part-1', proposedText: ' et leurs organisations' }),
      amendmentRecord({
        id: 'ffffffffffff',
        ref: 'A-2',
        sectionId: 'part-1',
        type: 'replace',
        parentId: 'eeeeeeeeeeee',
        originalText: 'leurs',
        proposedText: 'les',
        form: { paragraph: 1, op: 'replace', find: 'leurs', text: 'les', anchor: null },
      }),
    ];
    const source = exportSource(doc, docs, { amendments, at: Date.UTC(2026, 11, 6) });
    source.outline.date = doc.date;
    const root = parse(renderAkn(source));
    const [first, sub] = Array.from(root.getElementsByTagNameNS(AKN_NS, 'amendment'));
    const content = (a: XmlElement | undefined) => child(child(a, 'amendmentBody'), 'amendmentContent');
    expect(content(first)?.textContent).toBe(
      'Au paragraphe 1, après les mots Le Bureau soutient les mandants tripartites, insérer  et leurs organisations',
    );
    const quotes = Array.from(content(first)?.getElementsByTagNameNS(AKN_NS, 'quotedText') ?? []);
    expect(quotes.map((q) => [q.getAttribute('class'), q.textContent])).toEqual([
      ['anchor', 'Le Bureau soutient les mandants tripartites'],
      ['new', ' et leurs organisations'],
    ]);
    // The sub-amendment modifies its parent's mod, and says so.
    const parentMod = first?.getElementsByTagNameNS(AKN_NS, 'mod')[0]?.getAttribute('eId');
    expect(sub?.getElementsByTagNameNS(AKN_NS, 'destination')[0]?.getAttribute('href')).toBe(`#${parentMod}`);
    expect(content(sub)?.textContent).toBe('À l’amendement A-1, remplacer leurs par les');
    // Its own reference, numbered under its parent's.
    expect(sub?.getElementsByTagNameNS(AKN_NS, 'docNumber')[0]?.textContent).toBe('A-1/1');
    expect(child(child(sub, 'amendmentBody'), 'amendmentHeading')?.textContent).toMatch(/^A-1\/1 \(A-2\) — /);
    // Work and expression: the document's date; only the manifestation (this file) has the export's.
    const dates = Array.from(root.getElementsByTagNameNS(AKN_NS, 'FRBRdate')).slice(0, 3);
    expect(dates.map((d) => [d.getAttribute('date'), d.getAttribute('name')])).toEqual([
      ['2023-02-10', 'document'],
      ['2023-02-10', 'document'],
      ['2026-12-06', 'generation'],
    ]);
  });
});
