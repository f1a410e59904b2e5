import { describe, expect, it } from 'vitest';
import { detectSymbol } from '../../seed/importer/clean.js';
import { findMarker } from '../../seed/importer/footnotes.js';
import { importGbDocument } from '../../seed/importer/index.js';
import { joinWrapped } from '../../seed/importer/text.js';
import type { ImportedDocument } from '../../shared/document.js';
import { type FigureGroup, type PMNode, documentSchema } from '../../shared/schema/index.js';

/**
 * A made-up document of the same family as the seed, written to exercise what the seed has and more: a
 * cover page, page headers in both orders, a footnote cutting a paragraph, a bullet item cut by a page
 * break, wrapped headings with blank lines between their lines, a stray URL and a small figure.
 */
const FRENCH = [
  'Conseil d’administration ',
  '350e session, Genève, mars 2024 ',
  '',
  'GB.350/PFA/2 ',
  '',
  'Section du programme, du budget et de l’administration ',
  'Date: 1er février 2024 ',
  'Original: anglais ',
  '',
  'Deuxième point à l’ordre du jour ',
  '',
  'Rapport fictif sur les essais ',
  'de l’importateur ',
  '',
  'Objet du document ',
  'Ce document sert aux essais. ',
  '',
  '  I. Introduction ',
  '',
  '1. Premier paragraphe de l’introduction, qui tient ',
  'sur deux lignes. ',
  '',
  ' GB.350/PFA/2 2 ',
  ' ',
  '',
  ' II. Contexte général ',
  '',
  '2. Ce paragraphe est coupé par une note de bas de page: la coalition mondiale 1 que ',
  'l’Organisation propose reste au cœur du programme, et le texte reprend ',
  '',
  ' ',
  '1 Voir le document GB.350/INS/3. ',
  ' après la note, sur la page suivante, sans oublier les effets socio-',
  'économiques. ',
  '',
  'Un intertitre découpé sur deux lignes ',
  '',
  'avec une ligne vide entre les deux ',
  '',
  '3. Au niveau national, l’OIT s’attachera à: ',
  '',
  '• premier élément de la liste, qui se poursuit ',
  'sur une deuxième ligne; ',
  '',
  '• deuxième élément, coupé par un saut de ',
  '',
  '',
  '',
  ' 4 GB.350/PFA/2 ',
  ' ',
  '',
  'page au milieu de la phrase; ',
  ' • troisième élément, sur une nouvelle page. ',
  '',
  'Résultats proposés',
  '',
  'TRAVAIL',
  '1. Un résultat fictif',
  '',
  'dont le titre est long',
  'CATALYSEURS',
  'A. Un catalyseur fictif',
  ' Un encadré fictif pour les essais ',
  '',
  'Le texte de l’encadré commence ici et présente le programme. Il comprend: ',
  '',
  '• un élément encadré; ',
  '',
  '• un second élément encadré. ',
  '',
  '4. Ce paragraphe suit l’encadré. ',
  '',
  '  III. Résultats stratégiques ',
  '',
  'Résultat 1. Un résultat fictif dont le titre est long et se poursuit ',
  '',
  'sur une deuxième ligne ',
  '',
  'Stratégie ',
  '',
  '5. La stratégie du résultat 1 tient en un paragraphe qui cite les résultats 1 et 2 ',
  'sans note. ',
  'https://www.ilo.org/exemple/lien',
  ' ',
  'Axe de travail de l’OIT pour 2026-27 ',
  '',
  'Produit 1.1. Un produit fictif dont le titre est coupé ',
  '',
  'au milieu ',
  '',
  '6. Premier paragraphe du produit 1.1. ',
  '',
  'Produit 1.2. Un second produit ',
  '',
  '7. Paragraphe du produit 1.2. ',
  '',
  ' IV. Catalyseurs ',
  '',
  'Catalyseur A. Un catalyseur fictif ',
  '',
  '8. Stratégie du catalyseur A. ',
  '',
  'Produit A.1. Un produit de catalyseur ',
  '',
  '9. Paragraphe du produit A.1. ',
  '',
  ' V. Prochaines étapes ',
  '',
  '10. Le Bureau tiendra compte des débats. ',
  '',
  ' Projet de décision ',
  '',
  '11. Le Conseil d’administration prie le Directeur général de tenir compte des orientations. ',
].join('\n');

/** The same family in English, without a cover page: the title comes from the text's self-description. */
const ENGLISH = [
  '  I. Introduction ',
  '',
  '1. This preview sets out the Programme and Budget proposals for 2026–27 in outline, as',
  'requested. ',
  '',
  ' GB.351/PFA/1 2 ',
  ' ',
  '',
  ' II. Strategic outcomes ',
  '',
  'Outcome 1. Strong tripartite constituents and influential and inclusive social ',
  '',
  'dialogue ',
  '',
  'Strategy ',
  '',
  '2. The strategy of outcome 1 is short. ',
  '',
  'Output 1.1. Increased institutional capacity of employer and business ',
  '',
  'membership organizations ',
  '',
  '3. The Office will support them. ',
  '',
  ' III. Enablers ',
  '',
  'Enabler A. Improved knowledge and innovation ',
  '',
  '4. The strategy of enabler A. ',
  '',
  'Output A.1. More and better statistics ',
  '',
  '5. Statistics matter. ',
  '',
  ' Draft decision ',
  '',
  '6. The Governing Body requests the Director-General to take into account its guidance. ',
].join('\n');

