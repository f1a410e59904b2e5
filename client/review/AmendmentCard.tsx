import { type CSSProperties, memo, type ReactNode, useMemo, useState, useSyncExternalStore } from 'react';
import { type AmendmentAction, awaitingSeconder, DECISION_ACTIONS } from '../../shared/amendments.js';
import { type DocumentAbilities as Abilities, GROUPS, type PublicUser } from '../../shared/roles.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import { api } from '../api/client';
import { errorText, refusalText } from '../components/errorText';
import { colourOfOwner, formatTime, ownerLabelOf, ownerShortOf } from '../components/identity';
import { useDocumentLanguage } from '../document/documentLanguage';
import { editorRegistry } from '../document/editorRegistry';
import { useI18n } from '../i18n';
import { OverlapOffers, overlapOf } from './OverlapOffers';
import { AmendmentForm, type AmendmentFormValues } from './AmendmentForm';
import type { AmendmentRecord, AmendmentsStore } from './amendmentsStore';
import { draftAudience } from './draftCircles';
import { CLOCK_SLACK_MS, liveContextOf, PAGE_STARTED_AT, rationalePrompt } from './liveContext';
import { cosponsoredByMe, myVote } from './mine';
import { showAmendment } from './navigate';
import { ProposalText } from './ProposalText';
import { SecondingLine } from './SecondingLine';

export interface AmendmentCardProps {
  amendment: AmendmentRecord;
  user: PublicUser;
  abilities: Abilities;
  store: AmendmentsStore | null;
  threadCount: number;
  onComment: (amendment: AmendmentRecord) => void;
  announce: (message: string) => void;
  /** Sub-amendments, nested under their parent. */
  children?: ReactNode;
  /** The parent's reference, for a sub-amendment. */
  parentRef?: string;
}

type Step = 'table' | 'cosponsor' | 'uncosponsor' | 'undo' | 'second';

/** The actions a deadline may close, whose refusal the server explains (`reasons`). */
const LATE_ACTIONS = ['table', 'subAmend', 'undo'] as const;

function tallyOf(a: AmendmentRecord) {
  if (a.tally) return a.tally;
  const tally = {
    government: { support: 0, oppose: 0 },
    employers: { support: 0, oppose: 0 },
    workers: { support: 0, oppose: 0 },
  };
  for (const vote of a.votes) {
    const group = groupOfOwnerKey(vote.ownerKey);
    if (group === 'government' || group === 'employers' || group === 'workers') tally[group][vote.stance]++;
  }
  return tally;
}

