import { strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { ImportedDocument } from '../../shared/document.js';
import type { PMNode } from '../../shared/schema/index.js';
import { placeByForm } from '../../server/amendments/textEdits.js';
import { renderAkn } from '../../server/exports/akn/akn.js';
import { renderCompilationDocx } from '../../server/exports/compilation/docx.js';
import { renderCompilationHtml } from '../../server/exports/compilation/html.js';
import { buildCompilation } from '../../server/exports/compilation/model.js';
import { renderTextDocx } from '../../server/exports/docx/textDocument.js';
import { openDocx } from '../support/docx.js';
import { amendmentRecord, exportSource, sectionDocs } from '../support/exportSource.js';

/** A small Spanish document, as the importer hands it over: one part, two numbered paragraphs. */
function spanishDocument(): ImportedDocument {
  const text = (t: string): PMNode => ({ type: 'text', text: t });
  const para = (n: number, words: string): PMNode => ({
    type: 'numberedParagraph',
    attrs: { number: String(n) },
    content: [{ type: 'paragraph', content: [text(words)] }],
  });
  return {
    id: 'gb-999-es-1',
    symbol: 'GB.999/ES/1',
    title: 'Documento de prueba',
    language: 'es',
    sections: [
      {
        id: 'part-1',
        kind: 'part',
        label: 'I',
        title: 'Introducción',
        parentId: null,
        paragraphs: [1, 2],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 1 }, content: [text('I. Introducción')] },
            para(1, 'La Oficina apoya a los mandantes tripartitos en la aplicación del programa.'),
            para(2, 'La justicia social está en el centro del mandato de la Organización.'),
          ],
        },
      },
    ],
  } as unknown as ImportedDocument;
}

const AT = Date.UTC(2026, 10, 21, 10, 0);

function source() {
  const doc = spanishDocument();
  const docs = sectionDocs(doc);
  const part = docs.get('part-1') as Y.Doc;
  placeByForm(part, {
    paragraph: 1,
    op: 'replace',
    find: 'apoya',
    text: 'respalda',
    attrs: { id: 'aaaaaaaaaaaa', by: 'government:South Africa', author: 'u1' },
  });
  placeByForm(part, {
    paragraph: 2,
    op: 'delete',
    find: 'social',
    attrs: { id: 'bbbbbbbbbbbb', by: 'employers', author: 'u2' },
  });
  const amendments = [
    amendmentRecord({
      id: 'aaaaaaaaaaaa',
      ref: 'A-1',
      sectionId: 'part-1',
      type: 'replace',
      originalText: 'apoya',
      proposedText: 'respalda',
      ownerKey: 'government:South Africa',
      group: 'government',
      memberState: 'South Africa',
      rationale: 'Más claro.',
      votes: [{ ownerKey: 'workers', stance: 'support', byUserId: 'u9', byName: 'Ana Lima', at: AT }],
    }),
    amendmentRecord({
      id: 'bbbbbbbbbbbb',
      ref: 'A-2',
      sectionId: 'part-1',
      paragraphs: [2],
      type: 'delete',
      originalText: 'social',
      ownerKey: 'employers',
      group: 'employers',
    }),
  ];
  return exportSource(doc, docs, { amendments, threads: [] });
}

function wordText(bytes: Uint8Array): string {
  return Object.entries(openDocx(bytes).files)
    .filter(([name]) => name.endsWith('.xml'))
    .map(([, data]) => strFromU8(data))
    .join('\n');
}

/** Labels that gave away English (or French) words in a Spanish document's exports before. */
const FOREIGN = [
  'Compilation of amendments',
  'Tabled by',
  'Rationale',
  "Employers' group",
  "Workers' group",
  'Government group',
  'South Africa',
  'Pending',
  '>Paragraph ',
  'Exported from Concord',
  'Compilation des amendements',
];

describe('a Spanish document exports in Spanish', () => {
  it('Word (tracked), the compilation (HTML and Word) and Akoma Ntoso print Spanish labels and names', () => {
    const src = source();
    const compilation = buildCompilation(src);
    expect(compilation.language).toBe('es');
    const exports: [string, string][] = [
      ['tracked', wordText(renderTextDocx(src, 'tracked'))],
      ['compilation.html', renderCompilationHtml(compilation)],
      ['compilation.docx', wordText(renderCompilationDocx(compilation, 'es'))],
      ['akn', renderAkn(src).replace(/<proprietary[\s\S]*?<\/proprietary>/g, '')],
    ];
    for (const [name, text] of exports) {
      for (const foreign of FOREIGN) expect(text, `${name}: ${foreign}`).not.toContain(foreign);
      expect(text, name).toContain('Sudáfrica');
    }
    const [tracked, html, docx, akn] = exports.map(([, text]) => text);
    expect(tracked).toContain('w:author="Sudáfrica"');
    expect(tracked).toContain('Enmiendas pendientes con control de cambios');
    expect(html).toContain('Compilación de enmiendas');
    expect(html).toContain('Grupo de los Empleadores');
    expect(html).toContain('Grupo de los Trabajadores');
    expect(html).toContain('Justificación');
    expect(docx).toContain('Presentada por');
    expect(akn).toContain('sustitúyase');
    expect(akn).toContain('suprímase');
    expect(akn).toContain('<FRBRlanguage language="spa"/>');
  });
});
