import { type CSSProperties, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { ServerEvent } from '../../shared/events.js';
import type { PublicUser } from '../../shared/roles.js';
import type { CompareParagraph, CompareResponse, VersionResponse, VersionSummary } from '../../shared/versions.js';
import { api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { colourOfOwner, formatTime, ownerLabelOf } from '../components/identity';
import { DocHeading } from '../consolidation/DocHeading';
import { DocNav } from '../consolidation/DocNav';
import { RoundStatus } from '../consolidation/RoundStatus';
import { useRound } from '../consolidation/useRound';
import { StaticSection } from '../document/StaticSection';
import { useI18n } from '../i18n';
import { errorText } from '../components/errorText';
import { onLive } from '../realtime/liveEvents';
import { useDocumentPresence } from '../realtime/useDocumentPresence';
import { type DocumentView, navigate, onLinkClick } from '../router';
import { useAbilities, useSession } from '../session/SessionProvider';
import { useAnnounceDocumentLanguage, useDocumentLanguage } from '../document/documentLanguage';

type Route = Extract<DocumentView, { view: 'versions' | 'version' | 'compare' }>;

type VersionSummaryRecord = VersionSummary;
type VersionRecord = VersionResponse;

/** Versions of a document: the list, one version read-only, and the comparison of any two (or the live text). */
export default function VersionsScreen({ route, user }: { route: Route; user: PublicUser }) {
  const { t, language } = useI18n();
  const { documentId } = route;
  const { expire } = useSession();
  const presence = useDocumentPresence(documentId, expire);
  const round = useRound(documentId, presence.socket);
  const [versions, setVersions] = useState<VersionSummaryRecord[] | null>(null);
  // The quoted text's `lang` is the document's (its meta), whatever the interface speaks.
  const [docLanguage, setDocLanguage] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    api
      .document(documentId)
      .then((d) => {
        if (!cancelled) setDocLanguage(d.language);
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [documentId]);
  useAnnounceDocumentLanguage(docLanguage);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .versions(documentId)
      .then((body) => setVersions([...body].sort((a, b) => b.createdAt - a.createdAt)))
      .catch((err: unknown) => setError(errorText(err, t, language)));
  }, [documentId, t, language]);
  useEffect(load, [load]);

  useEffect(() => {
    const socket = presence.socket;
    if (!socket) return;
    return onLive(socket, ServerEvent.VersionCreated, load);
  }, [presence.socket, load]);

  const bar = (
    <>
      <RoundStatus documentId={documentId} clock={round} />
      <DocNav documentId={documentId} current="versions" />
    </>
  );

  return (
    <div className="app-shell app-shell--bar" data-testid="versions-screen">
      <AppHeader user={user} bar={bar}>
        <DocHeading
          documentId={documentId}
          view={t(
            route.view === 'version' ? 'nav.versions' : route.view === 'compare' ? 'compare.title' : 'nav.versions',
          )}
        />
      </AppHeader>
      <main id="main" className="versions-page">
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {route.view === 'version' ? (
          <VersionView documentId={documentId} versionId={route.versionId} />
        ) : (
          <>
            <VersionList documentId={documentId} versions={versions} onCreated={load} />
            <Compare documentId={documentId} versions={versions ?? []} open={route.view === 'compare'} />
          </>
        )}
      </main>
    </div>
  );
}

function VersionList({
  documentId,
  versions,
  onCreated,
}: {
  documentId: string;
  versions: VersionSummaryRecord[] | null;
  onCreated: () => void;
}) {
  const { t, language } = useI18n();
  const abilities = useAbilities();
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function take() {
    setBusy(true);
    setError(null);
    try {
      await api.createVersion(documentId, name.trim());
      setName('');
      onCreated();
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="versions-title" className="versions-block">
      <h1 id="versions-title" className="desk__title">
        {t('versions.title')}
      </h1>
      {!versions ? (
        <p role="status">{t('review.loading')}</p>
      ) : versions.length === 0 ? (
        <p className="muted">{t('versions.none')}</p>
      ) : (
        <table className="data-table" data-testid="versions-table">
          <caption className="visually-hidden">{t('versions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('versions.name')}</th>
              <th scope="col">{t('versions.taken')}</th>
              <th scope="col">{t('versions.by')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <th scope="row">
                  <a
                    href={`/d/${documentId}/versions/${v.id}`}
                    onClick={onLinkClick(`/d/${documentId}/versions/${v.id}`)}
                  >
                    {v.name}
                  </a>
                  {v.roundId && <span className="muted"> · {t('versions.fromRound')}</span>}
                </th>
                <td>
                  <time dateTime={new Date(v.createdAt).toISOString()}>{formatTime(v.createdAt, language)}</time>
                </td>
                <td>{v.createdByName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {abilities.consolidate && (
        <form
          className="versions-take"
          onSubmit={(e) => {
            e.preventDefault();
            void take();
          }}
        >
          <label htmlFor={`${id}-name`}>{t('versions.takeLabel')}</label>
          <input id={`${id}-name`} value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button button--small" disabled={busy || name.trim() === ''}>
            {t('versions.take')}
          </button>
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

function useQuery(): URLSearchParams {
  return useMemo(() => new URLSearchParams(window.location.search), []);
}

/** Compare any two versions (or the live text), paragraph by paragraph. */
function Compare({
  documentId,
  versions,
  open,
}: {
  documentId: string;
  versions: VersionSummaryRecord[];
  open: boolean;
}) {
  const { t, language } = useI18n();
  const id = useId();
  const query = useQuery();
  const [from, setFrom] = useState(query.get('from') ?? '');
  const [to, setTo] = useState(query.get('to') ?? 'live');
  const [result, setResult] = useState<CompareResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showUnchanged, setShowUnchanged] = useState(false);
  const [busy, setBusy] = useState(false);

  // Default: the latest version against the live text.
  const latest = versions.find((v) => v.abilities?.compare === true)?.id;
  useEffect(() => {
    if (latest) setFrom((prev) => prev || latest);
  }, [latest]);

  const run = useCallback(
    async (a: string, b: string) => {
      setBusy(true);
      setError(null);
      try {
        setResult(await api.compare(documentId, a, b));
      } catch (err) {
        setError(errorText(err, t, language));
      } finally {
        setBusy(false);
      }
    },
    [documentId, t, language],
  );

  // Opened at /compare?from=…&to=…: compare at once.
  useEffect(() => {
    if (open && query.get('from') && query.get('to')) void run(query.get('from') ?? '', query.get('to') ?? '');
  }, [open, query, run]);

  // The versions this reader may compare, as the server says (every reader today: versions are public).
  const comparable = versions.filter((v) => v.abilities?.compare === true);
  const options = [{ id: 'live', name: t('compare.live') }, ...comparable.map((v) => ({ id: v.id, name: v.name }))];
  const shown = result?.paragraphs.filter((p) => showUnchanged || p.change !== 'unchanged') ?? [];
  const changed = result?.paragraphs.filter((p) => p.change !== 'unchanged').length ?? 0;

  return (
    <section aria-labelledby="compare-title" className="versions-block" data-testid="compare">
      <h2 id="compare-title" className="desk__title">
        {t('compare.title')}
      </h2>
      <form
        className="compare-form"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/d/${documentId}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
            replace: true,
          });
          void run(from, to);
        }}
      >
        <label htmlFor={`${id}-from`}>
          <span>{t('compare.from')}</span>
          <select id={`${id}-from`} value={from} onChange={(e) => setFrom(e.target.value)} required>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-to`}>
          <span>{t('compare.to')}</span>
          <select id={`${id}-to`} value={to} onChange={(e) => setTo(e.target.value)} required>
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--primary" disabled={busy || !from || !to}>
          {t('compare.submit')}
        </button>
      </form>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p className="compare__summary" role="status" data-testid="compare-summary">
            {t('compare.summary', { from: nameOf(result.from, t), to: nameOf(result.to, t), count: changed })}
          </p>
          <label className="choice">
            <input type="checkbox" checked={showUnchanged} onChange={(e) => setShowUnchanged(e.target.checked)} />
            <span>{t('compare.showUnchanged')}</span>
          </label>
          <p className="compare__legend muted">
            <ins className="cmp-ins">{t('compare.legend.ins')}</ins> ·{' '}
            <del className="cmp-del">{t('compare.legend.del')}</del>
          </p>
          <ol className="compare__list">
            {shown.map((p) => (
              <ComparedParagraph key={`${p.sectionId}:${p.number}`} paragraph={p} />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function nameOf(side: { id: string; name: string }, t: ReturnType<typeof useI18n>['t']): string {
  return side.id === 'live' ? t('compare.live') : side.name;
}

function ComparedParagraph({ paragraph: p }: { paragraph: CompareParagraph }) {
  const { t } = useI18n();
  const docLang = useDocumentLanguage();
  return (
    <li className={`compare-para compare-para--${p.change}`} data-testid={`compare-${p.number}`}>
      <h3 className="compare-para__title">
        {t('desk.paragraph', { n: p.number })} <span className="muted">— {t(`compare.change.${p.change}`)}</span>
      </h3>
      <p lang={docLang} className="compare-para__text">
        {p.segments.map((s, i) => {
          const key = `${i}-${s.type}`;
          if (s.type === 'equal') return <span key={key}>{s.text}</span>;
          const chips = (s.amendments ?? []).map((a) => (
            <span
              key={a.id}
              className="chip ref-chip"
              style={{ '--owner': colourOfOwner(a.ownerKey) } as CSSProperties}
              data-testid="compare-ref"
            >
              {a.ref}
              <span className="visually-hidden"> ({ownerLabelOf(a.ownerKey, t)})</span>
            </span>
          ));
          return s.type === 'insert' ? (
            <span key={key} className="cmp-change">
              <ins className="cmp-ins">
                <span className="visually-hidden">{t('compare.inserted')}: </span>
                {s.text}
              </ins>
              {chips}
            </span>
          ) : (
            <span key={key} className="cmp-change">
              <del className="cmp-del">
                <span className="visually-hidden">{t('compare.deleted')}: </span>
                {s.text}
              </del>
              {chips}
            </span>
          );
        })}
      </p>
    </li>
  );
}

/** One version, read-only: a banner says so, the text is rendered without an editor. */
function VersionView({ documentId, versionId }: { documentId: string; versionId: string }) {
  const { t, language } = useI18n();
  const docLang = useDocumentLanguage();
  const [version, setVersion] = useState<VersionRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .version(documentId, versionId)
      .then(setVersion)
      .catch((err: unknown) => setError(errorText(err, t, language)));
  }, [documentId, versionId, t, language]);

  if (error)
    return (
      <p className="inline-error" role="alert">
        {error}
      </p>
    );
  if (!version) return <p role="status">{t('review.loading')}</p>;
  return (
    <article aria-labelledby="version-title" className="version-view">
      <div className="version-banner" data-testid="version-banner">
        <h1 id="version-title" className="version-banner__title">
          {t('version.banner', { name: version.name })}
        </h1>
        <p>
          {t('version.taken', { time: formatTime(version.createdAt, language), name: version.createdByName })}{' '}
          <a href={`/d/${documentId}/versions`} onClick={onLinkClick(`/d/${documentId}/versions`)}>
            {t('version.back')}
          </a>
        </p>
      </div>
      {version.sections.map((s) => (
        <section key={s.sectionId} aria-label={`${s.label} — ${s.title}`} className="version-section">
          <StaticSection content={s.content} lang={docLang} label={s.label} />
        </section>
      ))}
    </article>
  );
}
