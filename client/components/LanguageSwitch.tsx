import { LANGUAGES, type Language, useI18n } from '../i18n';

/** Each language named in itself, as multilingual sites (and the ILO's) do; not translated on purpose. */
const NAMES: Record<Language, { short: string; name: string }> = {
  en: { short: 'EN', name: 'English' },
  fr: { short: 'FR', name: 'Français' },
  es: { short: 'ES', name: 'Español' },
};

/** EN / FR / ES: the current one is pressed; the others switch the interface (never the document's text). */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <fieldset className="language-switch" data-testid="language-switch">
      <legend className="visually-hidden">{t('lang.label')}</legend>
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          className="button button--quiet language-switch__option"
          lang={code}
          // The visible code starts the name (axe: label in name), the language's own name completes it.
          aria-label={`${NAMES[code].short} — ${NAMES[code].name}`}
          aria-pressed={code === language}
          data-testid={`language-${code}`}
          onClick={() => setLanguage(code)}
        >
          {NAMES[code].short}
        </button>
      ))}
    </fieldset>
  );
}
