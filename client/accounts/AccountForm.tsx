import { type FormEvent, useId, useState } from 'react';
import { GROUPS, type Group, ROLES, type Role } from '../../shared/roles.js';
import { useI18n } from '../i18n';
import { stateOptions } from './stateOptions';

export interface AccountFields {
  username: string;
  name: string;
  role: Role;
  group: Group | null;
  memberState: string | null;
}

/**
 * Who a participant is: name, username (on creation only), role, group for a delegate, and for a
 * government delegate the State, picked by name in the reader's language and sent as its ISO code.
 * The server checks it all again; its sentence is shown under the form.
 */
export function AccountForm(props: {
  initial: AccountFields;
  creating: boolean;
  submitLabel: string;
  onSubmit: (fields: AccountFields) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t, language } = useI18n();
  const id = useId();
  const [fields, setFields] = useState(props.initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const delegate = fields.role === 'delegate';
  const government = delegate && fields.group === 'government';

  const set = (change: Partial<AccountFields>) => setFields((f) => ({ ...f, ...change }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit({
        ...fields,
        name: fields.name.trim(),
        username: fields.username.trim().toLowerCase(),
        group: delegate ? (fields.group ?? 'government') : null,
        memberState: government ? fields.memberState : null,
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="account-form" onSubmit={submit} aria-describedby={error ? `${id}-error` : undefined}>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('accounts.name')}</label>
        <input
          id={`${id}-name`}
          required
          value={fields.name}
          autoComplete="off"
          onChange={(e) => set({ name: e.target.value })}
        />
      </div>
      {props.creating && (
        <div className="field">
          <label htmlFor={`${id}-username`}>{t('accounts.username')}</label>
          <input
            id={`${id}-username`}
            required
            value={fields.username}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby={`${id}-username-hint`}
            onChange={(e) => set({ username: e.target.value })}
          />
          <small id={`${id}-username-hint`} className="muted">
            {t('accounts.usernameHint')}
          </small>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-role`}>{t('accounts.role')}</label>
        <select id={`${id}-role`} value={fields.role} onChange={(e) => set({ role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`accounts.role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {delegate && (
        <div className="field">
          <label htmlFor={`${id}-group`}>{t('accounts.group')}</label>
          <select
            id={`${id}-group`}
            value={fields.group ?? 'government'}
            onChange={(e) => set({ group: e.target.value as Group })}
          >
            {GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`group.${g}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {government && (
        <div className="field">
          <label htmlFor={`${id}-state`}>{t('accounts.state')}</label>
          <select
            id={`${id}-state`}
            required
            value={fields.memberState ?? ''}
            onChange={(e) => set({ memberState: e.target.value || null })}
          >
            <option value="">{t('accounts.chooseState')}</option>
            {stateOptions(language).map((s) => (
              <option key={s.code} value={s.code}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="button" onClick={props.onCancel}>
            {t('amendment.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
