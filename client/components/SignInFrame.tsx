import { type ReactNode, useId } from 'react';
import { useT } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

/**
 * The page around every way of signing in (the form, a one-time link): the brand and the language
 * switch above a card titled "Sign in", whose content is the caller's.
 */
export function SignInFrame({ children }: { children: ReactNode }) {
  const t = useT();
  const titleId = useId();
  return (
    <div className="sign-in-page">
      <header className="sign-in-page__top">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main className="sign-in-card" aria-labelledby={titleId}>
        <h1 id={titleId}>{t('signIn.title')}</h1>
        {children}
      </main>
    </div>
  );
}
