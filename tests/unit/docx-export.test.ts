import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTextAnchor, plainTextOf } from '../../shared/anchors.js';
import { placeByForm } from '../../server/amendments/textEdits.js';
import { renderTextDocx } from '../../server/exports/docx/textDocument.js';
import { exportFileName } from '../../server/exports/fileNames.js';
import { esc } from '../../server/exports/xml.js';
import { commentsWithAnchors, elements, openDocx, paragraphs, revisions, textOf, wAttr } from '../support/docx.js';
import { exportDocument } from '../support/exportFixtures.js';
import { amendmentRecord, exportSource, sectionDocs, threadRecord } from '../support/exportSource.js';

const doc = exportDocument();

function setUp() {
  const docs = sectionDocs(doc);
  const part = docs.get('part-1') as Y.Doc;
  placeByForm(part, {
    paragraph: 1,
    op: 'replace',
    find: 'soutient',
    text: 'appuie <vraiment> & "fort"',
    attrs: { id: 'aaaaaaaaaaaa', by: 'workers', author: 'u1' },
  });
  // A proposed paragraph 1bis, as a delegate's editor writes it.
  const fragment = part.getXmlFragment('default');
  const proposed = new Y.XmlElement('numberedParagraph');
  proposed.setAttribute('number', '1bis');
  proposed.setAttribute('suggestion', {
    id: 'bbbbbbbbbbbb',
    by: 'government:France',
    author: 'u2',
  } as unknown as string);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  text.insert(0, 'Un paragraphe nouveau.');
  paragraph.insert(0, [text]);
  proposed.insert(0, [paragraph]);
  fragment.insert(2, [proposed]);
  const amendments = [
    amendmentRecord({
      id: 'aaaaaaaaaaaa',
      ref: 'A-1',
      sectionId: 'part-1',
      type: 'replace',
      createdAt: Date.UTC(2026, 10, 20, 8, 0),
    }),
    amendmentRecord({
      id: 'bbbbbbbbbbbb',
      ref: 'A-2',
      sectionId: 'part-1',
      type: 'paragraph',
      ownerKey: 'government:France',
      group: 'government',
      memberState: 'France',
      createdAt: Date.UTC(2026, 10, 21, 14, 5, 7),
    }),
  ];
  return { docs, part, amendments };
}

