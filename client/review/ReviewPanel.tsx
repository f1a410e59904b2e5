import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { AMENDMENT_STATUSES, type AmendmentStatus } from '../../shared/amendments.js';
import type { AnchorState } from '../../shared/anchors.js';
import type { SectionMeta } from '../../shared/document.js';
import type { DocumentAbilities as Abilities, PublicUser } from '../../shared/roles.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { editorRegistry } from '../document/editorRegistry';
import { useI18n } from '../i18n';
import type { RoundClock } from '../consolidation/useRound';
import { formatTime, ownerLabelOf } from '../components/identity';
import { ownerKeyOf, regionOwnerKey } from '../../shared/ownerKey.js';
import { regionName } from '../../shared/regions.js';
import { useSession } from '../session/SessionProvider';
import { api } from '../api/client';
import { AmendmentCard } from './AmendmentCard';
import { AmendmentForm, type AmendmentFormValues } from './AmendmentForm';
import { circleChoices, circleRequest, draftAudience } from './draftCircles';
import { anchorStateIn } from './anchoring';
import { NewThreadForm, type NewThreadFormHandle } from './NewThreadForm';
import type { AmendmentRecord } from './amendmentsStore';
import type { ThreadRecord } from './threadsStore';
import { ThreadCard } from './ThreadCard';
import type { Review } from './useReview';

type GroupFilter = 'all' | 'government' | 'employers' | 'workers' | 'secretariat';

/** Words selected in the text, to be amended by form (the selection bubble's **Propose an amendment**). */
export interface Proposal {
  sectionId: string;
  /** The paragraph the selection starts in (null: none found, the form's first). */
  paragraph: number | null;
  find: string;
  /** When it was asked: a new request is a new form. */
  at: number;
}

export interface ReviewPanelProps {
  documentId: string;
  user: PublicUser;
  abilities: Abilities;
  /**
   * Group drafts may be written: the role's answer. A draft is not bound by the round's deadlines (only
   * tabling it is), so not the document's `amend`, which also holds the round as it was at load.
   */
  mayDraft: boolean;
  section: SectionMeta | null;
  review: Review;
  round: RoundClock;
  /** An amendment being proposed from selected words; null: none. */
  proposal?: Proposal | null;
  onProposalDone?: () => void;
  onClose: () => void;
}

const GROUP_FILTERS: GroupFilter[] = ['all', 'government', 'employers', 'workers', 'secretariat'];

function groupOf(a: AmendmentRecord): GroupFilter {
  const g = groupOfOwnerKey(a.ownerKey);
  return g === 'government' || g === 'employers' || g === 'workers' || g === 'secretariat' ? g : 'all';
}

/** Re-renders when the section's Y.Doc changes (a little later, once a burst of typing settles). */
function useSectionDocVersion(sectionId: string | null): number {
  const registryVersion = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getVersion);
  const [version, setVersion] = useState(0);
  // Read in render: the registry's version changes when the section's editor (and so its doc) comes or goes.
  const doc = sectionId && registryVersion >= 0 ? editorRegistry.get(sectionId)?.connection.doc : undefined;
  useEffect(() => {
    if (!doc) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, 250);
    };
    doc.on('update', onUpdate);
    setVersion((v) => v + 1);
    return () => {
      if (timer) clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc]);
  return version;
}

/**
 * The review panel: the amendments and comment threads of the section in view, beside the text.
 * A complementary landmark; filters by group, status and paragraph; every action is a button, and
 * what the server answers (done, or refused and why) is said in words.
 */
