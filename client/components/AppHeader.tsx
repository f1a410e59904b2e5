import { type ReactNode, type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { PublicUser } from '../../shared/roles.js';
import { colourOf } from '../../shared/roles.js';
import { realignJumpTarget } from '../document/jump';
import { useT } from '../i18n';
import { navigate, onLinkClick } from '../router';
import { useSession } from '../session/SessionProvider';
import { affiliationOf, initialsOf } from './identity';
import { LanguageSwitch } from './LanguageSwitch';

/**
 * The top bar of every signed-in screen; `children` holds what belongs to the open document, `bar` a
 * second row for the document's consolidation (round, presenter, views).
 */
export function AppHeader({ user, children, bar }: { user: PublicUser; children?: ReactNode; bar?: ReactNode }) {
  const t = useT();
  const ref = useRef<HTMLElement>(null);
  useHeaderHeight(ref);
  const compact = useCompactOnScroll();
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the page's header is its banner landmark, which takes a name
    <header
      ref={ref}
      className={bar ? 'app-header app-header--bar' : 'app-header'}
      data-compact={compact ? 'true' : 'false'}
      aria-label={t('app.header')}
    >
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

/**
 * Publishes the sticky header's real height as `--top-h` on the screen around it: jump targets'
 * `scroll-margin-top` and the sticky columns follow it at every width, zoom and wrap of the header.
 */
function useHeaderHeight(ref: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const header = ref.current;
    const shell = header?.parentElement;
    if (!header || !shell) return;
    let height = -1;
    const apply = () => {
      const now = header.getBoundingClientRect().height;
      if (now === height) return;
      const first = height < 0;
      height = now;
      shell.style.setProperty('--top-h', `${now}px`);
      if (!first) realignJumpTarget();
    };
    apply();
    const observer = new ResizeObserver(apply);
    observer.observe(header);
    return () => {
      observer.disconnect();
      shell.style.removeProperty('--top-h');
    };
  }, [ref]);
}

/** Scrolled past this many px, the header may collapse (the narrow layout's CSS decides); back above COMPACT_OFF it opens. */
const COMPACT_ON = 96;
const COMPACT_OFF = 8;

/**
 * True once the reader has scrolled into the text. Two thresholds: collapsing shortens the page, and a
 * single one would let the header open and close again at the boundary.
 */
function useCompactOnScroll(): boolean {
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    let frame = 0;
    const check = () => {
      frame = 0;
      setCompact((was) => (was ? window.scrollY > COMPACT_OFF : window.scrollY > COMPACT_ON));
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(check);
    };
    check();
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      if (frame) cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
    };
  }, []);
  return compact;
}

function UserMenu({ user }: { user: PublicUser }) {
  const t = useT();
  const { signOut } = useSession();
  const affiliation = affiliationOf(user, t);
  return (
    <details className="user-menu" data-testid="user-menu">
      <summary>
        <span className="visually-hidden">{t('user.account')} </span>
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
        {user.role === 'secretariat' && (
          <a className="user-menu__link" href="/participants" onClick={onLinkClick('/participants')}>
            {t('accounts.title')}
          </a>
        )}
        {user.role === 'secretariat' && (
          <a className="user-menu__link" href="/import-document" onClick={onLinkClick('/import-document')}>
            {t('importDoc.title')}
          </a>
        )}
        <button type="button" className="button" onClick={() => void signOut()}>
          {t('user.signOut')}
        </button>
      </div>
    </details>
  );
}
