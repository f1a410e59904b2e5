import { type CSSProperties, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { RefusedNotice, SectionConnection } from '../collab/SectionConnection';
import { formatTime, ownerLabelOf } from '../components/identity';
import { type Translate, useI18n } from '../i18n';
import { errorText } from '../components/errorText';
import { editorRegistry } from './editorRegistry';
import type { ReceivedRefusal } from './refusals';
import { headerBottom } from './useCurrentSection';

/** The sentence for a coded refusal, in the UI language; null for a code this client does not know. */
export function refusalSentence(refusal: ReceivedRefusal, t: Translate, language: string): string {
  const { params } = refusal;
  const named = params.ref ? { ref: params.ref, owner: params.ownerKey ? ownerLabelOf(params.ownerKey, t) : '' } : null;
  switch (refusal.code) {
    case 'overlaps':
      return named ? t('refusal.overlaps', named) : t('refusal.overlapsNoRef');
    case 'others':
      return named ? t('refusal.othersRef', named) : t('refusal.others');
    case 'ownership':
      return named ? t('refusal.ownershipRef', named) : t('refusal.ownership');
    case 'deadline':
      return params.deadline
        ? t('refusal.deadline', { time: formatTime(params.deadline, language) })
        : t('refusal.deadlineNoTime');
    default:
      return t(`refusal.${refusal.code}`);
  }
}

/** Kept as what happened, not as a sentence: it reads in the language of the moment. */
type Outcome = { ok: true; kind: 'cosponsor' | 'support' } | { ok: false; message: string } | null;

/**
 * Why a change was not kept, drawn where it was typed (the caret's place, kept across the resync) rather
 * than at the top of the section, in the UI language from the refusal's code. When the words are already
 * under another group's amendment, the two useful next steps are one click away. Without the coded
 * refusal (only the socket's close arrived) it still says the change was not kept, with the server's words.
 */
export function RefusalPopover({
  connection,
  notice,
  refusal,
  canBackOthers,
}: {
  connection: SectionConnection;
  notice: RefusedNotice | null;
  refusal: ReceivedRefusal | null;
  /** A delegate (who may co-sponsor and support another group's amendment). */
  canBackOthers: boolean;
}) {
  const { t, language } = useI18n();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  // What the user already did from here: that button goes, the other stays (co-sponsoring and supporting go together).
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const at = notice?.at;

  // A new refusal starts afresh.
  useEffect(() => {
    if (at === undefined) return;
    setOutcome(null);
    setDone(new Set());
  }, [at]);

  const shown = notice !== null;
  useEffect(() => {
    editorRegistry.setRefusalShown(connection.sectionId, shown);
    return () => editorRegistry.setRefusalShown(connection.sectionId, false);
  }, [connection, shown]);

  // Escape closes it, wherever the focus is (the text, the popover, the language switch…).
  useEffect(() => {
    if (!notice) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) connection.dismissNotice();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [notice, connection]);

  // At the caret only when the user was typing there; otherwise (a change refused while the focus was
  // elsewhere) at the top of the section, in the flow, where it covers no text.
  const caret = notice?.caret?.focused ? notice.caret : null;
  // Under the caret's line, unless that runs off the bottom of the screen (a line low on a phone or at
  // 200 % zoom) and there is room above the line, below the sticky header: then just above the line.
  const regionRef = useRef<HTMLDivElement>(null);
  const [above, setAbove] = useState<number | null>(null);
  const caretTop = caret?.top;
  const caretBottom = caret?.bottom;
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again when its content changes (outcome, buttons gone)
  useLayoutEffect(() => {
    const region = regionRef.current;
    const popover = region?.querySelector<HTMLElement>('.refusal');
    const frame = region?.closest('.doc-section');
    if (caretTop === undefined || caretBottom === undefined || !popover || !frame) {
      setAbove(null);
      return;
    }
    const frameTop = frame.getBoundingClientRect().top;
    const height = popover.offsetHeight;
    const fitsBelow = frameTop + caretBottom + 6 + height <= window.innerHeight;
    const fitsAbove = frameTop + caretTop - 6 - height >= headerBottom();
    setAbove(!fitsBelow && fitsAbove ? Math.round(caretTop - 6 - height) : null);
  }, [at, caretTop, caretBottom, outcome, done]);
  const style = caret
    ? ({
        '--refusal-top': `${above ?? Math.round(caret.bottom + 6)}px`,
        '--refusal-left': `${Math.round(Math.max(0, caret.left - 24))}px`,
      } as CSSProperties)
    : undefined;
  const amendmentId = refusal?.params.amendmentId;
  const ref = refusal?.params.ref ?? '';
  const offers = refusal?.code === 'overlaps' && amendmentId && ref && canBackOthers;

  const act = async (kind: 'cosponsor' | 'support') => {
    if (!amendmentId) return;
    setBusy(true);
    try {
      if (kind === 'cosponsor') await api.amendmentStep(amendmentId, 'cosponsor');
      else await api.amendmentAction(connection.documentId, amendmentId, 'support');
      setOutcome({ ok: true, kind });
      setDone((prev) => new Set(prev).add(kind));
    } catch (err) {
      const message = errorText(err, t, language);
      setOutcome({ ok: false, message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      ref={regionRef}
      className={caret ? `refusal-region refusal-region--at-caret${above !== null ? ' refusal-region--above' : ''}` : 'refusal-region'}
      style={style}
      data-placement={caret ? (above !== null ? 'above' : 'below') : undefined}
      role="status"
      aria-live="polite"
      aria-label={t('refusal.region')}
      data-testid="section-notice"
      data-code={refusal?.code ?? ''}
    >
      {notice && (
        <div className="refusal" data-testid="refusal-popover">
          {caret && <span className="refusal__arrow" aria-hidden="true" />}
          <p className="refusal__text">
            <strong>{t('refusal.title')}</strong>{' '}
            {!caret && refusal?.params.paragraph !== undefined && (
              <>{t('refusal.paragraph', { n: refusal.params.paragraph })} </>
            )}
            {refusal
              ? refusalSentence(refusal, t, language)
              : notice.reason
                ? t('refusal.server', { reason: notice.reason })
                : null}
          </p>
          <p className="refusal__note">{t('refusal.reloaded')}</p>
          {offers && done.size < 2 && (
            <div className="button-row refusal__offers">
              {!done.has('cosponsor') && (
                <button
                  type="button"
                  className="button button--small button--primary"
                  disabled={busy}
                  onClick={() => void act('cosponsor')}
                >
                  {t('refusal.cosponsor', { ref })}
                </button>
              )}
              {!done.has('support') && (
                <button
                  type="button"
                  className="button button--small"
                  disabled={busy}
                  onClick={() => void act('support')}
                >
                  {t('refusal.support', { ref })}
                </button>
              )}
            </div>
          )}
          {outcome && (
            <p
              className={outcome.ok ? 'refusal__outcome' : 'refusal__outcome refusal__outcome--bad'}
              data-testid="refusal-outcome"
            >
              {outcome.ok
                ? t(outcome.kind === 'cosponsor' ? 'refusal.cosponsored' : 'refusal.supported', { ref })
                : t('refusal.actionFailed', { message: outcome.message })}
            </p>
          )}
          <button
            type="button"
            className="refusal__close button button--small"
            onClick={() => connection.dismissNotice()}
          >
            {t('refusal.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
