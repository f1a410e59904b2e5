import { IntlMessageFormat } from 'intl-messageformat';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/en';
import { LANGUAGES, catalogue, formatMessage, isLoaded, loadCatalogue } from '../../client/i18n/messages';

/** Parses as the engine does (throws on a message that is not ICU). */
const parse = (message: string) => new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst();
type Element = ReturnType<typeof parse>[number];

/**
 * Every argument a message names, nested branches included. Only names: one language may need a
 * plural where another prints the bare number.
 */
function argumentsOf(elements: Element[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if ('value' in el && typeof el.value === 'string' && el.type !== 0 /* literal */) {
      into.add(el.value);
    }
    if ('options' in el) for (const option of Object.values(el.options)) argumentsOf(option.value, into);
    if ('children' in el) argumentsOf(el.children, into);
  }
  return into;
}

const keys = Object.keys(en) as (keyof typeof en)[];

describe('the UI catalogues', () => {
  beforeAll(async () => {
    // The UI fetches French and Spanish when chosen; here every catalogue is wanted at once.
    await Promise.all(LANGUAGES.map((language) => loadCatalogue(language)));
  });

  it('are three: English, French and Spanish', () => {
    expect([...LANGUAGES].sort()).toEqual(['en', 'es', 'fr']);
  });

  for (const language of LANGUAGES) {
    it(`${language} has every key of English and no other`, () => {
      expect(isLoaded(language)).toBe(true);
      const messages = catalogue(language);
      expect(Object.keys(messages).sort()).toEqual([...keys].sort());
      for (const key of keys) expect(messages[key], key).toBeTypeOf('string');
    });

    it(`${language} messages all parse as ICU MessageFormat`, () => {
      const broken = keys.filter((key) => {
        try {
          parse(catalogue(language)[key]);
          return false;
        } catch {
          return true;
        }
      });
      expect(broken).toEqual([]);
    });

    it(`${language} messages use the same placeholders as English`, () => {
      const differing = keys.filter((key) => {
        const mine = [...argumentsOf(parse(catalogue(language)[key]))].sort();
        const english = [...argumentsOf(parse(en[key]))].sort();
        return JSON.stringify(mine) !== JSON.stringify(english);
      });
      expect(differing).toEqual([]);
    });
  }

  it('plurals and group names read as people write them', () => {
    const t = (language: (typeof LANGUAGES)[number], key: keyof typeof en, params?: Record<string, string | number>) =>
      formatMessage(language, `test:${language}:${key}`, catalogue(language)[key], params);
    expect(t('fr', 'desk.bulkDone.accept', { count: 1 })).toBe('1 amendement accepté.');
    expect(t('fr', 'desk.bulkDone.accept', { count: 3 })).toBe('3 amendements acceptés.');
    expect(t('en', 'search.results', { count: 1 })).toBe('1 result');
    expect(t('es', 'unread.count', { count: 2 })).toBe('2 comentarios sin leer');
    expect(t('fr', 'draft.title', { group: 'government', count: 2 })).toBe('Projets du groupe gouvernemental (2)');
    expect(t('fr', 'draft.title', { group: 'secretariat', count: 0 })).toBe('Projets du Bureau (0)');
    expect(t('es', 'draft.title', { group: 'employers', count: 1 })).toBe(
      'Borradores del Grupo de los Empleadores (1)',
    );
    expect(t('fr', 'nav.desk')).toBe('Pupitre');
    expect(t('es', 'nav.desk')).toBe('Mesa de consolidación');
    expect(t('en', 'group.workers')).toBe('Workers’ group');
    // A missing parameter must not blank a screen: it shows as the old engine showed it.
    expect(t('en', 'documents.open')).toBe('Open {symbol}');
  });

  it('no message calls the Office’s screen a “Bureau de consolidation”', () => {
    for (const language of LANGUAGES) {
      for (const key of keys) expect(catalogue(language)[key]).not.toMatch(/bureau de consolidation/i);
    }
  });
});
