import type { ReactNode } from 'react';
import type { PublicUser } from '../../shared/roles.js';
import { colourOf } from '../../shared/roles.js';
import { useT } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session/SessionProvider';
import { affiliationOf, initialsOf } from './identity';
import { LanguageSwitch } from './LanguageSwitch';

/**
 * The top bar of every signed-in screen; `children` holds what belongs to the open document, `bar` a
 * second row for the document's consolidation (round, presenter, views).
 */
export function AppHeader({ user, children, bar }: { user: PublicUser; children?: ReactNode; bar?: ReactNode }) {
  const t = useT();
  return (
    <header className={bar ? 'app-header app-header--bar' : 'app-header'}>
      <div className="app-header__row">
      <a className="skip-link" href="#main">
        {t('app.skipToText')}
      </a>
      <a
        className="brand"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          navigate('/');
        }}
      >
        {t('app.name')}
      </a>
      <div className="app-header__middle">{children}</div>
      <div className="app-header__end">
        <LanguageSwitch />
        <UserMenu user={user} />
      </div>
      </div>
      {bar && <div className="app-header__bar">{bar}</div>}
    </header>
  );
}

function UserMenu({ user }: { user: PublicUser }) {
  const t = useT();
  const { signOut } = useSession();
  const affiliation = affiliationOf(user, t);
  return (
    <details className="user-menu" data-testid="user-menu">
      <summary aria-label={t('user.menu', { name: user.name })}>
        <span className="avatar" style={{ backgroundColor: colourOf(user) }} aria-hidden="true">
          {initialsOf(user.name)}
        </span>
        <span className="user-menu__name">{user.name}</span>
      </summary>
      <div className="user-menu__panel">
        <p className="user-menu__who">
          <strong>{user.name}</strong>
          <br />
          <span className="muted">{affiliation}</span>
        </p>
        <button type="button" className="button" onClick={() => void signOut()}>
          {t('user.signOut')}
        </button>
      </div>
    </details>
  );
}
