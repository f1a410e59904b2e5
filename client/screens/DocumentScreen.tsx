import { type MouseEvent, Suspense, lazy, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { DocumentResponse } from '../../shared/api.js';
import { CloseCode } from '../../shared/closeCodes.js';
import type { PresenceEntry } from '../../shared/events.js';
import { type DocumentAbilities as Abilities, type PublicUser, colourOf } from '../../shared/roles.js';
import type { PMNode } from '../../shared/schema/index.js';
import { ApiRequestError, api } from '../api/client';
import { ConnectionPool } from '../collab/ConnectionPool';
import { AppHeader } from '../components/AppHeader';
import { ConnectionIndicator } from '../document/ConnectionIndicator';
import { useCorrections } from '../document/corrections';
import { DirectEditNote, EditingBar } from '../document/EditingBar';
import { type EditMode, EditModeToggle } from '../document/EditModeToggle';
import { useRefusalEvents } from '../document/refusals';
import { paragraphFromHash, scrollToParagraph, scrollToSection } from '../document/jump';
import { Outline } from '../document/Outline';
import { PresenceMenu } from '../document/PresenceMenu';
import { type SearchResult, SearchBox } from '../document/SearchBox';
import { SectionView } from '../document/SectionView';
import { SuggestionHints, SuggestionTooltip } from '../document/SuggestionInfo';
import { blocksOf } from '../document/text';
import { useT } from '../i18n';
import { JUMPED_EVENT, useCurrentSection } from '../document/useCurrentSection';
import { readDocument } from './documentPreload';
import { commentAnchors } from '../document/commentHighlights';
import { editorRegistry } from '../document/editorRegistry';
import { COMMENT_EVENT, PROPOSE_EVENT, REVEAL_EVENT, type RevealDetail, goToSection, reveal } from '../document/reviewKeys';
import { paragraphAt } from '../document/paragraphAt';
import { SelectionBubble } from '../document/SelectionBubble';
import { useDocumentPresence } from '../realtime/useDocumentPresence';
import { useReview } from '../review/useReview';
import type { MarginActive } from '../review/MarginCards';
import type { Proposal } from '../review/ReviewPanel';
import { useSession } from '../session/SessionProvider';
import type { SuggestIdentity } from '../suggesting/suggestTransaction';
import { ownerKeyOf, regionOwnerKey } from '../../shared/ownerKey.js';
import { regionName } from '../../shared/regions.js';
import { OnBehalfOfPicker } from '../suggesting/OnBehalfOf';
import { ownerLabelOf } from '../components/identity';
import { DocNav } from '../consolidation/DocNav';
import { ExportMenu } from '../exports/ExportMenu';
import { PresenterBar } from '../consolidation/PresenterBar';
import { RoundStatus } from '../consolidation/RoundStatus';
import { usePresenter } from '../consolidation/usePresenter';
import { useRound } from '../consolidation/useRound';
import { useSectionNews } from '../whatsNew/sinceStore';
import { useAnnounceDocumentLanguage } from '../document/documentLanguage';

// The review panel (amendments, threads, forms) is not needed to read the text: its own chunk.
const ReviewPanel = lazy(() => import('../review/ReviewPanel'));
// The margin's cards share that chunk's code (cards, forms): loaded only on wide screens, panel closed.
const MarginCards = lazy(() => import('../review/MarginCards'));
const REVIEW_OPEN_KEY = 'concord.reviewOpen';
/** Below this width (and at 200% zoom) the panel is a drawer over the text rather than a column. */
const NARROW_QUERY = '(max-width: 56rem)';
/** From this width, with the panel closed, comments sit in a margin beside their words. */
const MARGIN_QUERY = '(min-width: 75rem)';

/** Whether a media query matches, following changes (a window resized, the zoom changed). */
function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (listener) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', listener);
      return () => list.removeEventListener('change', listener);
    },
    () => window.matchMedia(query).matches,
  );
}
/** A section counts as read once its comments have been in the open panel this long. */
const READ_AFTER_MS = 1200;

function initialReviewOpen(): boolean {
  try {
    const saved = localStorage.getItem(REVIEW_OPEN_KEY);
    if (saved === 'true' || saved === 'false') return saved === 'true' && !window.matchMedia(NARROW_QUERY).matches;
  } catch {
    // Not remembered: the default below.
  }
  return !window.matchMedia(NARROW_QUERY).matches;
}

