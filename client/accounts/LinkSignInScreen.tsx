import { useEffect, useRef, useState } from 'react';
import { SignInFrame } from '../components/SignInFrame';
import { useT } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session/SessionProvider';

/**
 * `/sign-in/link#<token>`: the one-time link the Office sent. The token is in the fragment, so it never
 * reaches a server log; it is used once, then the address is replaced so it is not kept in history.
 */
export default function LinkSignInScreen() {
  const t = useT();
  const { signInWithLink } = useSession();
  const [failed, setFailed] = useState(false);
  const tried = useRef(false);

  useEffect(() => {
    if (tried.current) return;
    tried.current = true;
    const token = window.location.hash.slice(1);
    history.replaceState(null, '', '/sign-in/link');
    signInWithLink(token).then(
      () => navigate('/', { replace: true }),
      () => setFailed(true),
    );
  }, [signInWithLink]);

  return (
    <SignInFrame>
      {failed ? (
        <>
          <p role="alert">{t('accounts.linkInvalid')}</p>
          <button type="button" className="button" onClick={() => navigate('/', { replace: true })}>
            {t('accounts.toSignIn')}
          </button>
        </>
      ) : (
        <p role="status">{t('app.loading')}</p>
      )}
    </SignInFrame>
  );
}
