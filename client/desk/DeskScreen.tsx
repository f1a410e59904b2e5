import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { awaitingSeconder } from '../../shared/amendments.js';
import { ServerEvent } from '../../shared/events.js';
import type { PublicUser } from '../../shared/roles.js';
import { api } from '../api/client';
import { AppHeader } from '../components/AppHeader';
import { DocNav } from '../consolidation/DocNav';
import { RoundStatus } from '../consolidation/RoundStatus';
import { useRound } from '../consolidation/useRound';
import { useI18n, useT } from '../i18n';
import { formatTime } from '../components/identity';
import type { RecentDecision } from '../../shared/whatsNew.js';
import { decisionSentence } from '../whatsNew/sentences';
import { errorText } from '../components/errorText';
import { useDocumentPresence } from '../realtime/useDocumentPresence';
import { useAbilities, useSession } from '../session/SessionProvider';
import { DeskCard, type Decision } from './DeskCard';
import type {
  DeskParagraph as DeskParagraphData,
  DeskResponse as Desk,
  RevisedResponse as Revised,
} from '../../shared/desk.js';
import { onLive } from '../realtime/liveEvents';
import { useAnnounceDocumentLanguage, useDocumentLanguage } from '../document/documentLanguage';

/** Events arriving within this window cost one refresh of the desk and the preview. */
const REFRESH_MS = 350;

/**
 * The Office's consolidation desk: paragraph by paragraph, the official text and every pending
 * amendment side by side; decisions one by one or in bulk, undo, and the revised text beside it, live.
 */
