import { beforeAll, describe, expect, it } from 'vitest';
import { affiliationOf, ownerLabelOf, ownerShortOf } from '../../client/components/identity';
import { rememberRegionalGroups } from '../../client/components/regionalGroups';
import type { Translate } from '../../client/i18n';
import { formatMessage, type Language, loadCatalogue, messageOf } from '../../client/i18n/messages';
import { AFRICA } from '../support/regions.js';

/**
 * Issue 13: every State and regional group is named in the reader's language wherever the interface
 * names an owner (cards, chips, the desk, the text's hover cards all go through these helpers).
 */
const translator =
  (language: Language): Translate =>
  (key, params) =>
    formatMessage(language, `${language}:${key}`, messageOf(language, key), params);

beforeAll(async () => {
  await Promise.all((['en', 'fr', 'es'] as const).map((l) => loadCatalogue(l)));
  rememberRegionalGroups([AFRICA]);
});

describe('owners named in the reader’s language', () => {
  it('a regional group, a State (by code or by an old English name) and the groups, in en, fr and es', () => {
    const cases: [Language, string[]][] = [
      ['en', ['Africa group', 'South Africa', 'South Africa']],
      ['fr', ["Groupe de l'Afrique", 'Afrique du Sud', 'Afrique du Sud']],
      ['es', ['Grupo de África', 'Sudáfrica', 'Sudáfrica']],
    ];
    for (const [language, expected] of cases) {
      const t = translator(language);
      expect(
        ['region:AFRICA', 'government:ZA', 'government:South Africa'].map((key) => ownerLabelOf(key, t)),
        language,
      ).toEqual(expected);
      expect(ownerLabelOf('employers', t)).toBe(t('owner.employers'));
      expect(ownerLabelOf('employers', t)).not.toBe('owner.employers');
    }
    expect(ownerShortOf('region:AFRICA')).toBe('AFR');
    expect(ownerShortOf('government:ZA')).toBeNull();
  });

  it('a government delegate’s affiliation names their State in the reader’s language', () => {
    const delegate = { role: 'delegate' as const, group: 'government' as const, memberState: 'ZA' };
    expect(affiliationOf(delegate, translator('fr'))).toContain('Afrique du Sud');
    expect(affiliationOf(delegate, translator('es'))).toContain('Sudáfrica');
    expect(affiliationOf(delegate, translator('en'))).toContain('South Africa');
  });
});
