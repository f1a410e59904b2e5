import { describe, expect, it } from 'vitest';
import { readDocxParagraphs } from '../../server/imports/docxReader.js';
import { normalize } from '../../server/imports/normalize.js';
import { type TargetParagraph, planImport } from '../../server/imports/plan.js';
import { docxLibraryFile } from '../support/wordFixtures.js';

const TARGETS: TargetParagraph[] = [
  { sectionId: 'part-1', number: 26, official: 'Le Bureau soutient les mandants.' },
  {
    sectionId: 'part-1',
    number: 27,
    official: 'Il s’agit d’un « programme » ambitieux : le programme couvre deux ans.\nune puce;\nune autre puce;',
  },
  { sectionId: 'part-2', number: 28, official: 'Le programme couvre deux ans.' },
];

describe('reading tracked changes from a Word file', () => {
  it('gives each paragraph as unchanged, inserted and deleted text with author and date', async () => {
    const file = await docxLibraryFile([
      { pieces: ['27.\tIl ', { del: 'était' }, { ins: 'est', author: 'Ana Lima' }, '.'] },
    ]);
    const [p] = await readDocxParagraphs(file);
    expect(p?.segments).toEqual([
      { kind: 'same', text: '27.\tIl ', author: '', date: '' },
      { kind: 'del', text: 'était', author: 'Julien Moreau', date: '2026-11-20T09:30:00Z' },
      { kind: 'ins', text: 'est', author: 'Ana Lima', date: '2026-11-20T09:30:00Z' },
      { kind: 'same', text: '.', author: '', date: '' },
    ]);
  });
});

describe('normalizing text for matching', () => {
  it('is tolerant of whitespace, quotes, apostrophes, dashes and French spacing, and maps offsets back', () => {
    const official = normalize('Il s’agit d’un « programme » ambitieux : le 2024–25.');
    const word = normalize('Il  s\'agit d\'un "programme" ambitieux: le 2024-25.');
    expect(official.text).toBe(word.text);
    const at = official.text.indexOf('programme');
    expect('Il s’agit d’un « programme » ambitieux'.slice(official.toOriginal[at])).toMatch(/^programme/);
  });
});

describe('planning amendments from Word paragraphs', () => {
  const para = (...segments: [kind: 'same' | 'ins' | 'del', text: string, author?: string][]) => ({
    index: 0,
    style: '',
    heading: false,
    listItem: false,
    markChange: null,
    segments: segments.map(([kind, text, author]) => ({
      kind,
      text,
      author: author ?? (kind === 'same' ? '' : 'A'),
      date: '',
    })),
  });

  it('places by number, continues into bullets, and falls back to the text', () => {
    const plan = planImport(
      [
        para(
          ['same', '27.\tIl s\'agit d\'un "programme" ambitieux: le programme couvre '],
          ['del', 'deux'],
          ['ins', 'trois'],
          ['same', ' ans.'],
        ),
        para(['same', 'une autre puce'], ['ins', ' encore'], ['same', ';']),
        para(['same', 'Le Bureau '], ['del', 'soutient'], ['same', ' les mandants.']),
      ],
      TARGETS,
    );
    expect(plan.unplaced).toEqual([]);
    expect(plan.amendments.map((a) => [a.paragraph, a.op, a.find, a.text, a.at])).toEqual([
      [27, 'replace', 'deux', 'trois', TARGETS[1]?.official.indexOf('deux ans')],
      [27, 'insert', 'autre puce', ' encore', TARGETS[1]?.official.indexOf('autre puce')],
      [26, 'delete', 'soutient', '', 10],
    ]);
  });

  it('splits neighbouring revisions by author and refuses what it cannot place, saying why', () => {
    const plan = planImport(
      [
        para(['same', '28.\tLe programme '], ['del', 'couvre', 'A'], ['ins', 'porte sur', 'B'], ['same', ' deux ans.']),
        para(['same', '27bis.\tUn texte '], ['ins', 'ajouté'], ['same', '.']),
        para(['same', '2'], ['del', '6'], ['ins', '9'], ['same', '.\tLe Bureau soutient les mandants.']),
        para(['same', 'Le programme couvre deux ans.'], ['ins', ' Fin.']),
      ],
      TARGETS,
    );
    expect(plan.amendments.map((a) => [a.paragraph, a.op, a.find, a.text])).toEqual([
      [28, 'delete', 'couvre', ''],
      [28, 'insert', 'couvre', 'porte sur'],
      // Unnumbered and not in the paragraph above it: found by its text, in paragraph 28 only.
      [28, 'insert', 'ans.', ' Fin.'],
    ]);
    expect(plan.unplaced.map((u) => u.reason)).toEqual([
      expect.stringContaining('paragraph 27bis, which is not in the official text'),
      'It changes the paragraph number, which is the Office’s.',
    ]);
  });

  it('takes a revision’s rationale from its Word comments: Concord’s note gives its justification, its sub-amendment replies are left out', () => {
    const commented = (ids: string[]) => ({
      index: 0,
      style: '',
      heading: false,
      listItem: false,
      markChange: null,
      segments: [
        { kind: 'same' as const, text: '26.\tLe Bureau ', author: '', date: '' },
        { kind: 'del' as const, text: 'soutient', author: 'A', date: '', comments: ids },
        { kind: 'ins' as const, text: 'appuie', author: 'A', date: '', comments: ids },
        { kind: 'same' as const, text: ' les mandants.', author: '', date: '' },
      ],
    });
    const comments = new Map([
      ['1', 'A-2 — Groupe des travailleurs — Justification : Plus net.'],
      ['2', 'A-2/1 (A-7) — France — Sous-amendement à A-2\nPropose : « épaule »'],
      ['3', 'A-9 — Afrique du Sud — Sous-amendement à A-2\nPropose : « aide »'],
      ['4', 'Un avis de délégué.'],
    ]);
    const plan = planImport([commented(['1', '2', '3', '4'])], TARGETS, comments);
    expect(plan.amendments.map((a) => a.rationale)).toEqual(['Plus net.\nUn avis de délégué.']);
  });
});