export default function DeskScreen({ documentId, user }: { documentId: string; user: PublicUser }) {
  const { t, language } = useI18n();
  const docLang = useDocumentLanguage();
  const abilities = useAbilities();
  const { expire } = useSession();
  const presence = useDocumentPresence(documentId, expire);
  const round = useRound(documentId, presence.socket);
  const [pendingOnly, setPendingOnly] = useState(true);
  const [show, setShow] = useState<'all' | 'seconded' | 'awaiting'>('all');
  const [desk, setDesk] = useState<Desk | null>(null);
  useAnnounceDocumentLanguage(desk?.language);
  const [error, setError] = useState<string | null>(null);
  const [revised, setRevised] = useState<Revised | null>(null);
  const [include, setInclude] = useState<'accepted' | 'pending'>('accepted');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [recent, setRecent] = useState<RecentDecision[]>([]);
  const [touched, setTouched] = useState<string | null>(null);
  /** After a decision: focus the card now at this position in the list (the next one), once the desk reloads. */
  const focusIndex = useRef<number | null>(null);

  const announce = useCallback((text: string) => {
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
  }, []);

  const load = useCallback(async () => {
    try {
      // The recent decisions are the server's: any member of the Office's, kept across reloads.
      const [body, decisions] = await Promise.all([api.desk(documentId, pendingOnly), api.recentDecisions(documentId)]);
      setDesk(body);
      setRecent(decisions.decisions);
      setError(null);
    } catch (err) {
      setError(errorText(err, t, language));
    }
  }, [documentId, pendingOnly, t, language]);

  const loadRevised = useCallback(async () => {
    try {
      setRevised(await api.revised(documentId, include));
    } catch {
      // The preview waits for the next change.
    }
  }, [documentId, include]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void loadRevised();
  }, [loadRevised]);

  // Live: any amendment change (ours, or another member of the Office's) reloads both, once per burst.
  useEffect(() => {
    const socket = presence.socket;
    if (!socket) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        void load();
        void loadRevised();
      }, REFRESH_MS);
    };
    const off = onLive(socket, ServerEvent.AmendmentChanged, soon);
    socket.on('connect', soon);
    return () => {
      if (timer) clearTimeout(timer);
      off();
      socket.off('connect', soon);
    };
  }, [presence.socket, load, loadRevised]);

  const counts = desk?.counts;
  // Seconded and unseconded amendments apart: the Office takes up only what the rules let it consider.
  const paragraphs = useMemo(() => {
    const all = desk?.paragraphs ?? [];
    if (show === 'all') return all;
    return all
      .map((p) => ({ ...p, amendments: p.amendments.filter((a) => awaitingSeconder(a) === (show === 'awaiting')) }))
      .filter((p) => p.amendments.length > 0);
  }, [desk, show]);
  const order = useMemo(
    () => paragraphs.flatMap((p) => p.amendments.flatMap((a) => [a.id, ...a.subAmendments.map((s) => s.id)])),
    [paragraphs],
  );
  const refs = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of paragraphs) for (const a of p.amendments) map.set(a.id, a.ref);
    return map;
  }, [paragraphs]);
  const where = useMemo(() => {
    const map = new Map<string, string>();
    for (const p of paragraphs)
      for (const a of p.amendments) {
        map.set(a.id, p.number);
        for (const s of a.subAmendments) map.set(s.id, p.number);
      }
    return map;
  }, [paragraphs]);

  // Selections of amendments no longer pending are dropped.
  useEffect(() => {
    setSelected((prev) => {
      const kept = new Set([...prev].filter((id) => order.includes(id)));
      return kept.size === prev.size ? prev : kept;
    });
  }, [order]);

  // Focus after a decision: the card that took the decided one's place, or the desk's title.
  useEffect(() => {
    if (focusIndex.current === null || !desk) return;
    const index = focusIndex.current;
    focusIndex.current = null;
    const cards = document.querySelectorAll<HTMLElement>('[data-desk-card] .desk-card__ref');
    const target = cards[Math.min(index, cards.length - 1)] ?? document.getElementById('desk-title');
    target?.focus();
  }, [desk]);

  // The preview shows the paragraph just decided, or at first the first one on the desk (its own scroll only).
  const firstOnDesk = desk?.paragraphs.find((p) => p.amendments.length > 0)?.number ?? null;
  const previewRef = useRef<HTMLElement>(null);
  const previewPlaced = useRef(false);
  useEffect(() => {
    const pane = previewRef.current;
    const target = touched ?? (previewPlaced.current ? null : firstOnDesk);
    if (!pane || !revised || !target) return;
    const element = document.getElementById(`revised-${target}`);
    if (!element) return;
    previewPlaced.current = true;
    const offset = element.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    pane.scrollTop += offset - 48;
  }, [touched, revised, firstOnDesk]);

  const onToggle = useCallback((id: string, checked: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (checked) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const orderRef = useRef(order);
  orderRef.current = order;
  const refsRef = useRef(refs);
  refsRef.current = refs;
  const whereRef = useRef(where);
  whereRef.current = where;

  const onDecide = useCallback(
    async (id: string, decision: Decision, text?: string, secondedInRoom?: boolean) => {
      setBusy(true);
      const ref = refsRef.current.get(id) ?? id;
      try {
        const body =
          decision === 'reject'
            ? await api.amendmentStep(id, 'reject')
            : await api.accept(id, decision === 'modify' ? text : undefined, secondedInRoom);
        const answered =
          typeof body === 'object' && body !== null && 'ref' in body && typeof body.ref === 'string' ? body.ref : ref;
        setTouched(whereRef.current.get(id) ?? null);
        focusIndex.current = Math.max(0, orderRef.current.indexOf(id));
        announce(t(`desk.done.${decision}`, { ref: answered }));
        await Promise.all([load(), loadRevised()]);
      } catch (err) {
        announce(t('desk.refused', { ref, message: errorText(err, t, language) }));
        throw err;
      } finally {
        setBusy(false);
      }
    },
    [announce, load, loadRevised, t, language],
  );

  const decideSafely = useCallback(
    (id: string, decision: Decision, text?: string, secondedInRoom?: boolean) =>
      onDecide(id, decision, text, secondedInRoom).then(
        () => true,
        () => false,
      ),
    [onDecide],
  );

  async function bulk(action: 'accept' | 'reject') {
    const ids = order.filter((id) => selected.has(id));
    if (ids.length === 0) return;
    setBusy(true);
    try {
      {
        const { done, failed, results } = await api.bulk(documentId, action, ids);
        const failures = results.filter((r) => !r.ok).map((r) => `${refs.get(r.id) ?? r.id}: ${r.message ?? ''}`);
        announce(
          failed === 0
            ? t(`desk.bulkDone.${action}`, { count: done })
            : t('desk.bulkPartial', { done, failed, reasons: failures.join('; ') }),
        );
      }
      setSelected(new Set());
      focusIndex.current = 0;
      await Promise.all([load(), loadRevised()]);
    } catch (err) {
      announce(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  async function undo(r: RecentDecision) {
    setBusy(true);
    try {
      await api.amendmentStep(r.amendmentId, 'undo');
      announce(t('desk.undone', { ref: r.ref }));
      await Promise.all([load(), loadRevised()]);
    } catch (err) {
      announce(t('desk.refused', { ref: r.ref, message: errorText(err, t, language) }));
    } finally {
      setBusy(false);
    }
  }

  const bar = (
    <>
      <RoundStatus documentId={documentId} clock={round} />
      <DocNav documentId={documentId} current="desk" />
    </>
  );

  if (!abilities.consolidate) {
    return (
      <div className="app-shell app-shell--bar">
        <AppHeader user={user} bar={bar} />
        <main id="main" className="list-page">
          <p role="alert">{t('desk.officeOnly')}</p>
        </main>
      </div>
    );
  }

  return (
    <div className="app-shell app-shell--bar" data-testid="desk-screen">
      <AppHeader user={user} bar={bar}>
        <div className="doc-heading">
          <span className="doc-heading__symbol" data-testid="document-symbol">
            {desk?.symbol ?? ''}
          </span>
          <span className="doc-heading__title">{t('desk.title')}</span>
        </div>
      </AppHeader>
      <div className="desk-layout">
        <main id="main" className="desk" aria-labelledby="desk-title">
          <div className="desk__top">
            <h1 id="desk-title" className="desk__title" tabIndex={-1}>
              {t('desk.title')}
            </h1>
            {counts && (
              <p className="desk__counts" data-testid="desk-counts">
                {t('desk.counts', {
                  pending: counts.pending,
                  subs: counts.subAmendments,
                  accepted: counts.accepted,
                  rejected: counts.rejected,
                })}
              </p>
            )}
          </div>
          <div className="desk__toolbar" role="toolbar" aria-label={t('desk.bulk')}>
            <label className="choice">
              <input type="checkbox" checked={!pendingOnly} onChange={(e) => setPendingOnly(!e.target.checked)} />
              <span>{t('desk.allParagraphs')}</span>
            </label>
            <label className="desk__show">
              <span>{t('desk.show')}</span>
              <select
                value={show}
                data-testid="desk-show"
                onChange={(e) =>
                  setShow(
                    e.target.value === 'awaiting' ? 'awaiting' : e.target.value === 'seconded' ? 'seconded' : 'all',
                  )
                }
              >
                <option value="all">{t('desk.show.all')}</option>
                <option value="seconded">{t('desk.show.seconded')}</option>
                <option value="awaiting">{t('desk.show.awaiting', { count: counts?.awaitingSeconder ?? 0 })}</option>
              </select>
            </label>
            <span className="desk__selected" aria-live="polite" data-testid="desk-selected">
              {t('desk.selected', { count: selected.size })}
            </span>
            <button
              type="button"
              className="button button--small"
              disabled={busy || selected.size === 0}
              onClick={() => void bulk('accept')}
            >
              {t('desk.bulkAccept')}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={busy || selected.size === 0}
              onClick={() => void bulk('reject')}
            >
              {t('desk.bulkReject')}
            </button>
            <button
              type="button"
              className="button button--small button--quiet"
              disabled={selected.size === 0}
              onClick={() => setSelected(new Set())}
            >
              {t('desk.clearSelection')}
            </button>
          </div>
          <p className="desk__announcer" role="status" aria-live="polite" data-testid="desk-announcer">
            {message}
          </p>
          {recent.length > 0 && (
            <section className="desk__recent" aria-labelledby="desk-recent">
              <h2 id="desk-recent" className="review__subtitle">
                {t('desk.recentTitle')}
              </h2>
              <ul data-testid="desk-recent">
                {recent.map((r) => (
                  <li key={r.amendmentId} data-testid={`desk-recent-${r.ref}`}>
                    <span>{decisionSentence(r, t)}</span>
                    <time className="muted" dateTime={new Date(r.at).toISOString()}>
                      {formatTime(r.at, language)}
                    </time>
                    {r.undo && (
                      <button
                        type="button"
                        className="button button--small button--quiet"
                        disabled={busy}
                        onClick={() => void undo(r)}
                      >
                        {t('workflow.undo')}
                        <span className="visually-hidden"> {r.ref}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
          {!desk ? (
            <p role="status">{t('review.loading')}</p>
          ) : paragraphs.length === 0 ? (
            <p className="muted">{t('desk.empty')}</p>
          ) : (
            <ol className="desk__paragraphs" aria-label={t('desk.paragraphs')}>
              {paragraphs.map((p) => (
                <DeskParagraph
                  documentId={documentId}
                  key={`${p.sectionId}:${p.number}`}
                  paragraph={p}
                  selectedKey={p.amendments
                    .flatMap((a) => [a.id, ...a.subAmendments.map((s) => s.id)])
                    .filter((id) => selected.has(id))
                    .join(',')}
                  refs={refs}
                  busy={busy}
                  onToggle={onToggle}
                  onDecide={decideSafely}
                />
              ))}
            </ol>
          )}
        </main>
        <aside className="desk-preview" ref={previewRef} aria-labelledby="preview-title" data-testid="revised-preview">
          <div className="desk-preview__top">
            <h2 id="preview-title" className="review__title">
              {t('desk.preview')}
            </h2>
            <label className="desk-preview__include">
              <span>{t('desk.preview.show')}</span>
              <select
                value={include}
                onChange={(e) => setInclude(e.target.value === 'pending' ? 'pending' : 'accepted')}
              >
                <option value="accepted">{t('desk.preview.accepted')}</option>
                <option value="pending">{t('desk.preview.pending')}</option>
              </select>
            </label>
          </div>
          {!revised ? (
            <p className="muted">{t('review.loading')}</p>
          ) : (
            <ol className="desk-preview__text" lang={docLang}>
              {revised.paragraphs.map((p) => (
                <li
                  key={`${p.sectionId}:${p.number}`}
                  id={`revised-${p.number}`}
                  className={
                    touched === p.number ? 'desk-preview__para desk-preview__para--touched' : 'desk-preview__para'
                  }
                  data-number={p.number}
                >
                  <span className="desk-preview__num" aria-hidden="true">
                    {p.number}.
                  </span>
                  <span className="visually-hidden">{t('amendment.paragraph', { n: p.number })}: </span>
                  {p.text}
                </li>
              ))}
            </ol>
          )}
        </aside>
      </div>
    </div>
  );
}

interface DeskParagraphProps {
  documentId: string;
  paragraph: DeskParagraphData;
  /** The selected ids of this paragraph, joined: a paragraph redraws only when its own selection changes. */
  selectedKey: string;
  refs: ReadonlyMap<string, string>;
  busy: boolean;
  onToggle: (id: string, checked: boolean) => void;
  onDecide: (id: string, decision: Decision, text?: string) => Promise<boolean>;
}

/** One paragraph at the desk: its official text, then its pending amendments side by side. */
const DeskParagraph = memo(function DeskParagraph({
  documentId,
  paragraph: p,
  selectedKey,
  refs,
  busy,
  onToggle,
  onDecide,
}: DeskParagraphProps) {
  const t = useT();
  const docLang = useDocumentLanguage();
  const selected = new Set(selectedKey ? selectedKey.split(',') : []);
  const headingId = `desk-p-${p.sectionId}-${p.number}`;
  return (
    <li className="desk-para" data-testid={`desk-paragraph-${p.number}`}>
      <section aria-labelledby={headingId}>
        <h2 id={headingId} className="desk-para__title">
          {t('desk.paragraph', { n: p.number })} <span className="desk-para__section">{p.sectionLabel}</span>
        </h2>
        <div className="desk-para__official">
          <span className="amendment__label">{t('amendment.original')}</span>
          <p lang={docLang}>{p.officialText}</p>
          {p.comments > 0 && <p className="muted">{t('amendment.comments', { count: p.comments })}</p>}
        </div>
        {p.amendments.length > 0 && (
          <ul className="desk-para__amendments">
            {p.amendments.map((a) => (
              <li key={a.id}>
                <DeskCard
                  documentId={documentId}
                  paragraphText={p.officialText}
                  amendment={a}
                  alternatives={a.alternatives.map((id) => refs.get(id) ?? id)}
                  checked={selected.has(a.id)}
                  busy={busy}
                  onToggle={onToggle}
                  onDecide={onDecide}
                >
                  {a.subAmendments.length > 0 && (
                    <ul className="desk-card__subs" aria-label={t('sub.list', { ref: a.ref })}>
                      {a.subAmendments.map((s) => (
                        <li key={s.id}>
                          <DeskCard
                            documentId={documentId}
                            paragraphText={p.officialText}
                            amendment={s}
                            alternatives={[]}
                            parentRef={a.ref}
                            checked={selected.has(s.id)}
                            busy={busy}
                            onToggle={onToggle}
                            onDecide={onDecide}
                          />
                        </li>
                      ))}
                    </ul>
                  )}
                </DeskCard>
              </li>
            ))}
          </ul>
        )}
      </section>
    </li>
  );
});
