import { useEffect, useMemo, useState } from 'react';
import type { PublicUser } from '../../shared/roles.js';
import { WHATS_NEW_TAGS, type WhatsNewResponse, type WhatsNewTag } from '../../shared/whatsNew.js';
import { ApiRequestError, api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { formatTime } from '../components/identity';
import { DocHeading } from '../consolidation/DocHeading';
import { DocNav } from '../consolidation/DocNav';
import { useI18n } from '../i18n';
import { onLinkClick } from '../router';
import { newsSentence } from './sentences';
import { sinceSnapshot } from './sinceStore';

type Filter = 'all' | WhatsNewTag;

/**
 * "Since your last visit": what changed in each section after the reader last viewed it, newest first,
 * filtered to what concerns them (their group's amendments, amendments they voted on, replies to their
 * threads); each line leads to its place in the text. It shows the list as it stood when the document
 * was opened in this tab, so reading the text meanwhile does not empty it.
 */
export default function SinceScreen({ documentId, user }: { documentId: string; user: PublicUser }) {
  const { t, language } = useI18n();
  const [news, setNews] = useState<WhatsNewResponse | null>(null);
  const [labels, setLabels] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');

  useEffect(() => {
    let cancelled = false;
    sinceSnapshot(documentId).then(
      (body) => {
        if (!cancelled) setNews(body);
      },
      (err: unknown) => {
        if (!cancelled) setError(err instanceof ApiRequestError || err instanceof Error ? err.message : String(err));
      },
    );
    api.document(documentId).then(
      (d) => {
        if (!cancelled) setLabels(new Map(d.sections.map((s) => [s.id, s.label === s.title ? s.title : s.label])));
      },
      () => {
        // Without the outline, lines without a paragraph name no section; the rest reads the same.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [documentId]);

  const items = useMemo(
    () => (news?.items ?? []).filter((i) => filter === 'all' || i.tags.includes(filter)),
    [news, filter],
  );
  const filters: Filter[] = user.role === 'observer' ? [] : ['all', ...WHATS_NEW_TAGS];

  return (
    <div className="app-shell app-shell--bar" data-testid="since-screen">
      <AppHeader user={user} bar={<DocNav documentId={documentId} current="since" />}>
        <DocHeading documentId={documentId} view={t('since.title')} />
      </AppHeader>
      <main id="main" className="versions-page since-page" aria-labelledby="since-title">
        <h1 id="since-title" className="desk__title">
          {t('since.title')}
        </h1>
        <p className="muted">{t('since.intro')}</p>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!news && !error && <p role="status">{t('review.loading')}</p>}
        {news && news.firstVisitAt === null && <p data-testid="since-first-visit">{t('since.firstVisit')}</p>}
        {news && news.firstVisitAt !== null && (
          <>
            {filters.length > 0 && (
              <fieldset className="since-filters">
                <legend>{t('since.filter')}</legend>
                {filters.map((f) => (
                  <label key={f} className="choice">
                    <input
                      type="radio"
                      name="since-filter"
                      value={f}
                      checked={filter === f}
                      onChange={() => setFilter(f)}
                      data-testid={`since-filter-${f}`}
                    />
                    <span>{t(`since.filter.${f}`)}</span>
                  </label>
                ))}
              </fieldset>
            )}
            <p className="muted" aria-live="polite" data-testid="since-shown">
              {t('since.shown', { shown: items.length, total: news.items.length })}
            </p>
            {items.length === 0 ? (
              <p data-testid="since-empty">{news.items.length === 0 ? t('since.empty') : t('since.emptyFilter')}</p>
            ) : (
              <ol className="since-list" data-testid="since-list">
                {items.map((item) => {
                  const href = `/d/${documentId}${item.paragraph !== null ? `#p${item.paragraph}` : `#section-${item.sectionId}`}`;
                  const key = `${item.kind}:${item.amendmentId ?? item.threadId}:${item.at}`;
                  return (
                    <li key={key} className={`since-item since-item--${item.kind}`} data-kind={item.kind}>
                      <a href={href} onClick={onLinkClick(href)} className="since-item__link">
                        {newsSentence(item, labels.get(item.sectionId) ?? item.sectionId, t)}
                      </a>
                      {item.excerpt && <q className="since-item__excerpt">{item.excerpt}</q>}
                      <time className="since-item__time muted" dateTime={new Date(item.at).toISOString()}>
                        {formatTime(item.at, language)}
                      </time>
                    </li>
                  );
                })}
              </ol>
            )}
          </>
        )}
      </main>
    </div>
  );
}