describe('DOCX export of the text', () => {
  it('writes pending amendments as w:ins / w:del with the group or State and the amendment’s date', () => {
    const { docs, amendments } = setUp();
    const docx = openDocx(renderTextDocx(exportSource(doc, docs, { amendments }), 'tracked'));
    const body = docx.part('word/document.xml');
    const found = revisions(body);
    expect(found).toContainEqual(
      expect.objectContaining({
        kind: 'del',
        text: 'soutient',
        author: 'Groupe des travailleurs',
        date: '2026-11-20T08:00:00Z',
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'ins', text: 'appuie <vraiment> & "fort"', author: 'Groupe des travailleurs' }),
    );
    // The proposed paragraph: its number and words inserted, and its paragraph mark too.
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'ins', text: '1bis.\t', author: 'France', date: '2026-11-21T14:05:07Z' }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'ins', text: 'Un paragraphe nouveau.', author: 'France' }),
    );
    const marks = elements(body, 'rPr')
      .flatMap((r) => elements(r, 'ins'))
      .filter((i) => (i.parentNode as { localName?: string }).localName === 'rPr');
    expect(marks.map((m) => wAttr(m, 'author'))).toEqual(['France']);
    // Revision ids are unique.
    const ids = [...elements(body, 'ins'), ...elements(body, 'del')].map((e) => wAttr(e, 'id'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes the official text only in clean mode', () => {
    const { docs, amendments } = setUp();
    const body = openDocx(renderTextDocx(exportSource(doc, docs, { amendments }), 'clean')).part('word/document.xml');
    expect(revisions(body)).toEqual([]);
    const numbers = paragraphs(body)
      .filter((p) => p.style === 'NumberedPara')
      .map((p) => p.text.split('\t')[0]);
    expect(numbers).toEqual(['1.', '2.', '3.', '4.', '5.', '6.']);
    expect(textOf(body)).toContain('Le Bureau soutient les mandants');
  });

  it('anchors comments on text ranges, amendments and paragraphs, and keeps every part well-formed', () => {
    const { docs, amendments } = setUp();
    const outcome = docs.get('outcome-1') as Y.Doc;
    let target: Y.XmlText | null = null;
    outcome.getXmlFragment('default').forEach((node) => {
      if (node instanceof Y.XmlElement && node.getAttribute('number') === '4') {
        const p = node.toArray()[0] as Y.XmlElement;
        target = p.toArray()[0] as Y.XmlText;
      }
    });
    const text = target as unknown as Y.XmlText;
    const at = plainTextOf(text).indexOf('dialogue social');
    const threads = [
      threadRecord({
        id: 't1',
        sectionId: 'outcome-1',
        anchor: createTextAnchor(text, at, at + 'dialogue social'.length),
      }),
      threadRecord({ id: 't2', sectionId: 'part-1', amendmentId: 'aaaaaaaaaaaa' }),
      threadRecord({ id: 't3', sectionId: 'part-1', paragraph: 3 }),
      threadRecord({ id: 't4', sectionId: 'part-1', amendmentId: 'bbbbbbbbbbbb' }),
    ];
    const parent = amendments[0] as (typeof amendments)[number];
    parent.proposedText = 'appuie <vraiment> & "fort"';
    parent.rationale = 'Plus clair.';
    const sub = amendmentRecord({
      id: 'cccccccccccc',
      ref: 'A-3',
      sectionId: 'part-1',
      type: 'replace',
      parentId: 'aaaaaaaaaaaa',
      ownerKey: 'government:South Africa',
      group: 'government',
      memberState: 'South Africa',
      rationale: 'Plus juste.',
      form: { paragraph: 1, op: 'replace', find: 'vraiment', text: 'réellement', anchor: null },
    });
    const docx = openDocx(
      renderTextDocx(exportSource(doc, docs, { amendments: [...amendments, sub], threads }), 'tracked'),
    );
    for (const name of Object.keys(docx.files).filter((n) => n.endsWith('.xml') || n.endsWith('.rels')))
      docx.part(name);
    const comments = commentsWithAnchors(docx);
    // Threads on words or paragraphs stay comments of their own; an amendment's revisions carry its note,
    // with its sub-amendments and the threads on it as replies.
    expect(comments.map((c) => [c.anchored, c.text])).toEqual([
      ['dialogue social', 'Un commentaire.'],
      [
        'Le programme couvre trois domaines :les normes internationales du travail;le dialogue social et le tripartisme;',
        'Un commentaire.',
      ],
      ['soutientappuie <vraiment> & "fort"', 'A-1 — Groupe des travailleurs — Justification : Plus clair.'],
      [
        'soutientappuie <vraiment> & "fort"',
        'A-1/1 (A-3) — Afrique du Sud — Sous-amendement à A-1Propose : « appuie <réellement> & "fort" »Justification : Plus juste.',
      ],
      ['soutientappuie <vraiment> & "fort"', 'Un commentaire.'],
      ['Un paragraphe nouveau.', 'A-2 — France — Justification : —'],
      ['Un paragraphe nouveau.', 'Un commentaire.'],
    ]);
    expect(comments.map((c) => c.author)).toEqual([
      'Julien Moreau (France)',
      'Julien Moreau (France)',
      'Groupe des travailleurs',
      'Afrique du Sud',
      'Julien Moreau (France)',
      'France',
      'Julien Moreau (France)',
    ]);
    // Replies are linked to the note they answer.
    expect(docx.text('word/commentsExtended.xml').match(/w15:paraIdParent=/g)).toHaveLength(3);
    expect(comments[0]?.author).toBe('Julien Moreau (France)');
    // One id space for the package: footnotes numbered 1…n, revisions and comments after them.
    const body = docx.part('word/document.xml');
    const footnoteIds = elements(body, 'footnoteReference').map((e) => wAttr(e, 'id'));
    expect(footnoteIds).toEqual(['1']);
    const ids = [
      ...footnoteIds,
      ...elements(body, 'ins').map((e) => wAttr(e, 'id')),
      ...elements(body, 'del').map((e) => wAttr(e, 'id')),
      ...elements(body, 'commentRangeStart').map((e) => wAttr(e, 'id')),
    ];
    expect(ids.length).toBeGreaterThan(6);
    expect(new Set(ids).size).toBe(ids.length);
    const commentIds = elements(docx.part('word/comments.xml'), 'comment').map((e) => wAttr(e, 'id'));
    expect(new Set(commentIds)).toEqual(new Set(elements(body, 'commentReference').map((e) => wAttr(e, 'id'))));
  });

  it('carries no comment in the clean text, even for the Office', () => {
    const { docs, amendments } = setUp();
    const threads = [threadRecord({ id: 't3', sectionId: 'part-1', paragraph: 3 })];
    const docx = openDocx(renderTextDocx(exportSource(doc, docs, { amendments, threads }), 'clean'));
    expect(elements(docx.part('word/document.xml'), 'commentRangeStart')).toEqual([]);
    expect(elements(docx.part('word/comments.xml'), 'comment')).toEqual([]);
  });

  it('keeps the document’s footnote markers and escapes what XML cannot hold', () => {
    const { docs } = setUp();
    const docx = openDocx(renderTextDocx(exportSource(doc, docs), 'tracked'));
    const refs = elements(docx.part('word/document.xml'), 'footnoteReference');
    expect(refs.map((r) => wAttr(r, 'customMarkFollows'))).toEqual(['1']);
    expect(esc('a\u0001b<c>&"d"')).toBe('ab&lt;c&gt;&amp;&quot;d&quot;');
  });

  it('names files after the symbol and the day', () => {
    expect(exportFileName('GB.346/PFA/1', 'amendments', Date.UTC(2026, 10, 26, 12), 'docx')).toBe(
      'GB.346-PFA-1_amendments_2026-11-26.docx',
    );
  });
});
