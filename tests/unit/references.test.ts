import { describe, expect, it } from 'vitest';
import { referencesOf } from '../../server/exports/references.js';
import type { Amendment } from '../../shared/amendments.js';
import { amendmentRecord } from '../support/exportSource.js';

const record = (overrides: Partial<Amendment> & Pick<Amendment, 'id' | 'ref'>) =>
  amendmentRecord({ sectionId: 'part-1', ...overrides });

describe('references of sub-amendments in the exports', () => {
  it('numbers sub-amendments under their parent in tabling order, drafts left out, and keeps the record’s', () => {
    const a2 = record({ id: 'a2', ref: 'A-2' });
    const amendments = [
      record({ id: 'a1', ref: 'A-1' }),
      a2,
      record({ id: 'a9', ref: 'A-9', parentId: 'a2' }),
      record({ id: 'a7', ref: 'A-7', parentId: 'a2' }),
      record({ id: 'd1', ref: 'D-abcdef', parentId: 'a2', status: 'draft' }),
      record({ id: 'a12', ref: 'A-12', parentId: 'a9', status: 'rejected' }),
      // Its parent is a draft (or not visible): no number under it.
      record({ id: 'a13', ref: 'A-13', parentId: 'd1' }),
    ];
    const refs = referencesOf(amendments);
    const byId = new Map(amendments.map((a) => [a.id, a]));
    const shown = (id: string) => {
      const a = byId.get(id);
      if (!a) throw new Error(id);
      return [refs.number(a), refs.label(a)];
    };
    expect(shown('a2')).toEqual(['A-2', 'A-2']);
    expect(shown('a7')).toEqual(['A-2/1', 'A-2/1 (A-7)']);
    expect(shown('a9')).toEqual(['A-2/2', 'A-2/2 (A-9)']);
    expect(shown('a12')).toEqual(['A-2/2/1', 'A-2/2/1 (A-12)']);
    expect(shown('a13')).toEqual(['A-13', 'A-13']);
  });

  it('survives a cycle of parents in the records', () => {
    const amendments = [record({ id: 'x', ref: 'A-1', parentId: 'y' }), record({ id: 'y', ref: 'A-2', parentId: 'x' })];
    const refs = referencesOf(amendments);
    for (const a of amendments) expect(refs.number(a)).toMatch(/^A-[12](\/1)+$/);
  });
});
