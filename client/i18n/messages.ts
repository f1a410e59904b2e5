import { IntlMessageFormat } from 'intl-messageformat';
import { type MessageKey, en } from './en';
import { es } from './es';
import { fr } from './fr';

export const LANGUAGES = ['en', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export type { MessageKey };
export type Params = Record<string, string | number>;
export type Catalogue = Record<MessageKey, string>;

const CATALOGUES: Record<Language, Catalogue> = { en, fr, es };

export function catalogue(language: Language): Catalogue {
  return CATALOGUES[language];
}

/** A message in `language`, else in English (a key added without its translation yet), else undefined. */
export function messageOf(language: Language, key: string): string | undefined {
  return (CATALOGUES[language] as Record<string, string>)[key] ?? (en as Record<string, string>)[key];
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
export function formatMessage(language: Language, cacheKey: string, template: string | undefined, params?: Params): string {
  if (template === undefined) return cacheKey;
  try {
    const out = compile(language, cacheKey, template).format(params);
    return typeof out === 'string' ? out : String(out);
  } catch {
    return substitute(template, params);
  }
}
