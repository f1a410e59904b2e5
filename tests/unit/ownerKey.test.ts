import { describe, expect, it } from 'vitest';
import { type Author, speaksAs } from '../../server/collab/suggestionGuard.js';
import { canonicalOwnerKey, ownerKeyOf, parseOwnerKey, sameOwner, speaksFor } from '../../shared/ownerKey.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';

describe('owner keys', () => {
  it('are built from a user and parsed back to the same group and State', () => {
    const france = ownerKeyOf({ role: 'delegate', group: 'government', memberState: 'Côte d’Ivoire' });
    expect(france).toBe('government:Côte d’Ivoire');
    // Parsed, a stored State name reads as its code (keys made before issue 13).
    expect(parseOwnerKey(france)).toEqual({ kind: 'government', group: 'government', memberState: 'CI' });
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

describe('owner keys stored before States had codes', () => {
  it('read as the State’s code wherever owners are parsed, compared or spoken for', () => {
    expect(parseOwnerKey('government:South Africa')).toEqual({
      kind: 'government',
      group: 'government',
      memberState: 'ZA',
    });
    expect(canonicalOwnerKey('government:South Africa')).toBe('government:ZA');
    expect(canonicalOwnerKey('government:ZA')).toBe('government:ZA');
    expect(canonicalOwnerKey('region:AFRICA')).toBe('region:AFRICA');
    expect(canonicalOwnerKey('workers')).toBe('workers');
    // A State no one knows stays as stored, so two unknown names stay two owners.
    expect(canonicalOwnerKey('government:Atlantis')).toBe('government:Atlantis');
    expect(sameOwner('government:South Africa', 'government:ZA')).toBe(true);
    expect(sameOwner('government:South Africa', 'government:NG')).toBe(false);
    expect(sameOwner('government:Atlantis', 'government:Lemuria')).toBe(false);
    // A delegate of the code speaks for the old key, and one whose account predates codes for the new one.
    const za = { role: 'delegate' as const, group: 'government' as const, memberState: 'ZA', regions: ['AFRICA'] };
    expect(speaksFor(za, 'government:South Africa')).toBe(true);
    const old = { role: 'delegate' as const, group: 'government' as const, memberState: 'South Africa' };
    expect(speaksFor(old, 'government:ZA')).toBe(true);
    expect(speaksFor(old, 'government:Nigeria')).toBe(false);
    expect(speaksFor(old, 'government:NG')).toBe(false);
  });

  it('are the sender’s own in the collaboration guard, and nobody else’s', () => {
    const za: Author = { userId: 'u-za', ownerKey: 'government:ZA', direct: false, alsoFor: ['region:AFRICA'] };
    expect(speaksAs(za, 'government:South Africa')).toBe(true);
    expect(speaksAs(za, 'region:AFRICA')).toBe(true);
    expect(speaksAs(za, 'government:Nigeria')).toBe(false);
    expect(speaksAs(za, 'region:GRULAC')).toBe(false);
    const old: Author = { userId: 'u-old', ownerKey: 'government:South Africa', direct: false };
    expect(speaksAs(old, 'government:ZA')).toBe(true);
    expect(speaksAs(old, 'region:AFRICA')).toBe(false);
  });
});