type Loaded = { outline: DocumentResponse; content: Map<string, PMNode> };
const EMPTY_PEOPLE: PresenceEntry[] = [];
/** Bulk content older than this is fetched again before a search. */
const CONTENT_FRESH_MS = 15_000;

export default function DocumentScreen({
  documentId,
  user,
  abilities: roleAbilities,
}: {
  documentId: string;
  user: PublicUser;
  /** The session's: what the role allows, whatever the round (the document's `abilities` add the round as it was when loaded). */
  abilities: Abilities;
}) {
  const t = useT();
  const { expire, refresh, session } = useSession();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pool, setPool] = useState<ConnectionPool | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const fetchedAt = useRef(0);
  const presence = useDocumentPresence(documentId, expire);
  const review = useReview(documentId, presence.socket);
  const round = useRound(documentId, presence.socket);
  const [reviewOpen, setReviewOpenState] = useState(initialReviewOpen);
  const [reviewSectionId, setReviewSectionId] = useState<string | null>(null);
  const wide = useMediaQuery(MARGIN_QUERY);
  const [marginActive, setMarginActive] = useState<MarginActive | null>(null);
  // An amendment being proposed from selected words (the bubble's action, Ctrl+Alt+P), in the panel.
  const [proposal, setProposal] = useState<Proposal | null>(null);
  // Narrow layouts: the outline is a drawer behind a button (wide ones always show it).
  const [outlineOpen, setOutlineOpen] = useState(false);
  const corrections = useCorrections(documentId, presence.socket);
  useRefusalEvents(documentId, presence.socket);
  // The Office's choice of mode; null: the default, which follows the round (see `mode` below).
  const [modeChoice, setMode] = useState<EditMode | null>(null);
  const roundOpen = round.round === undefined ? undefined : round.round !== null && round.round.closedAt === null;
  // A round opening or closing brings the Office back to that round's default.
  useEffect(() => {
    if (roundOpen !== undefined) setMode(null);
  }, [roundOpen]);
  // While a round is open the Office suggests by default (its typing becomes a tracked amendment of the
  // Office); outside a round it edits directly, as before. Until the round is known: suggest, the safe side.
  const mode: EditMode = modeChoice ?? (roundOpen === false ? 'direct' : 'suggest');

  useEffect(() => {
    let cancelled = false;
    const reading = readDocument(documentId, user.id);
    reading.data
      .then(([outline, content]) => {
        if (cancelled) return;
        fetchedAt.current = reading.askedAt;
        setLoaded({ outline, content: new Map(content.sections.map((s) => [s.id, s.content])) });
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (err instanceof ApiRequestError && err.status === 404) setError(t('doc.notFound'));
        else if (err instanceof ApiRequestError && err.isNetwork) setError(t('error.network'));
        else setError(t('error.generic', { message: err instanceof Error ? err.message : String(err) }));
      });
    return () => {
      cancelled = true;
    };
  }, [documentId, user.id, t]);

  // The pool lives in an effect, not in render: StrictMode's second mount gets a fresh one.
  useEffect(() => {
    const created = new ConnectionPool(documentId, {
      onFatal: (code) => {
        if (code === CloseCode.Unauthenticated || code === CloseCode.SessionEnded) expire();
      },
      onPowersChanged: refresh,
      onRelease: (sectionId, content) =>
        setLoaded((prev) => (prev ? { ...prev, content: new Map(prev.content).set(sectionId, content) } : prev)),
    });
    setPool(created);
    return () => created.destroy();
  }, [documentId, expire, refresh]);

  const refreshContent = useCallback(() => {
    if (Date.now() - fetchedAt.current < CONTENT_FRESH_MS) return;
    fetchedAt.current = Date.now();
    void api
      .content(documentId)
      .then((content) =>
        setLoaded((prev) => (prev ? { ...prev, content: new Map(content.sections.map((s) => [s.id, s.content])) } : prev)),
      )
      .catch(() => {});
  }, [documentId]);

  const outline = loaded?.outline;
  useAnnounceDocumentLanguage(outline?.language);
  const abilities = outline?.abilities;
  const sections = outline?.sections;

  const blocks = useMemo(() => {
    const map = new Map<string, ReturnType<typeof blocksOf>>();
    for (const [id, content] of loaded?.content ?? []) map.set(id, blocksOf(content));
    return map;
  }, [loaded?.content]);
  const paragraphs = useMemo(() => new Set(sections?.flatMap((s) => s.paragraphs) ?? []), [sections]);

  const peopleBySection = useMemo(() => {
    const map = new Map<string, PresenceEntry[]>();
    for (const p of presence.people) {
      if (!p.sectionId) continue;
      map.set(p.sectionId, [...(map.get(p.sectionId) ?? []), p]);
    }
    return map;
  }, [presence.people]);

  // Deep links (#p27, #section-output-5-2): once the text is in the page, and on every hash change.
  const ready = loaded !== null;
  useCurrentSection(ready, setCurrentId);
  useLayoutEffect(() => {
    if (!ready) return;
    const go = () => {
      const n = paragraphFromHash(window.location.hash);
      if (n !== null) scrollToParagraph(n);
      else if (window.location.hash.startsWith('#section-')) scrollToSection(window.location.hash.slice('#section-'.length));
    };
    go();
    window.addEventListener('hashchange', go);
    return () => window.removeEventListener('hashchange', go);
  }, [ready]);

  const news = useSectionNews(documentId, ready ? currentId : null);
  const presenter = usePresenter(documentId, presence.socket, user, currentId);

  const closeOutline = useCallback((returnFocus: boolean) => {
    setOutlineOpen(false);
    if (returnFocus) document.getElementById('outline-toggle')?.focus({ preventScroll: true });
  }, []);

  const onSelectSection = useCallback((sectionId: string) => {
    setOutlineOpen(false);
    history.replaceState(null, '', `#section-${sectionId}`);
    scrollToSection(sectionId);
  }, []);

  const onParagraph = useCallback((n: number) => {
    setOutlineOpen(false);
    history.replaceState(null, '', `#p${n}`);
    scrollToParagraph(n);
  }, []);

  const onResult = useCallback(
    (r: SearchResult) => {
      if (r.kind === 'section') return onSelectSection(r.sectionId);
      if (r.number !== null) return onParagraph(r.number);
      const body = document.querySelector(`#section-${CSS.escape(r.sectionId)} .doc-text`);
      body?.children[r.index]?.scrollIntoView({ block: 'start' });
    },
    [onSelectSection, onParagraph],
  );

  const caretUser = useMemo(() => ({ name: user.name, color: colourOf(user) }), [user]);
  const { focus } = presence;

  // Who the user suggests as, read by the editors at every edit: the Office's toggle applies at once.
  const identityRef = useRef<SuggestIdentity | null>(null);
  const suggests = abilities?.suggest === true || (abilities?.editDirectly === true && mode === 'suggest');
  // A government delegate types for their State or for one of its regional groups (the server checks it).
  const regions = session.status === 'signedIn' ? session.regions : [];
  const owners = useMemo(
    () =>
      user.group === 'government' && user.memberState && regions.length > 0
        ? [
            { key: ownerKeyOf(user), label: ownerLabelOf(ownerKeyOf(user), t) },
            ...regions.map((g) => ({ key: regionOwnerKey(g.code), label: regionName(g, t('meta.language')) })),
          ]
        : [],
    [user, regions, t],
  );
  const [chosenOwner, setChosenOwner] = useState<string | null>(null);
  const suggestingAs = owners.find((o) => o.key === chosenOwner)?.key ?? ownerKeyOf(user);
  identityRef.current = abilities?.edit && suggests ? { by: suggestingAs, author: user.id } : null;
  const suggestIdentity = useCallback(() => identityRef.current, []);

  const onSectionFocus = useCallback(
    (sectionId: string) => {
      focus(sectionId);
      setReviewSectionId(sectionId);
    },
    [focus],
  );
  // The panel follows the section in view (and the section being edited).
  useEffect(() => {
    if (currentId) setReviewSectionId(currentId);
  }, [currentId]);

  const setReviewOpen = useCallback((open: boolean, moveFocus = true) => {
    setReviewOpenState(open);
    try {
      localStorage.setItem(REVIEW_OPEN_KEY, String(open));
    } catch {
      // Not remembered.
    }
    if (!moveFocus) return;
    if (open) requestAnimationFrame(() => document.getElementById('review-title')?.focus({ preventScroll: true }));
    else document.getElementById('review-toggle')?.focus({ preventScroll: true });
  }, []);

  // Comments shown in the open panel count as read.
  const { markRead, unread } = review;
  const unreadHere = reviewSectionId ? (unread[reviewSectionId] ?? 0) : 0;
  useEffect(() => {
    if (!reviewOpen || !reviewSectionId || unreadHere === 0) return;
    const timer = setTimeout(() => markRead(reviewSectionId), READ_AFTER_MS);
    return () => clearTimeout(timer);
  }, [reviewOpen, reviewSectionId, unreadHere, markRead]);

  // Commented words are marked in the text: the anchored threads still open, group-only ones in the group's tint.
  const threadItems = review.threads.items;
  useEffect(() => {
    commentAnchors.set(
      threadItems.flatMap((th) =>
        th.anchor && !th.resolved
          ? [
              {
                id: th.id,
                sectionId: th.sectionId,
                anchor: th.anchor,
                group: th.visibility !== 'all' ? (th.group ?? 'secretariat') : null,
              },
            ]
          : [],
      ),
    );
  }, [threadItems]);
  useEffect(() => () => commentAnchors.set([]), []);

  // The selection bubble, Ctrl+Alt+M, a click on commented words or a suggestion, Alt+↓/↑: the panel
  // shows the card (or the comment form) of that place.
  const reviewOpenRef = useRef(reviewOpen);
  reviewOpenRef.current = reviewOpen;
  const marginShown = wide && !reviewOpen && abilities !== null && abilities !== undefined;
  const marginShownRef = useRef(marginShown);
  marginShownRef.current = marginShown;
  const mayComment = abilities?.comment === true;
  // Amendments by form while the round takes them: the role's answer (never an observer's) and the
  // server's live `amendmentsOpen` — not the document's `amend`, which holds the round as it was at load.
  // The Office's own work goes on after the deadlines (server/policies/rounds.ts): its Propose stays.
  const mayPropose = roleAbilities.amend && (user.role === 'secretariat' || round.amendmentsOpen === true);
  useEffect(() => {
    if (!mayPropose) setProposal(null);
  }, [mayPropose]);
  useEffect(() => {
    if (!mayPropose) return;
    const onPropose = () => {
      const selection = editorRegistry.getSelection();
      if (!selection || selection.from === selection.to) return;
      window.dispatchEvent(new CustomEvent(JUMPED_EVENT, { detail: selection.sectionId }));
      setReviewSectionId(selection.sectionId);
      setProposal({
        sectionId: selection.sectionId,
        paragraph: paragraphAt(selection.sectionId, selection.from),
        find: selection.text.slice(0, 5000),
        at: Date.now(),
      });
      if (!reviewOpenRef.current) setReviewOpen(true, false);
    };
    window.addEventListener(PROPOSE_EVENT, onPropose);
    return () => window.removeEventListener(PROPOSE_EVENT, onPropose);
  }, [mayPropose, setReviewOpen]);
  useEffect(() => {
    const onComment = () => {
      const selection = editorRegistry.getSelection();
      if (!mayComment || !selection) return;
      if (marginShownRef.current) {
        // Beside the words, as in a word processor: the form opens in the margin, level with the selection.
        setMarginActive({ kind: 'new', sectionId: selection.sectionId, from: selection.from });
        return;
      }
      window.dispatchEvent(new CustomEvent(JUMPED_EVENT, { detail: selection.sectionId }));
      setReviewSectionId(selection.sectionId);
      if (!reviewOpenRef.current) setReviewOpen(true, false);
      whenInPanel('[data-testid="new-thread"] textarea', (field) => {
        field.scrollIntoView({ block: 'nearest' });
        field.focus({ preventScroll: true });
      });
    };
    const onReveal = (event: Event) => {
      const detail = (event as CustomEvent<RevealDetail>).detail;
      // The words the reader pointed at make their section current (as a jump does), so the panel keeps
      // showing it while opening the panel reflows the text under the reading line.
      window.dispatchEvent(new CustomEvent(JUMPED_EVENT, { detail: detail.sectionId }));
      setReviewSectionId(detail.sectionId);
      if (marginShownRef.current) {
        // The margin is open already: that card comes level with its words and into view.
        setMarginActive({ kind: detail.kind, id: detail.id });
        whenIn('#margin', `[data-margin-slot="${detail.kind}:${CSS.escape(detail.id)}"]`, (card) => {
          card.scrollIntoView({ block: 'nearest' });
          for (const old of document.querySelectorAll('#margin [data-revealed]')) old.removeAttribute('data-revealed');
          card.setAttribute('data-revealed', 'true');
        });
        return;
      }
      if (!reviewOpenRef.current) {
        // On a narrow screen the panel covers the text: a click into one's own suggestion to edit it must not open it.
        if (detail.fromClick && detail.kind === 'amendment' && window.matchMedia(NARROW_QUERY).matches) return;
        setReviewOpen(true, false);
      }
      const selector = detail.kind === 'thread' ? `[data-thread-id="${CSS.escape(detail.id)}"]` : `[data-amendment-id="${CSS.escape(detail.id)}"]`;
      whenInPanel(selector, (card) => {
        card.scrollIntoView({ block: 'nearest' });
        for (const old of document.querySelectorAll('#review-panel [data-revealed]')) old.removeAttribute('data-revealed');
        card.setAttribute('data-revealed', 'true');
      });
    };
    window.addEventListener(COMMENT_EVENT, onComment);
    window.addEventListener(REVEAL_EVENT, onReveal);
    return () => {
      window.removeEventListener(COMMENT_EVENT, onComment);
      window.removeEventListener(REVEAL_EVENT, onReveal);
    };
  }, [mayComment, setReviewOpen]);

  // One Tab stop for the whole text: only the current section's editor is in the Tab order, so Tab
  // leaves the document instead of walking through every section (Ctrl+Alt+↓/↑ moves between them).
  const editorsVersion = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getVersion);
  // biome-ignore lint/correctness/useExhaustiveDependencies: editorsVersion changes when an editor comes or goes, which this must follow
  useEffect(() => {
    for (const section of sections ?? []) {
      const dom = editorRegistry.get(section.id)?.editor.view.dom;
      dom?.setAttribute('tabindex', section.id === currentId ? '0' : '-1');
    }
  }, [sections, currentId, editorsVersion]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !event.ctrlKey || !event.altKey || !currentId) return;
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      event.preventDefault();
      // From the section that has the focus (a section not yet live is focused itself), else the one read.
      const focused = document.activeElement?.closest<HTMLElement>('main [data-section-id]')?.dataset.sectionId;
      goToSection(focused ?? currentId, event.key === 'ArrowDown' ? 1 : -1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [currentId]);

  // The outline's drawer closes with Escape too, focus back on its button.
  useEffect(() => {
    if (!outlineOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeOutline(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [outlineOpen, closeOutline]);

  // The drawer (narrow windows) closes with Escape.
  useEffect(() => {
    if (!reviewOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && window.matchMedia(NARROW_QUERY).matches) setReviewOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reviewOpen, setReviewOpen]);

  if (error) {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main id="main" className="list-page">
          <p role="alert">{error}</p>
          <a href="/">{t('doc.backToList')}</a>
        </main>
      </div>
    );
  }

  const readOnly = abilities ? !abilities.edit : false;
  // A delegate's text takes no new amendments after the deadline or once the round is closed: read-only
  // ahead of time (nothing typed then vanishes), with the reason in a bar over the text. The switch is
  // the server's `amendmentsOpen` (its answer, then `round:changed` — sent when the Office opens or
  // closes a round and when a deadline passes), not this tab's countdown; the server refuses regardless.
  const delegate = abilities?.edit === true && abilities.suggest && !abilities.editDirectly;
  const lockedRound = delegate && round.round && round.amendmentsOpen === false ? round.round : null;
  const editable = abilities?.edit === true && lockedRound === null;
  const officeDirect = abilities?.edit === true && abilities.editDirectly && mode === 'direct';
  const bar = (
    <>
      <RoundStatus documentId={documentId} clock={round} />
      <PresenterBar presenter={presenter} />
      <DocNav documentId={documentId} current="text" />
      <ExportMenu documentId={documentId} sectionId={currentId} abilities={abilities ?? null} />
      {officeDirect && <DirectEditNote />}
    </>
  );
  return (
    <div
      className="app-shell app-shell--bar"
      data-testid="document-screen"
      data-read-only={readOnly ? 'true' : 'false'}
      data-following={presenter.following ? 'true' : 'false'}
    >
      <AppHeader user={user} bar={bar}>
        <button
          type="button"
          id="outline-toggle"
          className="button button--small outline-toggle"
          aria-expanded={outlineOpen}
          aria-controls="doc-sidebar"
          data-testid="outline-toggle"
          onClick={() => {
            const open = !outlineOpen;
            setOutlineOpen(open);
            if (open) requestAnimationFrame(() => focusOutlineEntry());
          }}
        >
          <span aria-hidden="true">☰ </span>
          {t('outline.toggle')}
          <span className="visually-hidden"> — {t(outlineOpen ? 'outline.toggleHide' : 'outline.toggleShow')}</span>
        </button>
        {outline && (
          <div className="doc-heading">
            <span className="doc-heading__symbol" data-testid="document-symbol">
              {outline.symbol}
            </span>
            <span className="doc-heading__title" lang={outline.language}>
              {outline.title}
            </span>
          </div>
        )}
        {readOnly && (
          <span className="badge badge--readonly" data-testid="read-only-badge" title={t('doc.readOnlyExplained')}>
            {t('doc.readOnlyBadge')}
          </span>
        )}
        {abilities?.edit && abilities.editDirectly && <EditModeToggle mode={mode} onChange={setMode} />}
        {abilities?.edit && abilities.suggest && (
          <span
            className="badge badge--suggesting"
            data-testid="suggesting-badge"
            title={t('mode.suggestingExplained', { owner: ownerLabelOf(suggestingAs, t) })}
          >
            {t('mode.suggestingBadge')}
            <span className="visually-hidden"> — {t('mode.suggestingExplained', { owner: ownerLabelOf(suggestingAs, t) })}</span>
          </span>
        )}
        {abilities?.edit && abilities.suggest && owners.length > 1 && (
          <OnBehalfOfPicker owners={owners} value={suggestingAs} onChange={setChosenOwner} />
        )}
        <ConnectionIndicator pool={pool} realtimeConnected={presence.connected} />
        <button
          type="button"
          id="review-toggle"
          className="button button--small review-toggle"
          aria-expanded={reviewOpen}
          aria-controls="review-panel"
          data-testid="review-toggle"
          onClick={() => setReviewOpen(!reviewOpen)}
        >
          {t('review.toggle')}
          <span className="visually-hidden"> — {t(reviewOpen ? 'review.toggleHide' : 'review.toggleShow')}</span>
        </button>
        <div className="doc-people">
          <PresenceMenu people={presence.people} selfId={user.id} sections={sections ?? []} />
        </div>
      </AppHeader>
      <SelectionBubble canComment={mayComment} canPropose={mayPropose} />
      <SuggestionHints amendments={review.amendments} />
      <SuggestionTooltip amendments={review.amendments} caretCard={!marginShown} />
      {!outline || !sections || !loaded ? (
        <main id="main" className="list-page">
          <p role="status">{t('doc.loading')}</p>
        </main>
      ) : (
        <div className={reviewOpen ? 'doc-layout doc-layout--review' : marginShown ? 'doc-layout doc-layout--margin' : 'doc-layout'}>
          <aside
            id="doc-sidebar"
            className={outlineOpen ? 'sidebar sidebar--open' : 'sidebar'}
            aria-label={t('sidebar.label')}
            data-testid="doc-sidebar"
          >
            <SearchBox
              sections={sections}
              blocks={blocks}
              paragraphs={paragraphs}
              onParagraph={onParagraph}
              onResult={onResult}
              onFocus={refreshContent}
              lang={outline.language}
            />
            <Outline
              sections={sections}
              currentId={currentId}
              onSelect={onSelectSection}
              unread={unread}
              news={news}
            />
          </aside>
          {/* biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard has Alt+↓/↑ for the same (reviewKeys.ts) */}
          <main
            id="main"
            className="doc-main"
            aria-label={t('doc.textLabel', { symbol: outline.symbol })}
            onClick={revealClicked}
          >
            {readOnly && (
              <p className="readonly-note" data-testid="read-only-note">
                {t('doc.readOnlyExplained')}
              </p>
            )}
            <EditingBar lockedRound={lockedRound} />
            {sections.map((section) => (
              <SectionView
                key={section.id}
                section={section}
                content={loaded.content.get(section.id)}
                pool={pool}
                editable={editable}
                canBackOthers={delegate}
                corrections={corrections}
                suggestIdentity={suggestIdentity}
                caretUser={caretUser}
                lang={outline.language}
                people={peopleBySection.get(section.id) ?? EMPTY_PEOPLE}
                selfId={user.id}
                onFocus={onSectionFocus}
              />
            ))}
          </main>
          {marginShown && abilities && (
            <Suspense fallback={null}>
              <MarginCards
                documentId={documentId}
                user={user}
                abilities={abilities}
                sections={sections}
                review={review}
                active={marginActive}
                onActive={setMarginActive}
              />
            </Suspense>
          )}
          <aside
            id="review-panel"
            className="review"
            aria-label={t('review.panel')}
            hidden={!reviewOpen}
            data-testid="review-panel"
          >
            {reviewOpen && abilities && (
              <Suspense fallback={<p className="muted">{t('review.loading')}</p>}>
                <ReviewPanel
                  documentId={documentId}
                  user={user}
                  abilities={abilities}
                  mayDraft={roleAbilities.amend}
                  section={sections.find((s) => s.id === reviewSectionId) ?? null}
                  review={review}
                  round={round}
                  proposal={mayPropose ? proposal : null}
                  onProposalDone={() => setProposal(null)}
                  onClose={() => setReviewOpen(false)}
                />
              </Suspense>
            )}
          </aside>
        </div>
      )}
    </div>
  );
}

/** Into the opened drawer: the outline's entry for where the reader is (else its first). */
function focusOutlineEntry(): void {
  const sidebar = document.getElementById('doc-sidebar');
  const entry =
    sidebar?.querySelector<HTMLElement>('[data-outline-link][aria-current="location"]') ??
    sidebar?.querySelector<HTMLElement>('[data-outline-link]');
  entry?.focus({ preventScroll: true });
  // The page stays where it is; the drawer itself scrolls to the entry (far down a 60-entry outline, or on
  // a short screen at 200 % zoom), so that the focused entry is in sight.
  if (!sidebar || !entry) return;
  const frame = sidebar.getBoundingClientRect();
  const box = entry.getBoundingClientRect();
  if (box.top < frame.top || box.bottom > frame.bottom) sidebar.scrollTop += box.top - frame.top - (frame.height - box.height) / 2;
}

/** Runs `then` on what `selector` finds in the review panel once it is there (the panel loads lazily). */
function whenInPanel(selector: string, then: (element: HTMLElement) => void, timeoutMs = 6000): void {
  whenIn('#review-panel', selector, then, timeoutMs);
}

/** Runs `then` on what `selector` finds inside `container` once it is there and shown. */
function whenIn(container: string, selector: string, then: (element: HTMLElement) => void, timeoutMs = 6000): void {
  // Only a card on screen: a closed panel may still hold its cards, and opening it renders them anew.
  const find = () => {
    const found = document.querySelector<HTMLElement>(`${container} ${selector}`);
    return found && found.getClientRects().length > 0 ? found : null;
  };
  const element = find();
  if (element) {
    then(element);
    return;
  }
  // The panel may still be loading (its code, the section's records): wait for the card to be added,
  // by watching the page rather than counting frames, which a busy or hidden page delivers slowly.
  const observer = new MutationObserver(() => {
    const found = find();
    if (!found) return;
    stop();
    then(found);
  });
  const timer = window.setTimeout(() => stop(), timeoutMs);
  function stop() {
    observer.disconnect();
    window.clearTimeout(timer);
  }
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'class', 'style'] });
}

/** A click on commented words or on a suggestion brings its card into view (not when the click selected words). */
function revealClicked(event: MouseEvent<HTMLElement>): void {
  if (!window.getSelection()?.isCollapsed) return;
  const target = event.target as HTMLElement;
  const sectionId = target.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId;
  if (!sectionId) return;
  const suggestion = target.closest<HTMLElement>('[data-suggestion][data-amendment]');
  const amendment = suggestion?.dataset.amendment;
  if (amendment) {
    reveal({ kind: 'amendment', id: amendment, sectionId, fromClick: true });
    return;
  }
  const thread = target.closest<HTMLElement>('.comment-highlight[data-thread-id]')?.dataset.threadId;
  if (thread) reveal({ kind: 'thread', id: thread, sectionId, fromClick: true });
}
