import { IntlMessageFormat } from 'intl-messageformat';
import { type MessageKey, en } from './en';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey };
export type Params = Record<string, string | number>;
export type Catalogue = Record<MessageKey, string>;

/**
 * English ships with the first screen; French and Spanish are fetched when chosen (each is a chunk of
 * its own), so that the page every reader loads does not carry the languages they do not read.
 */
const CATALOGUES: Partial<Record<Language, Catalogue>> = { en };
const LOADERS: Record<Language, () => Promise<Catalogue>> = {
  en: async () => en,
  fr: async () => (await import('./fr')).fr,
  es: async () => (await import('./es')).es,
};

export function isLoaded(language: Language): boolean {
  return CATALOGUES[language] !== undefined;
}

/** Fetches a language's catalogue once; later calls resolve at once. */
export async function loadCatalogue(language: Language): Promise<Catalogue> {
  const known = CATALOGUES[language];
  if (known) return known;
  const loaded = await LOADERS[language]();
  CATALOGUES[language] = loaded;
  return loaded;
}

/** A loaded catalogue (English until the language's own has been loaded with `loadCatalogue`). */
export function catalogue(language: Language): Catalogue {
  return CATALOGUES[language] ?? en;
}

/** A message in `language`, else in English (a key added without its translation yet), else undefined. */
export function messageOf(language: Language, key: string): string | undefined {
  return (CATALOGUES[language] as Record<string, string> | undefined)?.[key] ?? (en as Record<string, string>)[key];
}

/**
 * Each message is parsed once per language and kept: parsing is the costly part of ICU, and a screen
 * formats the same few hundred messages on every render. `ignoreTag` keeps a stray `<` literal text.
 */
const compiled = new Map<string, IntlMessageFormat>();

function compile(language: Language, cacheKey: string, template: string): IntlMessageFormat {
  let message = compiled.get(cacheKey);
  if (!message) {
    message = new IntlMessageFormat(template, language, undefined, { ignoreTag: true });
    compiled.set(cacheKey, message);
  }
  return message;
}

/** The pre-ICU behaviour, used only when a message cannot be formatted (a missing parameter). */
function substitute(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Formats one ICU message. A missing parameter or a broken message must not blank a screen, so it
 * falls back to plain `{name}` substitution; the catalogue test is what keeps that from shipping.
 */
export function formatMessage(
  language: Language,
  cacheKey: string,
  template: string | undefined,
  params?: Params,
): string {
  if (template === undefined) return cacheKey;
  try {
    const out = compile(language, cacheKey, template).format(params);
    return typeof out === 'string' ? out : String(out);
  } catch {
    return substitute(template, params);
  }
}
