import { useI18n } from '../i18n';

/** One button: the other language, named in that language, as multilingual sites do. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  const other = language === 'fr' ? 'en' : 'fr';
  return (
    <button
      type="button"
      className="button button--quiet"
      lang={other}
      aria-label={t('lang.switchToLabel')}
      data-testid="language-switch"
      onClick={() => setLanguage(other)}
    >
      {t('lang.switchTo')}
    </button>
  );
}
