import { useEffect, useState } from 'react';
import type { DocumentSummary } from '../../shared/document.js';
import type { PublicUser } from '../../shared/roles.js';
import { ApiRequestError, api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { useT } from '../i18n';
import { navigate } from '../router';
import type { DocumentOverview } from '../../shared/whatsNew.js';
import { DocumentFacts } from '../whatsNew/DocumentFacts';

export default function DocumentListScreen({ user }: { user: PublicUser }) {
  const t = useT();
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [overview, setOverview] = useState<{ byId: Map<string, DocumentOverview>; receivedAt: number } | null>(null);

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
    // The figures come apart from the list, so that the list never waits for them.
    api.documentOverview().then(
      (body) => {
        if (!cancelled)
          setOverview({
            byId: new Map(body.documents.map((d) => [d.documentId, d])),
            receivedAt: performance.now(),
          });
      },
      () => {
        // Without figures the list still opens each document.
      },
    );
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
          {documents?.map((d) => {
            const facts = overview?.byId.get(d.id);
            return (
              <li key={d.id}>
                <a
                  href={`/d/${d.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/d/${d.id}`);
                  }}
                >
                  {/* The name is the visible text after "Open": a label hiding the title failed label-in-name. */}
                  <span className="visually-hidden">{t('documents.openVerb')} </span>
                  <span className="document-list__symbol">{d.symbol}</span>
                  <span className="document-list__title" lang={d.language}>
                    {d.title}
                  </span>
                </a>
                {facts && overview && <DocumentFacts overview={facts} receivedAt={overview.receivedAt} />}
              </li>
            );
          })}
        </ul>
      </main>
    </div>
  );
}