type Section = ImportedDocument['sections'][number];

function nodes(node: PMNode): PMNode[] {
  return [node, ...(node.content ?? []).flatMap(nodes)];
}

function textOf(node: PMNode): string {
  return nodes(node)
    .filter((n) => n.type === 'text')
    .map((n) => n.text ?? '')
    .join('');
}

function finder(doc: ImportedDocument) {
  const all = doc.sections.flatMap((s) => nodes(s.content));
  return {
    all,
    section(id: string): Section {
      const found = doc.sections.find((s) => s.id === id);
      if (!found) throw new Error(`no section ${id}`);
      return found;
    },
    numbered(n: number): PMNode {
      const found = all.find((x) => x.type === 'numberedParagraph' && x.attrs?.number === String(n));
      if (!found) throw new Error(`no paragraph ${n}`);
      return found;
    },
  };
}

function expectValid(doc: ImportedDocument): void {
  const schema = documentSchema();
  for (const s of doc.sections) expect(() => schema.nodeFromJSON(s.content).check(), s.id).not.toThrow();
}

describe('importGbDocument on a synthetic French document of the same family', () => {
  const doc = importGbDocument(FRENCH);
  const { all, section, numbered } = finder(doc);

  it('reads the symbol from the page headers and the title from the cover page', () => {
    expect(doc).toMatchObject({ symbol: 'GB.350/PFA/2', id: 'gb-350-pfa-2', language: 'fr' });
    expect(doc.title).toBe('Rapport fictif sur les essais de l’importateur');
  });

  it('builds valid sections in order, dropping the cover page', () => {
    expectValid(doc);
    expect(doc.sections.map((s) => s.id)).toEqual([
      'part-1',
      'part-2',
      'part-3',
      'outcome-1',
      'output-1-1',
      'output-1-2',
      'part-4',
      'enabler-a',
      'output-a-1',
      'part-5',
      'decision',
    ]);
    expect(doc.sections.flatMap((s) => s.paragraphs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(all.map(textOf).some((t) => t.includes('Objet du document'))).toBe(false);
  });

  it('joins wrapped heading titles across blank lines', () => {
    expect(section('outcome-1').title).toBe(
      'Un résultat fictif dont le titre est long et se poursuit sur une deuxième ligne',
    );
    expect(section('output-1-1')).toMatchObject({
      title: 'Un produit fictif dont le titre est coupé au milieu',
      parentId: 'outcome-1',
      paragraphs: [6],
    });
    expect(section('output-a-1').parentId).toBe('enabler-a');
    const subheading = section('part-2').content.content?.find((n) => n.type === 'heading' && n.attrs?.level === 3);
    expect(textOf(subheading as PMNode)).toBe(
      'Un intertitre découpé sur deux lignes avec une ligne vide entre les deux',
    );
  });

  it('keeps a paragraph whole around a footnote and places the note at its marker', () => {
    const p2 = numbered(2);
    expect(textOf(p2)).toBe(
      'Ce paragraphe est coupé par une note de bas de page: la coalition mondiale que l’Organisation propose reste au cœur du programme, et le texte reprend après la note, sur la page suivante, sans oublier les effets socio-économiques.',
    );
    const inline = p2.content?.[0]?.content ?? [];
    expect(inline.map((n) => n.type)).toEqual(['text', 'footnote', 'text']);
    expect(inline[0]?.text?.endsWith('la coalition mondiale')).toBe(true);
    expect(inline[1]?.attrs).toEqual({ marker: '1', text: 'Voir le document GB.350/INS/3.' });
    // "résultats 1 et 2" is a reference, not a second marker.
    expect(all.filter((n) => n.type === 'footnote')).toHaveLength(1);
  });

  it('keeps a bullet item whole across a page break and starts a new one at " • "', () => {
    const list = numbered(3).content?.[1];
    expect(list?.type).toBe('bulletList');
    expect((list?.content ?? []).map(textOf)).toEqual([
      'premier élément de la liste, qui se poursuit sur une deuxième ligne;',
      'deuxième élément, coupé par un saut de page au milieu de la phrase;',
      'troisième élément, sur une nouvelle page.',
    ]);
  });

  it('removes page headers and URL lines', () => {
    for (const n of all.filter((x) => x.type === 'text')) {
      expect(n.text).not.toMatch(/GB\.350\/PFA\/2|https?:/);
    }
  });

  it('recognises a small figure and a box with the same rules as on the seed', () => {
    const figures = all.filter((n) => n.type === 'figure');
    expect(figures).toHaveLength(1);
    expect(figures[0]?.attrs?.groups as FigureGroup[]).toEqual([
      { heading: 'Résultats proposés', items: [] },
      { heading: 'TRAVAIL', items: ['1. Un résultat fictif dont le titre est long'] },
      { heading: 'CATALYSEURS', items: ['A. Un catalyseur fictif'] },
    ]);
    const box = all.find((n) => n.type === 'box');
    expect(box?.attrs?.title).toBe('Un encadré fictif pour les essais');
    expect(box?.content?.map((n) => n.type)).toEqual(['paragraph', 'bulletList']);
    expect(section('part-2').paragraphs).toEqual([2, 3, 4]);
  });
});

describe('importGbDocument on a synthetic English document', () => {
  const doc = importGbDocument(ENGLISH);
  const { section } = finder(doc);

  it('accepts English headings and infers the title from the text', () => {
    expectValid(doc);
    expect(doc).toMatchObject({ symbol: 'GB.351/PFA/1', id: 'gb-351-pfa-1', language: 'en' });
    expect(doc.title).toBe('Preview of the Programme and Budget Proposals for 2026–27');
    expect(doc.sections.map((s) => [s.id, s.label])).toEqual([
      ['part-1', 'I'],
      ['part-2', 'II'],
      ['outcome-1', 'Outcome 1'],
      ['output-1-1', 'Output 1.1'],
      ['part-3', 'III'],
      ['enabler-a', 'Enabler A'],
      ['output-a-1', 'Output A.1'],
      ['decision', 'Draft decision'],
    ]);
    expect(section('outcome-1').title).toBe(
      'Strong tripartite constituents and influential and inclusive social dialogue',
    );
    expect(section('output-1-1').title).toBe(
      'Increased institutional capacity of employer and business membership organizations',
    );
    expect(section('decision').paragraphs).toEqual([6]);
  });

  it('falls back on the symbol as title and throws without a symbol', () => {
    const bare = ENGLISH.replace('This preview sets out', 'This paper sets out');
    expect(importGbDocument(bare).title).toBe('GB.351/PFA/1');
    expect(importGbDocument(bare, { title: 'Given' }).title).toBe('Given');
    expect(() => importGbDocument('1. No symbol here.')).toThrow(/symbol/);
    expect(importGbDocument('1. No symbol here.', { symbol: 'GB.1/X/1' }).sections.map((s) => s.id)).toEqual([
      'preamble',
    ]);
  });
});

describe('importGbDocument on page-bottom corner cases', () => {
  const text = [
    ' GB.1/PFA/1 3 ',
    '',
    '  I. Introduction ',
    '',
    'Résultat 1. Une action concertée au sein des ',
    'Nations Unies ',
    '',
    '1. Un texte avec une note 1 et une autre note 2 sur la même page, qui se ',
    '',
    ' ',
    '1 Première note. ',
    '2 Seconde note qui se poursuit ',
    'sur deux lignes. ',
    ' poursuit ici. ',
  ].join('\n');
  const doc = importGbDocument(text);
  const p1 = finder(doc).numbered(1);

  it('reads notes printed one after another, wrapped or not, and finds both markers', () => {
    expectValid(doc);
    expect(textOf(p1)).toBe('Un texte avec une note et une autre note sur la même page, qui se poursuit ici.');
    expect(
      nodes(p1)
        .filter((n) => n.type === 'footnote')
        .map((n) => n.attrs),
    ).toEqual([
      { marker: '1', text: 'Première note.' },
      { marker: '2', text: 'Seconde note qui se poursuit sur deux lignes.' },
    ]);
  });

  it('runs a title ending in a link word onto a capitalised line', () => {
    expect(finder(doc).section('outcome-1').title).toBe('Une action concertée au sein des Nations Unies');
  });
});

describe('importer helpers', () => {
  it('detects the symbol of the page headers rather than symbols cited in notes', () => {
    expect(detectSymbol('1 Voir GB.346/INS/17/1.\n GB.346/PFA/1 40 \ntext\n41 GB.346/PFA/1')).toBe('GB.346/PFA/1');
  });

  it('joins wrapped lines, keeping compound hyphens', () => {
    expect(joinWrapped('les avancées socio-', 'économiques')).toBe('les avancées socio-économiques');
    expect(joinWrapped('en cours –', 'texte')).toBe('en cours – texte');
    expect(joinWrapped('la', 'suite')).toBe('la suite');
  });

  it('finds footnote markers after words, not references or quantities', () => {
    const text = 'les résultats 1 et 2, puis la justice sociale 1 afin de';
    expect(findMarker(text, '1', text.length)).toBe(text.indexOf(' 1 afin'));
    expect(findMarker('voir l’article 2 de la Constitution', '2', 40)).toBe(-1);
    expect(findMarker('soit 3 pour cent', '3', 20)).toBe(-1);
  });
});
