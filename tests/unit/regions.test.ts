import { describe, expect, it } from 'vitest';
import { canonicalState, ownerKeysOf, parseOwnerKey, regionOwnerKey, speaksFor } from '../../shared/ownerKey.js';
import { type RegionalGroup, regionName, regionsOf } from '../../shared/regions.js';
import { stateName } from '../../shared/states.js';
import { AFRICA } from '../support/regions.js';

const EU: RegionalGroup = { ...AFRICA, code: 'EU', nameEn: 'EU', shortName: 'EU', members: ['FR', 'DE'] };

describe('regional groups and owner keys', () => {
  it('finds the regional groups of a State by its code', () => {
    expect(regionsOf('ZA', [AFRICA, EU])).toEqual(['AFRICA']);
    expect(regionsOf('FR', [AFRICA, EU])).toEqual(['EU']);
    expect(regionsOf('BR', [AFRICA, EU])).toEqual([]);
    expect(regionsOf(null, [AFRICA, EU])).toEqual([]);
  });

  it('names a regional group in en, fr and es (English otherwise)', () => {
    expect(regionName(AFRICA, 'fr')).toBe("Groupe de l'Afrique");
    expect(regionName(AFRICA, 'es-ES')).toBe('Grupo de África');
    expect(regionName(AFRICA, 'de')).toBe('Africa group');
  });

  it('parses region keys and maps stored State names to codes', () => {
    expect(parseOwnerKey('region:AFRICA')).toEqual({
      kind: 'region',
      group: 'government',
      memberState: null,
      region: 'AFRICA',
    });
    expect(regionOwnerKey('GRULAC')).toBe('region:GRULAC');
    expect(canonicalState('South Africa')).toBe('ZA');
    expect(canonicalState('za')).toBe('ZA');
    expect(canonicalState('Atlantis')).toBe('Atlantis');
    expect(stateName('ZA', 'fr')).toBe('Afrique du Sud');
    expect(stateName('ZA', 'es')).toBe('Sudáfrica');
  });

  it('lets a government delegate speak for their State and its regional groups only', () => {
    const za = { role: 'delegate' as const, group: 'government' as const, memberState: 'ZA', regions: ['AFRICA'] };
    expect(ownerKeysOf(za)).toEqual(['government:ZA', 'region:AFRICA']);
    expect(speaksFor(za, 'region:AFRICA')).toBe(true);
    expect(speaksFor(za, 'region:EU')).toBe(false);
    expect(speaksFor(za, 'government:NG')).toBe(false);
    // Regions on anyone but a government delegate of a State count for nothing.
    const workers = { role: 'delegate' as const, group: 'workers' as const, memberState: null, regions: ['AFRICA'] };
    expect(ownerKeysOf(workers)).toEqual(['workers']);
    const observer = { role: 'observer' as const, group: null, memberState: null, regions: ['AFRICA'] };
    expect(ownerKeysOf(observer)).toEqual([]);
    expect(ownerKeysOf({ role: 'secretariat', group: null, memberState: null })).toEqual(['secretariat']);
  });
});
