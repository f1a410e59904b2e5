import { describe, expect, it } from 'vitest';
import { stateCode, stateName } from '../../shared/states.js';

describe('States named in the document’s language', () => {
  it('maps the English names the demo stores, and codes, to ISO 3166 codes', () => {
    expect(stateCode('South Africa')).toBe('ZA');
    expect(stateCode('France')).toBe('FR');
    expect(stateCode('Brazil')).toBe('BR');
    expect(stateCode('Russian Federation')).toBe('RU');
    expect(stateCode('ZA')).toBe('ZA');
    expect(stateCode('za')).toBe('ZA');
    expect(stateCode('Atlantis')).toBeNull();
    expect(stateCode('QQ')).toBeNull();
  });

  it('names a State through CLDR in French or English, and leaves an unknown one as stored', () => {
    expect(stateName('South Africa', 'fr')).toBe('Afrique du Sud');
    expect(stateName('ZA', 'fr')).toBe('Afrique du Sud');
    expect(stateName('Brazil', 'fr')).toBe('Brésil');
    expect(stateName('Germany', 'fr')).toBe('Allemagne');
    expect(stateName('FR', 'en')).toBe('France');
    expect(stateName('Atlantis', 'fr')).toBe('Atlantis');
  });
});
