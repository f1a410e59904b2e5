import { describe, expect, it } from 'vitest';
import { type DiffPart, diffTokens, diffWords, tokenize } from '../../shared/diff.js';

const side = (parts: DiffPart[], keep: 'delete' | 'insert') =>
  parts
    .filter((p) => p.type === 'equal' || p.type === keep)
    .map((p) => p.text)
    .join('');

/** Length of a longest common subsequence, by dynamic programming: what Myers must match. */
function lcs(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] as number);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

describe('word diff', () => {
  it('tokenizes words, spaces and punctuation, losslessly', () => {
    expect(tokenize('L’Organisation, au cœur—du mandat.')).toEqual([
      'L’Organisation',
      ',',
      ' ',
      'au',
      ' ',
      'cœur',
      '—',
      'du',
      ' ',
      'mandat',
      '.',
    ]);
    const text = 'Produit 1.1 : « renforcer » les 2024-25\n• puces';
    expect(tokenize(text).join('')).toBe(text);
  });

  it('marks whole inserted and deleted words', () => {
    expect(
      diffWords('La justice sociale est au cœur du mandat.', 'La justice sociale et climatique est au cœur du mandat.'),
    ).toEqual([
      { type: 'equal', text: 'La justice sociale ' },
      { type: 'insert', text: 'et climatique ' },
      { type: 'equal', text: 'est au cœur du mandat.' },
    ]);
    expect(diffWords('des compétences nouvelles.', 'des compétences adaptées.')).toEqual([
      { type: 'equal', text: 'des compétences ' },
      { type: 'delete', text: 'nouvelles' },
      { type: 'insert', text: 'adaptées' },
      { type: 'equal', text: '.' },
    ]);
    expect(diffWords('', 'tout neuf')).toEqual([{ type: 'insert', text: 'tout neuf' }]);
    expect(diffWords('tout vieux', '')).toEqual([{ type: 'delete', text: 'tout vieux' }]);
    expect(diffWords('pareil', 'pareil')).toEqual([{ type: 'equal', text: 'pareil' }]);
    expect(diffWords('', '')).toEqual([]);
  });

  it('gives back both texts and a shortest edit on random inputs', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const words = ['a', 'b', 'c', 'd', ' '];
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(random() * 14) }, () => words[Math.floor(random() * 5)] as string);
      const b = Array.from({ length: Math.floor(random() * 14) }, () => words[Math.floor(random() * 5)] as string);
      const parts = diffTokens(a, b);
      expect(side(parts, 'delete')).toBe(a.join(''));
      expect(side(parts, 'insert')).toBe(b.join(''));
      const equal = parts.filter((p) => p.type === 'equal').reduce((n, p) => n + p.text.length, 0);
      expect(equal, `${a.join('')} → ${b.join('')}`).toBe(lcs(a, b));
    }
  });
});
