import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../shared/audit.js';
import { api } from '../api/client';
import { formatTime } from '../components/identity';
import { useI18n } from '../i18n';
import { auditSentence } from '../whatsNew/sentences';

/** How many of the latest account changes the Participants screen shows. */
const SHOWN = 50;

/**
 * The latest lines of the accounts' audit log (GET /api/admin/audit), each a sentence in the reader's
 * language; read again whenever `refresh` changes (the screen's accounts after each action).
 */
export function AccountLog({ refresh }: { refresh: unknown }) {
  const { t, language } = useI18n();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  useEffect(() => {
    // The value itself is not read: a new one means an action was taken, so the log is read again.
    void refresh;
    let live = true;
    api
      .accountAudit(SHOWN)
      .then((page) => {
        if (live) setEntries(page.entries);
      })
      .catch(() => {
        if (live) setEntries([]);
      });
    return () => {
      live = false;
    };
  }, [refresh]);
  return (
    <section className="participants__log" aria-labelledby="account-log-title" data-testid="account-log">
      <h2 id="account-log-title">{t('accounts.audit.title')}</h2>
      {entries !== null && entries.length === 0 && <p className="muted">{t('accounts.audit.empty')}</p>}
      {entries !== null && entries.length > 0 && (
        <ul className="plain-list">
          {entries.map((e) => (
            <li key={e.seq} data-action={e.action} data-testid="account-log-entry">
              <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at, language)}</time> — {auditSentence(e, t)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
