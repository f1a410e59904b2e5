import { useEffect, useState } from 'react';
import type { AuditPage } from '../../shared/audit.js';
import type { PublicUser } from '../../shared/roles.js';
import { api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { formatTime } from '../components/identity';
import { DocHeading } from '../consolidation/DocHeading';
import { DocNav } from '../consolidation/DocNav';
import { useI18n } from '../i18n';
import { auditSentence, viaLabel } from '../whatsNew/sentences';
import { errorText } from '../components/errorText';

const PAGE = 50;

/**
 * The Office's audit log: newest first, a page at a time, each line a sentence in the reader's language
 * (the codes stay in the CSV), and the whole log as CSV.
 */
export default function AuditScreen({ documentId, user }: { documentId: string; user: PublicUser }) {
  const { t, language } = useI18n();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .audit(documentId, PAGE, offset)
      .then((body) => {
        if (!cancelled) setPage(body as AuditPage);
      })
      .catch((err: unknown) => {
        if (!cancelled) setError(errorText(err, t, language));
      });
    return () => {
      cancelled = true;
    };
  }, [documentId, offset, t, language]);

  const total = page?.total ?? 0;
  return (
    <div className="app-shell app-shell--bar" data-testid="audit-screen">
      <AppHeader user={user} bar={<DocNav documentId={documentId} current="audit" />}>
        <DocHeading documentId={documentId} view={t('audit.title')} />
      </AppHeader>
      <main id="main" className="versions-page">
        <div className="desk__top">
          <h1 className="desk__title">{t('audit.title')}</h1>
          <a className="button button--small" href={api.auditCsvUrl(documentId)} download data-testid="audit-csv">
            {t('audit.csv')}
          </a>
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!page ? (
          <p role="status">{t('review.loading')}</p>
        ) : (
          <>
            <table className="data-table" data-testid="audit-table">
              <caption className="visually-hidden">{t('audit.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.event')}</th>
                  <th scope="col">{t('audit.via')}</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => (
                  <tr key={e.seq}>
                    <td>
                      <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at, language)}</time>
                    </td>
                    <td data-action={e.action}>{auditSentence(e, t)}</td>
                    <td>{viaLabel(e.via, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <nav className="pager" aria-label={t('audit.pages')}>
              <button
                type="button"
                className="button button--small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                {t('audit.newer')}
              </button>
              <span>
                {t('audit.range', { from: total === 0 ? 0 : offset + 1, to: Math.min(offset + PAGE, total), total })}
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={offset + PAGE >= total}
                onClick={() => setOffset(offset + PAGE)}
              >
                {t('audit.older')}
              </button>
            </nav>
          </>
        )}
      </main>
    </div>
  );
}
