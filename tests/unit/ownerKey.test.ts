import { describe, expect, it } from 'vitest';
import { ownerKeyOf, parseOwnerKey } from '../../shared/ownerKey.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';

describe('owner keys', () => {
  it('are built from a user and parsed back to the same group and State', () => {
    const france = ownerKeyOf({ role: 'delegate', group: 'government', memberState: 'Côte d’Ivoire' });
    expect(france).toBe('government:Côte d’Ivoire');
    expect(parseOwnerKey(france)).toEqual({ kind: 'government', group: 'government', memberState: 'Côte d’Ivoire' });
    expect(parseOwnerKey(ownerKeyOf({ role: 'delegate', group: 'workers', memberState: null }))).toEqual({
      kind: 'group',
      group: 'workers',
      memberState: null,
    });
    expect(parseOwnerKey(ownerKeyOf({ role: 'secretariat', group: null, memberState: null })).kind).toBe('secretariat');
    expect(parseOwnerKey(ownerKeyOf({ role: 'observer', group: null, memberState: null }))).toMatchObject({
      kind: 'other',
      key: 'observer',
    });
  });

  it('keep a State name holding a colon whole', () => {
    expect(parseOwnerKey('government:A:B')).toMatchObject({ memberState: 'A:B' });
    expect(groupOfOwnerKey('government:A:B')).toBe('government');
    expect(groupOfOwnerKey('secretariat')).toBe('secretariat');
  });
});
