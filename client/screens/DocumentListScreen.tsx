import { useEffect, useState } from 'react';
import type { DocumentSummary } from '../../shared/document.js';
import type { PublicUser } from '../../shared/roles.js';
import { ApiRequestError, api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { useT } from '../i18n';
import { navigate } from '../router';

export default function DocumentListScreen({ user }: { user: PublicUser }) {
  const t = useT();
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api
      .documents()
      .then((list) => {
        if (!cancelled) setDocuments(list);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setError(err instanceof ApiRequestError && err.isNetwork ? t('error.network') : String((err as Error).message));
      });
    return () => {
      cancelled = true;
    };
  }, [t]);

  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main id="main" className="list-page" aria-labelledby="documents-title">
        <h1 id="documents-title">{t('documents.title')}</h1>
        {error && <p role="alert">{error}</p>}
        {documents === null && !error && <p role="status">{t('app.loading')}</p>}
        {documents?.length === 0 && <p>{t('documents.empty')}</p>}
        <ul className="document-list">
          {documents?.map((d) => (
            <li key={d.id}>
              <a
                href={`/d/${d.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/d/${d.id}`);
                }}
                aria-label={t('documents.open', { symbol: d.symbol })}
              >
                <span className="document-list__symbol">{d.symbol}</span>
                <span className="document-list__title" lang={d.language}>
                  {d.title}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
