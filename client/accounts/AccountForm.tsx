import { type FormEvent, useId, useState } from 'react';
import { type RegionalGroup, regionName, regionsOf } from '../../shared/regions.js';
import { GROUPS, type Group, ROLES, type Role } from '../../shared/roles.js';
import { useI18n } from '../i18n';
import { stateLabel, stateOptions } from './stateOptions';

export interface AccountFields {
  username: string;
  name: string;
  role: Role;
  group: Group | null;
  memberState: string | null;
  /** The regional groups of the State (codes): a change is the State's, for all its delegates. */
  regions: string[];
}

/**
 * Who a participant is: name, username (on creation only), role, group for a delegate, and for a
 * government delegate the State, picked by name in the reader's language and sent as its ISO code, and
 * the State's regional groups (checked as the State's memberships are; changing them changes them for the
 * State's every delegate, which the form says). The server checks it all again; its sentence is shown
 * under the form.
 */
export function AccountForm(props: {
  initial: AccountFields;
  groups: readonly RegionalGroup[];
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
  // Another State: its own memberships, as they stand.
  const setState = (memberState: string | null) => set({ memberState, regions: regionsOf(memberState, props.groups) });
  const toggleRegion = (code: string, on: boolean) =>
    setFields((f) => ({ ...f, regions: on ? [...f.regions, code] : f.regions.filter((r) => r !== code) }));

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
        regions: government && fields.memberState ? fields.regions : [],
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
            onChange={(e) => setState(e.target.value || null)}
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
      {government && fields.memberState && props.groups.length > 0 && (
        <fieldset className="field account-form__regions" aria-describedby={`${id}-regions-hint`}>
          <legend>{t('accounts.regions')}</legend>
          {props.groups.map((g) => (
            <label key={g.code} className="choice">
              <input
                type="checkbox"
                data-testid={`account-region-${g.code}`}
                checked={fields.regions.includes(g.code)}
                onChange={(e) => toggleRegion(g.code, e.target.checked)}
              />
              <span>{regionName(g, language)}</span>
            </label>
          ))}
          <small id={`${id}-regions-hint`} className="muted">
            {t('accounts.regionsHint', { state: stateLabel(fields.memberState, language) })}
          </small>
        </fieldset>
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
