import { useCallback, useEffect, useState } from 'react';
import type { Account } from '../../shared/accounts.js';
import type { RegionalGroup } from '../../shared/regions.js';
import type { PublicUser } from '../../shared/roles.js';
import { api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { regionLabel, rememberRegionalGroups } from '../components/regionalGroups';
import { useI18n } from '../i18n';
import { type AccountFields, AccountForm } from './AccountForm';
import { AccountLog } from './AccountLog';
import { stateLabel } from './stateOptions';

/** A secret the server gave once (a password, a sign-in link): shown until the Office dismisses it. */
type Secret = { kind: 'password' | 'link'; username: string; value: string; expiresAt?: number };

const NEW_ACCOUNT: AccountFields = {
  username: '',
  name: '',
  role: 'delegate',
  group: 'government',
  memberState: null,
  regions: [],
};

/**
 * The Office's participants: every account, a form to add one, and per account edit, deactivate or
 * reactivate, reset the password or make a one-time sign-in link. Passwords and links are shown once.
 */
export default function ParticipantsScreen({ user }: { user: PublicUser }) {
  const { t, language } = useI18n();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [groups, setGroups] = useState<readonly RegionalGroup[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [formKey, setFormKey] = useState(0);

  const load = useCallback(async () => {
    try {
      const [list, regional] = await Promise.all([api.accounts(), api.regionalGroups()]);
      setAccounts(list);
      setGroups(regional);
      // Memberships may have just changed here: owner labels elsewhere read the same list.
      rememberRegionalGroups(regional);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (user.role !== 'secretariat') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main id="main" className="list-page">
          <p role="alert">{t('accounts.officeOnly')}</p>
        </main>
      </div>
    );
  }

  const affiliation = (a: Account) =>
    a.role === 'delegate' && a.group
      ? a.group === 'government' && a.memberState
        ? t('group.governmentOf', { state: stateLabel(a.memberState, language) })
        : t(`group.${a.group}`)
      : t(`accounts.role.${a.role}`);

  async function run(what: () => Promise<void>) {
    setError(null);
    try {
      await what();
      await load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main id="main" className="list-page participants" aria-labelledby="participants-title">
        <h1 id="participants-title">{t('accounts.title')}</h1>
        <p className="participants__status" role="status" aria-live="polite" data-testid="participants-status">
          {message}
        </p>
        {secret && (
          <section
            className="participants__secret"
            aria-labelledby="participants-secret"
            data-testid="participants-secret"
          >
            <h2 id="participants-secret">
              {t(secret.kind === 'password' ? 'accounts.passwordFor' : 'accounts.linkFor', {
                username: secret.username,
              })}
            </h2>
            <p>
              <code data-testid="participants-secret-value">{secret.value}</code>
            </p>
            <p className="muted">
              {secret.kind === 'password'
                ? t('accounts.shownOnce')
                : t('accounts.linkShownOnce', {
                    until: new Date(secret.expiresAt ?? 0).toLocaleString(language),
                  })}
            </p>
            <button type="button" className="button button--small" onClick={() => setSecret(null)}>
              {t('accounts.dismiss')}
            </button>
          </section>
        )}
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <section aria-labelledby="participants-add">
          <h2 id="participants-add">{t('accounts.add')}</h2>
          <AccountForm
            key={formKey}
            initial={NEW_ACCOUNT}
            groups={groups}
            creating
            submitLabel={t('accounts.create')}
            onSubmit={async (fields) => {
              const created = await api.createAccount(fields);
              setSecret({ kind: 'password', username: created.account.username, value: created.password });
              setMessage(t('accounts.created', { name: created.account.name }));
              setFormKey((k) => k + 1);
              await load();
            }}
          />
        </section>
        <section aria-labelledby="participants-list">
          <h2 id="participants-list">{t('accounts.list')}</h2>
          {accounts === null && !error && <p role="status">{t('app.loading')}</p>}
          <ul className="participants__list">
            {accounts?.map((a) => (
              <li key={a.id} className="participant" data-testid={`participant-${a.username}`}>
                <p className="participant__who">
                  <strong>{a.name}</strong> <span className="muted">({a.username})</span>
                  <br />
                  <span>{affiliation(a)}</span>
                  {a.regions.length > 0 && (
                    <span className="muted" data-testid={`participant-regions-${a.username}`}>
                      {' · '}
                      {a.regions.map((code) => regionLabel(code, language)).join(', ')}
                    </span>
                  )}
                  {!a.active && <span className="participant__inactive"> · {t('accounts.inactive')}</span>}
                </p>
                {editing === a.id ? (
                  <AccountForm
                    initial={{
                      username: a.username,
                      name: a.name,
                      role: a.role,
                      group: a.group,
                      memberState: a.memberState,
                      regions: a.regions,
                    }}
                    groups={groups}
                    creating={false}
                    submitLabel={t('accounts.save')}
                    onCancel={() => setEditing(null)}
                    onSubmit={async ({ username: _u, ...change }) => {
                      await api.updateAccount(a.id, change);
                      setEditing(null);
                      setMessage(t('accounts.saved', { name: change.name }));
                      await load();
                    }}
                  />
                ) : (
                  <div className="button-row">
                    <button type="button" className="button button--small" onClick={() => setEditing(a.id)}>
                      {t('accounts.edit')}
                      <span className="visually-hidden"> {a.name}</span>
                    </button>
                    {a.id !== user.id && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() =>
                          void run(async () => {
                            await api.updateAccount(a.id, { active: !a.active });
                            setMessage(t(a.active ? 'accounts.deactivated' : 'accounts.reactivated', { name: a.name }));
                          })
                        }
                      >
                        {t(a.active ? 'accounts.deactivate' : 'accounts.reactivate')}
                        <span className="visually-hidden"> {a.name}</span>
                      </button>
                    )}
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() =>
                        void run(async () => {
                          const reset = await api.resetPassword(a.id);
                          setSecret({ kind: 'password', username: a.username, value: reset.password });
                        })
                      }
                    >
                      {t('accounts.resetPassword')}
                      <span className="visually-hidden"> {a.name}</span>
                    </button>
                    {a.active && (
                      <button
                        type="button"
                        className="button button--small"
                        onClick={() =>
                          void run(async () => {
                            const link = await api.createSignInLink(a.id);
                            setSecret({
                              kind: 'link',
                              username: a.username,
                              value: `${window.location.origin}${link.path}`,
                              expiresAt: link.expiresAt,
                            });
                          })
                        }
                      >
                        {t('accounts.signInLink')}
                        <span className="visually-hidden"> {a.name}</span>
                      </button>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
        {/* Read again after every action: a change of the accounts, or a secret just shown. */}
        <AccountLog refresh={`${JSON.stringify(accounts)}|${secret?.value ?? ''}`} />
      </main>
    </div>
  );
}
