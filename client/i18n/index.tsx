import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import {
  type Catalogue,
  LANGUAGES,
  type Language,
  type MessageKey,
  type Params,
  formatMessage,
  isLoaded,
  loadCatalogue,
  messageOf,
} from './messages';

export { LANGUAGES, formatMessage, loadCatalogue, messageOf };
export type { Language, MessageKey, Params, Catalogue };
export type Translate = (key: MessageKey, params?: Params) => string;

const STORAGE_KEY = 'concord.language';

function isLanguage(value: string | null): value is Language {
  return value !== null && (LANGUAGES as readonly string[]).includes(value);
}

function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // Storage may be blocked (private mode); the browser's language still gives a good default.
  }
  const browser = navigator.language.toLowerCase().slice(0, 2);
  return isLanguage(browser) ? browser : 'en';
}

/**
 * ICU formatting of a one-off template that is not in the catalogues (export and import strings).
 * Kept for callers of the old `{name}` engine; ICU reads those templates unchanged.
 */
export function format(template: string, params?: Params, language: Language = 'en'): string {
  return formatMessage(language, template, template, params);
}

interface I18nValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  /** Dates, times and numbers in the UI language, through `Intl`. */
  formatDateTime: (value: Date | string | number, options?: Intl.DateTimeFormatOptions) => string;
  formatNumber: (value: number, options?: Intl.NumberFormatOptions) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

/** The one i18n layer: every UI string goes through `t`, the choice is remembered, `<html lang>` follows. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [requested, setLanguageState] = useState<Language>(initialLanguage);
  // The language on screen: the requested one once its catalogue is here. Switching keeps the previous
  // language until then; the very first paint waits for it instead of flashing English.
  const [language, setShown] = useState<Language | null>(() => (isLoaded(requested) ? requested : null));

  useEffect(() => {
    let cancelled = false;
    loadCatalogue(requested)
      .then(() => {
        if (!cancelled) setShown(requested);
      })
      .catch(() => {
        // The chunk could not be fetched (offline): stay readable, in English.
        if (!cancelled) setShown((shown) => shown ?? 'en');
      });
    return () => {
      cancelled = true;
    };
  }, [requested]);

  useEffect(() => {
    if (language) document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, still switched.
    }
  }, []);

  const value = useMemo<I18nValue | null>(() => {
    if (language === null) return null;
    return {
      language,
      setLanguage,
      t: (key, params) => formatMessage(language, `${language}:${key}`, messageOf(language, key), params),
      formatDateTime: (v, options) =>
        new Intl.DateTimeFormat(language, options ?? { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(v)),
      formatNumber: (v, options) => new Intl.NumberFormat(language, options).format(v),
    };
  }, [language, setLanguage]);

  if (value === null) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}
