import { type FormEvent, useId, useState } from 'react';
import type { ImportOutline, PublishedImport } from '../../shared/documentImport.js';
import type { PublicUser } from '../../shared/roles.js';
import { api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { useT } from '../i18n';
import { navigate, onLinkClick } from '../router';

type Language = '' | 'fr' | 'en' | 'es';

/**
 * "Import a document" for the Office: the text extracted from a GB document's PDF, pasted or read from
 * a .txt file, read by the importer the CLI uses; the outline it found is shown for checking, then
 * published. A change of the text asks for a new check before publishing.
 */
export default function ImportDocumentScreen({ user }: { user: PublicUser }) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState('');
  const [language, setLanguage] = useState<Language>('');
  const [outline, setOutline] = useState<ImportOutline | null>(null);
  const [published, setPublished] = useState<PublishedImport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (user.role !== 'secretariat') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main id="main" className="list-page">
          <p role="alert">{t('importDoc.officeOnly')}</p>
        </main>
      </div>
    );
  }

  const body = () => ({ text, ...(language ? { language } : {}) });
  async function run(what: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await what();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  const check = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setPublished(null);
      setOutline(await api.previewDocumentImport(body()));
    });
  };
  const changed = () => {
    setOutline(null);
    setPublished(null);
  };

  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main id="main" className="list-page import-doc" aria-labelledby="import-doc-title">
        <h1 id="import-doc-title">{t('importDoc.title')}</h1>
        <p className="muted">{t('importDoc.intro')}</p>
        <form onSubmit={check}>
          <div className="field">
            <label htmlFor={`${id}-file`}>{t('importDoc.file')}</label>
            <input
              id={`${id}-file`}
              type="file"
              accept=".txt,text/plain"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                void file.text().then((read) => {
                  setText(read);
                  changed();
                });
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-text`}>{t('importDoc.text')}</label>
            <textarea
              id={`${id}-text`}
              rows={8}
              value={text}
              spellCheck={false}
              onChange={(e) => {
                setText(e.target.value);
                changed();
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-language`}>{t('importDoc.language')}</label>
            <select
              id={`${id}-language`}
              value={language}
              onChange={(e) => {
                setLanguage(e.target.value as Language);
                changed();
              }}
            >
              <option value="">{t('importDoc.language.detect')}</option>
              <option value="fr">Français</option>
              <option value="en">English</option>
              <option value="es">Español</option>
            </select>
          </div>
          <button type="submit" className="button button--primary" disabled={busy || text.trim() === ''}>
            {t('importDoc.check')}
          </button>
        </form>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {outline && (
          <section className="import-doc__outline" aria-labelledby="import-doc-outline" data-testid="import-outline">
            <h2 id="import-doc-outline">
              {outline.symbol} — <span lang={outline.language}>{outline.title}</span>
            </h2>
            <p data-testid="import-counts">
              {t('importDoc.counts', {
                parts: outline.counts.parts,
                outcomes: outline.counts.outcomes,
                enablers: outline.counts.enablers,
                outputs: outline.counts.outputs,
                paragraphs: outline.counts.paragraphs,
                footnotes: outline.counts.footnotes,
              })}
            </p>
            {outline.exists && <p className="notice">{t('importDoc.exists')}</p>}
            <ol className="import-doc__sections" lang={outline.language}>
              {outline.sections.map((s) => (
                <li key={s.id} data-kind={s.kind}>
                  <strong>{s.label}</strong> {s.title}{' '}
                  <span className="muted">({t('importDoc.paragraphs', { count: s.paragraphs })})</span>
                </li>
              ))}
            </ol>
            {!published && (
              <button
                type="button"
                className="button button--primary"
                disabled={busy}
                onClick={() => void run(async () => setPublished(await api.publishDocumentImport(body())))}
              >
                {t('importDoc.publish', { symbol: outline.symbol })}
              </button>
            )}
          </section>
        )}
        {published && (
          <p role="status" data-testid="import-published">
            {t('importDoc.published', { symbol: published.symbol })}{' '}
            <a href={`/d/${published.id}`} onClick={onLinkClick(`/d/${published.id}`)}>
              {t('importDoc.open', { symbol: published.symbol })}
            </a>
          </p>
        )}
        <p>
          <button type="button" className="button button--quiet" onClick={() => navigate('/')}>
            {t('importDoc.back')}
          </button>
        </p>
      </main>
    </div>
  );
}