export default function ReviewPanel({
  documentId,
  user,
  abilities,
  mayDraft,
  section,
  review,
  round,
  proposal = null,
  onProposalDone,
  onClose,
}: ReviewPanelProps) {
  const { t, language } = useI18n();
  const [drafting, setDrafting] = useState(false);
  const [group, setGroup] = useState<GroupFilter>('all');
  const [status, setStatus] = useState<AmendmentStatus | 'all'>('all');
  const [paragraph, setParagraph] = useState<number | 'all'>('all');
  const [commentOn, setCommentOn] = useState<AmendmentRecord | null>(null);
  const [message, setMessage] = useState('');
  const formRef = useRef<NewThreadFormHandle>(null);
  const sectionId = section?.id ?? null;
  const { session } = useSession();
  const regions = session.status === 'signedIn' ? session.regions : [];
  // A government delegate drafts for their State or for one of its regional groups.
  const owners = useMemo(() => {
    if (user.group !== 'government' || !user.memberState || regions.length === 0) return undefined;
    return [
      { key: ownerKeyOf(user), label: ownerLabelOf(ownerKeyOf(user), t) },
      ...regions.map((g) => ({ key: regionOwnerKey(g.code), label: regionName(g, t('meta.language')) })),
    ];
  }, [user, regions, t]);
  const circles = useMemo(() => circleChoices(user, regions, t), [user, regions, t]);
  const docVersion = useSectionDocVersion(sectionId);

  // Another section: its own paragraphs, nothing pending from the previous one.
  const [shownSection, setShownSection] = useState(sectionId);
  if (shownSection !== sectionId) {
    setShownSection(sectionId);
    setParagraph('all');
    setCommentOn(null);
    setDrafting(false);
  }

  const announce = useCallback((text: string) => {
    // Cleared first so that the same sentence twice is said twice.
    setMessage('');
    requestAnimationFrame(() => setMessage(text));
  }, []);

  const inSection = useMemo(
    () => review.amendments.items.filter((a) => a.sectionId === sectionId),
    [review.amendments.items, sectionId],
  );
  const drafts = useMemo(() => inSection.filter((a) => a.status === 'draft'), [inSection]);
  const subsByParent = useMemo(() => {
    const map = new Map<string, AmendmentRecord[]>();
    for (const a of inSection) if (a.parentId && a.status !== 'draft') map.set(a.parentId, [...(map.get(a.parentId) ?? []), a]);
    return map;
  }, [inSection]);
  const amendments = useMemo(
    () =>
      inSection.filter(
        (a) =>
          a.status !== 'draft' &&
          !a.parentId &&
          (group === 'all' || groupOf(a) === group) &&
          (status === 'all' || a.status === status) &&
          (paragraph === 'all' || a.paragraphs.includes(paragraph)),
      ),
    [inSection, group, status, paragraph],
  );

  const threads = useMemo(
    () =>
      review.threads.items.filter((th) => {
        if (th.sectionId !== sectionId) return false;
        if (paragraph === 'all') return true;
        if (th.paragraph === paragraph) return true;
        const a = th.amendmentId ? review.amendments.byId.get(th.amendmentId) : undefined;
        return a?.paragraphs.includes(paragraph) ?? false;
      }),
    [review.threads.items, review.amendments.byId, sectionId, paragraph],
  );
  const open = threads.filter((th) => !th.resolved);
  const resolved = threads.filter((th) => th.resolved);

  const anchorStates = useMemo(() => {
    void docVersion;
    const states = new Map<string, AnchorState>();
    const entry = sectionId ? editorRegistry.get(sectionId) : undefined;
    if (!entry) return states;
    for (const th of threads) {
      if (!th.anchor) continue;
      try {
        states.set(th.id, anchorStateIn(entry.connection.doc, th.anchor));
      } catch {
        // An anchor this doc cannot read: no claim either way.
      }
    }
    return states;
  }, [threads, sectionId, docVersion]);

  const threadsPerAmendment = useMemo(() => {
    const counts = new Map<string, number>();
    for (const th of review.threads.items) if (th.amendmentId) counts.set(th.amendmentId, (counts.get(th.amendmentId) ?? 0) + 1);
    return counts;
  }, [review.threads.items]);

  const onComment = useCallback((a: AmendmentRecord) => {
    setCommentOn(a);
    requestAnimationFrame(() => formRef.current?.focus());
  }, []);

  const createDraft = useCallback(
    async (v: AmendmentFormValues) => {
      if (!sectionId) return;
      const body = await api.createAmendment(documentId, {
        sectionId,
        ...(v.paragraph !== null ? { paragraph: v.paragraph } : {}),
        op: v.op,
        find: v.find,
        ...(v.op === 'delete' ? {} : { text: v.text }),
        rationale: v.rationale,
        draft: true,
        ...(v.onBehalfOf ? { onBehalfOf: v.onBehalfOf } : {}),
        ...circleRequest(v.circle),
      });
      const created = review.amendmentsStore?.apply(body);
      setDrafting(false);
      announce(t('draft.created', { ref: created?.ref ?? '', audience: created ? draftAudience(created, t) : '' }));
      requestAnimationFrame(() => document.getElementById('review-drafts')?.focus());
    },
    [documentId, sectionId, review.amendmentsStore, announce, t],
  );

  // Tabled at once, as if typed: the record comes back with its reference, owner and words.
  const propose = useCallback(
    async (v: AmendmentFormValues) => {
      if (!proposal) return;
      const body = await api.createAmendment(documentId, {
        sectionId: proposal.sectionId,
        ...(v.paragraph !== null ? { paragraph: v.paragraph } : {}),
        op: v.op,
        find: v.find,
        ...(v.op === 'delete' ? {} : { text: v.text }),
        rationale: v.rationale,
        ...(v.onBehalfOf ? { onBehalfOf: v.onBehalfOf } : {}),
      });
      const created = review.amendmentsStore?.apply(body);
      onProposalDone?.();
      announce(t('propose.created', { ref: created?.ref ?? body.ref }));
      requestAnimationFrame(() => {
        const cardOf = document.querySelector<HTMLElement>(`#review-panel [data-amendment-id="${CSS.escape(body.id)}"]`);
        cardOf?.scrollIntoView({ block: 'nearest' });
      });
    },
    [documentId, proposal, review.amendmentsStore, onProposalDone, announce, t],
  );

  const card = (a: AmendmentRecord, parentRef?: string) => (
    <AmendmentCard
      amendment={a}
      user={user}
      abilities={abilities}
      store={review.amendmentsStore}
      threadCount={threadsPerAmendment.get(a.id) ?? 0}
      onComment={onComment}
      announce={announce}
      {...(parentRef ? { parentRef } : {})}
    >
      {!parentRef && (subsByParent.get(a.id)?.length ?? 0) > 0 && (
        <section className="amendment__subs" aria-label={t('sub.list', { ref: a.ref })}>
          <ul className="review__list">
            {(subsByParent.get(a.id) ?? []).map((sub) => (
              <li key={sub.id}>{card(sub, a.ref)}</li>
            ))}
          </ul>
        </section>
      )}
    </AmendmentCard>
  );

  // The server's word on it (round:changed when a deadline passes), as the text's read-only switch.
  const closedForAmendments = round.amendmentsOpen === false;
  // A group code, not a name: the catalogue's select picks the article ("du groupe des employeurs", "du Bureau").
  const myGroup = user.role === 'secretariat' ? 'secretariat' : (user.group ?? 'secretariat');

  const renderThread = (th: ThreadRecord) => (
    <ThreadCard
      key={th.id}
      thread={th}
      store={review.threadsStore}
      amendment={th.amendmentId ? review.amendments.byId.get(th.amendmentId) : undefined}
      anchorState={anchorStates.get(th.id) ?? null}
    />
  );

  return (
    <div className="review__inner">
      <div className="review__top">
        <h2 id="review-title" className="review__title" tabIndex={-1}>
          {t('review.panel')}
        </h2>
        <button type="button" className="button button--small review__close" onClick={onClose}>
          {t('review.close')}
          <span className="visually-hidden"> — {t('review.toggleHide')}</span>
        </button>
      </div>
      {section && (
        <p className="review__section" data-testid="review-section">
          <span className="visually-hidden">{t('review.follow')}. </span>
          {t('review.section', { label: section.label === section.title ? section.title : `${section.label} — ${section.title}` })}
        </p>
      )}
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="review-announcer">
        {message}
      </p>

      {proposal && section && proposal.sectionId === section.id && (
        <section className="review__block" aria-labelledby="review-propose" data-testid="propose">
          <h3 id="review-propose" className="review__subtitle">
            {t('propose.title')}
          </h3>
          <AmendmentForm
            key={proposal.at}
            sectionId={null}
            paragraphs={section.paragraphs}
            initial={{ ...(proposal.paragraph !== null ? { paragraph: proposal.paragraph } : {}), op: 'replace', find: proposal.find }}
            findHint={t('form.findHint')}
            submitLabel={t('propose.submit')}
            testId="propose-form"
            owners={owners}
            backOthersIn={user.role === 'delegate' ? documentId : undefined}
            focusWords
            onSubmit={propose}
            onCancel={onProposalDone}
          />
        </section>
      )}

      <fieldset className="review__filters">
        <legend className="visually-hidden">{t('review.filters')}</legend>
        <label>
          <span>{t('review.filter.group')}</span>
          <select value={group} onChange={(e) => setGroup(e.target.value as GroupFilter)} data-testid="filter-group">
            {GROUP_FILTERS.map((g) => (
              <option key={g} value={g}>
                {g === 'all' ? t('review.filter.all') : g === 'secretariat' ? t('review.filter.office') : t(`owner.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('review.filter.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as AmendmentStatus | 'all')} data-testid="filter-status">
            <option value="all">{t('review.filter.all')}</option>
            {AMENDMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`amendment.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('review.filter.paragraph')}</span>
          <select
            value={paragraph}
            onChange={(e) => setParagraph(e.target.value === 'all' ? 'all' : Number(e.target.value))}
            data-testid="filter-paragraph"
          >
            <option value="all">{t('review.filter.all')}</option>
            {(section?.paragraphs ?? []).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </fieldset>

      {round.round && closedForAmendments && (
        <p className="review__deadline" data-testid="deadline-note">
          {round.round.closedAt !== null
            ? t('round.closedExplained', { n: round.round.number })
            : t('round.passedExplained', { time: formatTime(round.round.amendmentDeadline, language) })}
        </p>
      )}

      {mayDraft && section && (
        <section className="review__block" aria-labelledby="review-drafts" data-testid="drafts">
          <h3 id="review-drafts" className="review__subtitle" tabIndex={-1}>
            {/* The Office reads every group's drafts but a delegation's: its list is not its own alone. */}
            {user.role === 'secretariat'
              ? t('draft.titleOffice', { count: drafts.length })
              : t('draft.title', { group: myGroup, count: drafts.length })}
          </h3>
          {drafts.length > 0 && (
            <ul className="review__list" data-testid="draft-list">
              {drafts.map((a) => (
                <li key={a.id}>{card(a)}</li>
              ))}
            </ul>
          )}
          {drafting ? (
            <AmendmentForm
              sectionId={section.id}
              paragraphs={section.paragraphs}
              findHint={t('form.findHint')}
              submitLabel={t('draft.save')}
              testId="draft-form"
              owners={owners}
              circles={circles}
              onSubmit={createDraft}
              onCancel={() => setDrafting(false)}
            />
          ) : (
            <button type="button" className="button button--small" onClick={() => setDrafting(true)} data-testid="draft-new">
              {t('draft.new')}
            </button>
          )}
        </section>
      )}

      <section className="review__block" aria-labelledby="review-amendments">
        <h3 id="review-amendments" className="review__subtitle">
          {t('review.amendments', { count: amendments.length })}
        </h3>
        {review.amendments.state === 'loading' ? (
          <p className="muted">{t('review.loading')}</p>
        ) : review.amendments.state === 'error' ? (
          <p className="muted">{t('review.loadFailed')}</p>
        ) : amendments.length === 0 ? (
          <p className="muted">{t('review.noAmendments')}</p>
        ) : (
          <ul className="review__list" data-testid="amendment-list">
            {amendments.map((a) => (
              <li key={a.id}>{card(a)}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="review__block" aria-labelledby="review-threads">
        <h3 id="review-threads" className="review__subtitle">
          {t('review.threads', { count: open.length })}
        </h3>
        {review.threads.state === 'error' ? (
          <p className="muted">{t('review.loadFailed')}</p>
        ) : open.length === 0 ? (
          <p className="muted">{t('review.noThreads')}</p>
        ) : (
          <ul className="review__list" data-testid="thread-list">
            {open.map((th) => (
              <li key={th.id}>{renderThread(th)}</li>
            ))}
          </ul>
        )}
        {resolved.length > 0 && (
          <details className="review__resolved">
            <summary>{t('review.resolvedCount', { count: resolved.length })}</summary>
            <ul className="review__list">
              {resolved.map((th) => (
                <li key={th.id}>{renderThread(th)}</li>
              ))}
            </ul>
          </details>
        )}
        {abilities.comment && section && (
          <NewThreadForm
            ref={formRef}
            documentId={documentId}
            sectionId={section.id}
            paragraphs={section.paragraphs}
            user={user}
            store={review.threadsStore}
            amendment={commentOn && commentOn.sectionId === section.id ? commentOn : null}
            onClearAmendment={() => setCommentOn(null)}
            announce={announce}
          />
        )}
      </section>
    </div>
  );
}
