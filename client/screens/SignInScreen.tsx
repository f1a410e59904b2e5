import { type FormEvent, useId, useState } from 'react';
import { ApiRequestError } from '../api/client';
import { SignInFrame } from '../components/SignInFrame';
import { type MessageKey, useT } from '../i18n';
import { useSession } from '../session/SessionProvider';

export function SignInScreen({ notice }: { notice: MessageKey | null }) {
  const t = useT();
  const { signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) setError(t('signIn.wrongPassword'));
      else if (err instanceof ApiRequestError && err.isNetwork) setError(t('signIn.network'));
      else setError(t('signIn.failed', { message: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  }

  return (
    <SignInFrame>
      <p className="muted">{t('signIn.intro')}</p>
      {notice && (
        <p className="notice" role="status" data-testid="sign-in-notice">
          {t(notice)}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-describedby={error ? errorId : undefined}>
        <label className="field">
          <span>{t('signIn.username')}</span>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </label>
        <label className="field">
          <span>{t('signIn.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </label>
        {error && (
          <p id={errorId} className="form-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </SignInFrame>
  );
}