/** One amendment: whose, where, what it changes, why, who supports or opposes it, and what may be done. */
export const AmendmentCard = memo(function AmendmentCard(props: AmendmentCardProps) {
  const { amendment: a, user, abilities, store, announce } = props;
  const { t, language } = useI18n();
  const docLang = useDocumentLanguage();
  const [busy, setBusy] = useState<AmendmentAction | Step | 'rationale' | null>(null);
  const [form, setForm] = useState<'edit' | 'sub' | null>(null);
  // What this reader may do is the server's answer (`abilities`); absent (a broadcast not yet refetched): nothing.
  const can = a.abilities;
  const cosponsored = cosponsoredByMe(user, a);
  const [error, setError] = useState<string | null>(null);
  // Tabling a draft on words another amendment holds: back that one instead (a delegate).
  const [overlap, setOverlap] = useState<{ amendmentId: string; ref: string; at: number } | null>(null);
  const [editing, setEditing] = useState(false);
  const [rationale, setRationale] = useState(a.rationale);
  const [promptClosed, setPromptClosed] = useState(() => rationalePrompt.dismissed(a.id));
  // The sentence around the change, from the live text (re-read when an editor comes or the change moves).
  const editorsVersion = useSyncExternalStore(editorRegistry.subscribe, editorRegistry.getVersion);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the words and the editors' version say when the sentence may have changed
  const context = useMemo(() => {
    const live = a.status === 'proposed' ? liveContextOf(a.sectionId, a.id) : null;
    // The words are the record's: the live text gives the sentence around them, but the record's event
    // and the text's update travel apart, and a card read between the two would keep the text's older
    // words (a last keystroke missing) until the record changes again.
    return live ? { ...live, original: a.originalText, proposed: a.proposedText } : null;
  }, [a.id, a.sectionId, a.status, a.originalText, a.proposedText, editorsVersion]);
  // Just typed by this user, in the text (not by form), with no reason yet: the card asks why, once.
  const askWhy =
    !promptClosed &&
    !editing &&
    a.form === null &&
    a.status === 'proposed' &&
    a.authorId === user.id &&
    a.rationale === '' &&
    can?.editRationale === true &&
    a.createdAt >= PAGE_STARTED_AT - CLOCK_SLACK_MS;
  const owner = ownerLabelOf(a.ownerKey, t);
  const short = ownerShortOf(a.ownerKey);
  const colour = colourOfOwner(a.ownerKey);
  // One State's amendment nobody seconded is accepted at the desk, where the Office confirms a seconding in the room.
  const actions = DECISION_ACTIONS.filter(
    (action) => can?.[action] === true && !(action === 'accept' && awaitingSeconder(a)),
  );
  // Actions refused only by the round's deadline are shown disabled, with the server's sentence.
  const explained = LATE_ACTIONS.filter((action) => can?.[action] !== true && a.reasons?.[action]);
  const whyId = (action: (typeof LATE_ACTIONS)[number]) =>
    explained.includes(action) ? `amendment-${a.id}-why-${action}` : undefined;
  const vote = myVote(user, a);
  const tally = tallyOf(a);
  const headingId = `amendment-${a.id}-title`;
  const supporters = a.votes.filter((v) => v.stance === 'support').map((v) => ownerLabelOf(v.ownerKey, t));
  const opponents = a.votes.filter((v) => v.stance === 'oppose').map((v) => ownerLabelOf(v.ownerKey, t));
  const paragraphs =
    a.paragraphs.length === 1
      ? t('amendment.paragraph', { n: a.paragraphs[0] ?? '' })
      : a.paragraphs.length > 1
        ? t('amendment.paragraphs', { list: a.paragraphs.join(', ') })
        : '';

  async function act(action: AmendmentAction) {
    setBusy(action);
    setError(null);
    try {
      store?.apply(await api.amendmentAction(a.documentId, a.id, action));
      announce(t(`amendment.action.done.${action}`, { ref: a.ref }));
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(null);
    }
  }

  async function step(which: Step) {
    setBusy(which);
    setError(null);
    setOverlap(null);
    try {
      const body =
        which === 'uncosponsor'
          ? await api.removeCosponsor(a.id)
          : which === 'second'
            ? await api.second(a.id)
            : await api.amendmentStep(a.id, which);
      store?.apply(body);
      announce(t(`workflow.done.${which}`, { ref: a.ref }));
    } catch (err) {
      setError(errorText(err, t, language));
      const other = overlapOf(err);
      setOverlap(other ? { ...other, at: Date.now() } : null);
    } finally {
      setBusy(null);
    }
  }

  async function saveDraft(v: AmendmentFormValues) {
    const body = await api.editDraft(a.id, {
      ...(v.paragraph !== null ? { paragraph: v.paragraph } : {}),
      op: v.op,
      find: v.find,
      ...(v.op === 'delete' ? {} : { text: v.text }),
      rationale: v.rationale,
    });
    store?.apply(body);
    setForm(null);
    announce(t('workflow.done.edit', { ref: a.ref }));
  }

  async function subAmend(v: AmendmentFormValues) {
    const body = await api.createAmendment(a.documentId, {
      parentId: a.id,
      op: v.op,
      find: v.find,
      ...(v.op === 'delete' ? {} : { text: v.text }),
      rationale: v.rationale,
    });
    const created = store?.apply(body);
    setForm(null);
    announce(t('workflow.done.sub', { ref: created?.ref ?? '', parent: a.ref }));
  }

  function closePrompt() {
    rationalePrompt.dismiss(a.id);
    setPromptClosed(true);
  }

  async function saveRationale() {
    setBusy('rationale');
    setError(null);
    try {
      store?.apply(await api.amendmentRationale(a.id, rationale));
      setEditing(false);
      closePrompt();
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(null);
    }
  }

  return (
    <article
      className={`amendment amendment--${a.status}`}
      style={{ '--owner': colour } as CSSProperties}
      aria-labelledby={headingId}
      data-testid={`amendment-${a.ref}`}
      data-amendment-id={a.id}
      data-status={a.status}
    >
      <header className="amendment__head">
        <h4 id={headingId} className="amendment__ref">
          <button type="button" className="linklike" onClick={() => void showAmendment(a)}>
            {a.ref}
            <span className="visually-hidden"> — {t('amendment.show')}</span>
          </button>
        </h4>
        <span className="chip" data-testid="amendment-owner">
          {short && (
            <span className="chip__short" aria-hidden="true">
              {short}
            </span>
          )}
          {owner}
        </span>
        <span className={`status status--${a.status}`} data-testid="amendment-status">
          {t(`amendment.status.${a.status}`)}
        </span>
      </header>
      {a.status === 'draft' && (
        <p className="amendment__draft" data-testid="draft-label">
          {draftAudience(a, t)}
        </p>
      )}
      <p className="amendment__meta">
        {props.parentRef && <>{t('sub.of', { ref: props.parentRef })} · </>}
        {t(`amendment.type.${a.type}`)}
        {paragraphs && ` · ${paragraphs}`} · {t('amendment.by', { author: a.authorName })} ·{' '}
        <time dateTime={new Date(a.createdAt).toISOString()}>{formatTime(a.createdAt, language)}</time>
      </p>
      <ProposalText
        original={a.originalText}
        proposed={a.proposedText}
        context={context}
        group={groupOfOwnerKey(a.ownerKey)}
        lang={docLang}
        testId="amendment-proposal"
      />
      {a.modifiedText && (
        <p className="amendment__modified">
          <span className="amendment__label">{t('amendment.modified')}</span>
          <ins className={`diff-ins group-${groupOfOwnerKey(a.ownerKey)}`}>{a.modifiedText}</ins>
        </p>
      )}
      {a.cosponsors && a.cosponsors.length > 0 && (
        <p className="amendment__votes" data-testid="amendment-cosponsors">
          {t('amendment.cosponsors', { names: a.cosponsors.map((c) => ownerLabelOf(c.ownerKey, t)).join(', ') })}
        </p>
      )}
      <SecondingLine amendment={a} />
      {askWhy && (
        <form
          className="rationale-ask"
          aria-labelledby={`rationale-ask-${a.id}`}
          data-testid="rationale-ask"
          onSubmit={(e) => {
            e.preventDefault();
            void saveRationale();
          }}
        >
          <label id={`rationale-ask-${a.id}`} htmlFor={`rationale-ask-field-${a.id}`} className="rationale-ask__title">
            {t('rationale.askTitle', { ref: a.ref })}
          </label>
          <p className="rationale-ask__hint muted">{t('rationale.askHint')}</p>
          {/* Never focused by itself: the author may still be typing in the text. */}
          <textarea
            id={`rationale-ask-field-${a.id}`}
            value={rationale}
            rows={2}
            onChange={(e) => setRationale(e.target.value)}
          />
          <div className="button-row">
            <button
              type="submit"
              className="button button--small button--primary"
              disabled={busy !== null || rationale.trim() === ''}
            >
              {t('amendment.saveRationale')}
            </button>
            <button type="button" className="button button--small button--quiet" onClick={closePrompt}>
              {t('rationale.notNow')}
            </button>
          </div>
        </form>
      )}
      {!askWhy && (
        <div className="amendment__rationale">
          <span className="amendment__label">{t('amendment.rationale')}</span>
          {editing ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void saveRationale();
              }}
            >
              <label className="visually-hidden" htmlFor={`rationale-${a.id}`}>
                {t('amendment.rationale')}
              </label>
              <textarea
                id={`rationale-${a.id}`}
                value={rationale}
                rows={3}
                onChange={(e) => setRationale(e.target.value)}
              />
              <div className="button-row">
                <button type="submit" className="button button--small button--primary" disabled={busy !== null}>
                  {t('amendment.saveRationale')}
                </button>
                <button type="button" className="button button--small" onClick={() => setEditing(false)}>
                  {t('amendment.cancel')}
                </button>
              </div>
            </form>
          ) : (
            <p className="amendment__rationale-text">
              {a.rationale || <span className="muted">{t('amendment.noRationale')}</span>}
            </p>
          )}
          {!editing && can?.editRationale && a.status !== 'draft' && (
            <button
              type="button"
              className="button button--small button--quiet"
              onClick={() => {
                setRationale(a.rationale);
                setEditing(true);
              }}
            >
              {t(a.rationale ? 'rationale.edit' : 'amendment.editRationale')}
            </button>
          )}
        </div>
      )}
      <table className="tally" data-testid="amendment-tally">
        <caption className="visually-hidden">{t('amendment.tally')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('amendment.tally.group')}</th>
            <th scope="col">{t('amendment.tally.support')}</th>
            <th scope="col">{t('amendment.tally.oppose')}</th>
          </tr>
        </thead>
        <tbody>
          {GROUPS.map((g) => (
            <tr key={g} data-group={g}>
              <th scope="row">
                <span className="dot" style={{ backgroundColor: colourOfOwner(g) }} aria-hidden="true" />
                {t(`owner.${g}`)}
              </th>
              <td data-stance="support">{tally[g].support}</td>
              <td data-stance="oppose">{tally[g].oppose}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(supporters.length > 0 || opponents.length > 0) && (
        <p className="amendment__votes" data-testid="amendment-votes">
          {supporters.length > 0 && <span>{t('amendment.votes.support', { names: supporters.join(', ') })}</span>}
          {supporters.length > 0 && opponents.length > 0 && ' · '}
          {opponents.length > 0 && <span>{t('amendment.votes.oppose', { names: opponents.join(', ') })}</span>}
        </p>
      )}
      <div className="button-row amendment__actions">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={`button button--small action action--${action}`}
            aria-pressed={action === 'support' || action === 'oppose' ? vote === action : undefined}
            disabled={busy !== null}
            onClick={() => void act(action)}
          >
            {t(`amendment.action.${action}`)}
          </button>
        ))}
        {(can?.table || a.reasons?.table) && (
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy !== null || !can?.table}
            aria-describedby={whyId('table')}
            onClick={() => void step('table')}
          >
            {t('workflow.table')}
          </button>
        )}
        {can?.edit && (
          <button
            type="button"
            className="button button--small"
            aria-expanded={form === 'edit'}
            onClick={() => setForm(form === 'edit' ? null : 'edit')}
          >
            {t('workflow.edit')}
          </button>
        )}
        {can?.second && (
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy !== null}
            onClick={() => void step('second')}
            aria-label={t('seconding.secondRef', { ref: a.ref })}
          >
            {t('seconding.second')}
          </button>
        )}
        {can?.cosponsor && (
          <button
            type="button"
            className="button button--small action"
            aria-pressed={cosponsored}
            disabled={busy !== null}
            onClick={() => void step(cosponsored ? 'uncosponsor' : 'cosponsor')}
          >
            {t(cosponsored ? 'workflow.cosponsored' : 'workflow.cosponsor')}
          </button>
        )}
        {(can?.subAmend || a.reasons?.subAmend) && (
          <button
            type="button"
            className="button button--small"
            aria-expanded={form === 'sub'}
            disabled={!can?.subAmend}
            aria-describedby={whyId('subAmend')}
            onClick={() => setForm(form === 'sub' ? null : 'sub')}
          >
            {t('workflow.subAmend')}
          </button>
        )}
        {(can?.undo || a.reasons?.undo) && (
          <button
            type="button"
            className="button button--small"
            disabled={busy !== null || !can?.undo}
            aria-describedby={whyId('undo')}
            onClick={() => void step('undo')}
          >
            {t('workflow.undo')}
          </button>
        )}
        {abilities.comment && a.status !== 'draft' && (
          <button type="button" className="button button--small button--quiet" onClick={() => props.onComment(a)}>
            {t('amendment.comment')}
            {props.threadCount > 0 && ` (${props.threadCount})`}
          </button>
        )}
      </div>
      {explained.map((action) => (
        <p key={action} id={whyId(action)} className="amendment__why muted" data-testid={`amendment-why-${action}`}>
          {refusalText(a.reasonCodes?.[action], t, language) ?? a.reasons?.[action]}
        </p>
      ))}
      {error && (
        <p className="inline-error" role="alert" data-testid="amendment-error">
          {t('amendment.refused', { message: error })}
        </p>
      )}
      {error && overlap && user.role === 'delegate' && (
        <OverlapOffers key={overlap.at} documentId={a.documentId} amendmentId={overlap.amendmentId} amendmentRef={overlap.ref} />
      )}
      {form === 'edit' && (
        <AmendmentForm
          sectionId={null}
          paragraphs={
            a.form ? [a.form.paragraph, ...a.paragraphs.filter((n) => n !== a.form?.paragraph)] : a.paragraphs
          }
          initial={{
            paragraph: a.form?.paragraph ?? a.paragraphs[0] ?? null,
            op: a.form?.op ?? 'replace',
            find: a.form?.find ?? a.originalText,
            text: a.form?.text ?? a.proposedText,
            rationale: a.rationale,
          }}
          findHint={t('form.findHint')}
          submitLabel={t('workflow.saveDraft')}
          testId="edit-draft-form"
          onSubmit={saveDraft}
          onCancel={() => setForm(null)}
        />
      )}
      {form === 'sub' && (
        <AmendmentForm
          sectionId={null}
          paragraphs={[]}
          initial={{ op: 'replace' }}
          findHint={t('sub.findHint', { ref: a.ref, words: a.proposedText })}
          submitLabel={t('sub.submit')}
          testId="sub-amendment-form"
          onSubmit={subAmend}
          onCancel={() => setForm(null)}
        />
      )}
      {props.children}
    </article>
  );
});
