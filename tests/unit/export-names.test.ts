import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { placeByForm } from '../../server/amendments/textEdits.js';
import { renderAkn } from '../../server/exports/akn/akn.js';
import { renderCompilationDocx } from '../../server/exports/compilation/docx.js';
import { renderCompilationHtml } from '../../server/exports/compilation/html.js';
import { buildCompilation } from '../../server/exports/compilation/model.js';
import { renderTextDocx } from '../../server/exports/docx/textDocument.js';
import type { ExportSource } from '../../server/exports/model.js';
import type { Comment } from '../../shared/threads.js';
import { openDocx } from '../support/docx.js';
import { exportDocument } from '../support/exportFixtures.js';
import { amendmentRecord, exportSource, sectionDocs, threadRecord } from '../support/exportSource.js';

/**
 * States and groups in the document's language in every export: a French document prints "Afrique du
 * Sud", "le Bureau", "Groupe des employeurs" — whether the record holds an English name or a code.
 */

const AT = Date.UTC(2026, 10, 21, 10, 0);

function source(language: 'fr' | 'en'): ExportSource {
  const doc = { ...exportDocument(), language };
  const docs = sectionDocs(doc);
  const part = docs.get('part-1') as Y.Doc;
  placeByForm(part, {
    paragraph: 1,
    op: 'replace',
    find: 'soutient',
    text: 'appuie',
    attrs: { id: 'aaaaaaaaaaaa', by: 'government:South Africa', author: 'u1' },
  });
  placeByForm(part, {
    paragraph: 2,
    op: 'delete',
    find: 'au cœur du mandat',
    attrs: { id: 'bbbbbbbbbbbb', by: 'government:DE', author: 'u3' },
  });
  const vote = (ownerKey: string, stance: 'support' | 'oppose') => ({
    ownerKey,
    stance,
    byUserId: 'u9',
    byName: 'Ana Lima',
    at: AT,
  });
  const amendments = [
    amendmentRecord({
      id: 'aaaaaaaaaaaa',
      ref: 'A-1',
      sectionId: 'part-1',
      type: 'replace',
      originalText: 'soutient',
      proposedText: 'appuie',
      ownerKey: 'government:South Africa',
      group: 'government',
      memberState: 'South Africa',
      rationale: 'Plus net.',
      cosponsors: [{ ownerKey: 'government:United States of America', byUserId: 'u4', byName: 'Joe Doe', at: AT }],
      votes: [vote('employers', 'oppose'), vote('government:Germany', 'support'), vote('workers', 'support')],
    }),
    amendmentRecord({
      id: 'bbbbbbbbbbbb',
      ref: 'A-2',
      sectionId: 'part-1',
      paragraphs: [2],
      type: 'delete',
      originalText: 'au cœur du mandat',
      ownerKey: 'government:DE',
      group: 'government',
      memberState: 'DE',
    }),
    amendmentRecord({
      id: 'cccccccccccc',
      ref: 'A-3',
      sectionId: 'part-1',
      type: 'replace',
      parentId: 'aaaaaaaaaaaa',
      originalText: 'appuie',
      proposedText: 'encourage',
      ownerKey: 'employers',
      group: 'employers',
    }),
  ];
  const comment = (threadId: string, over: Partial<Comment>): Comment => ({
    id: `${threadId}-c1`,
    threadId,
    authorId: 'u2',
    authorName: 'Julien Moreau',
    authorRole: 'delegate',
    authorGroup: 'government',
    authorMemberState: 'South Africa',
    body: 'Un commentaire.',
    createdAt: AT,
    editedAt: null,
    deleted: false,
    ...over,
  });
  const threads = [
    threadRecord({ id: 't1', sectionId: 'part-1', paragraph: 1, comments: [comment('t1', {})] }),
    threadRecord({
      id: 't2',
      sectionId: 'part-1',
      paragraph: 2,
      comments: [
        comment('t2', {
          authorName: 'Claire Martin',
          authorRole: 'secretariat',
          authorGroup: null,
          authorMemberState: null,
          body: 'Note du Bureau.',
        }),
      ],
    }),
  ];
  return exportSource(doc, docs, { amendments, threads });
}

/** Everything a reader sees in a Word file: its parts' text and attributes (authors). */
function wordText(bytes: Uint8Array): string {
  const { files } = openDocx(bytes);
  return Object.entries(files)
    .filter(([name]) => name.endsWith('.xml'))
    .map(([, data]) => strFromU8(data))
    .join('\n');
}

/** Akoma Ntoso without Concord's machine-readable block (owner keys are data there, not names). */
function aknText(xml: string): string {
  return xml.replace(/<proprietary[\s\S]*?<\/proprietary>/g, '');
}

const ENGLISH = ['South Africa', 'Germany', 'United States', "Employers' group", "Workers' group", 'the Office'];

describe('names in the exports follow the document’s language', () => {
  it('French document: States through CLDR, groups and the Office in French, in every export', () => {
    const src = source('fr');
    const compilation = buildCompilation(src);
    const exports: [string, string][] = [
      ['tracked', wordText(renderTextDocx(src, 'tracked'))],
      ['compilation.html', renderCompilationHtml(compilation)],
      ['compilation.docx', wordText(renderCompilationDocx(compilation, 'fr'))],
      ['akn', aknText(renderAkn(src))],
    ];
    for (const [name, text] of exports) {
      for (const english of ENGLISH) expect(text, `${name}: ${english}`).not.toContain(english);
      expect(text, name).toContain('Afrique du Sud');
      expect(text, name).toContain('Allemagne');
    }
    const tracked = exports[0]?.[1] ?? '';
    expect(tracked).toContain('w:author="Afrique du Sud"');
    expect(tracked).toContain('Afrique du Sud (coauteurs : États-Unis)');
    expect(tracked).toContain('Julien Moreau (Afrique du Sud)');
    expect(tracked).toContain('Claire Martin (Bureau)');
    expect(tracked).toContain('Groupe des employeurs — Sous-amendement à A-1');
    const html = exports[1]?.[1] ?? '';
    expect(html).toMatch(/Groupe gouvernemental<\/th><td>Allemagne<\/td>/);
    expect(html).toMatch(/Groupe des employeurs<\/th><td>—<\/td><td>Groupe des employeurs<\/td>/);
    expect(exports[3]?.[1]).toContain('<docProponent>Afrique du Sud</docProponent>');
  });

  it('English document: the same records in English', () => {
    const src = source('en');
    const tracked = wordText(renderTextDocx(src, 'tracked'));
    expect(tracked).toContain('w:author="South Africa"');
    expect(tracked).toContain('South Africa (co-sponsors: United States)');
    const html = renderCompilationHtml(buildCompilation(src));
    expect(html).toContain('Germany');
    expect(html).not.toContain('Afrique du Sud');
  });
});
