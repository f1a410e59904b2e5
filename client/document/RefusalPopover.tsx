import { type CSSProperties, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RefusedNotice, SectionConnection } from '../collab/SectionConnection';
import { formatTime, ownerLabelOf } from '../components/identity';
import { type Translate, useI18n } from '../i18n';
import { OverlapOffers } from '../review/OverlapOffers';
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
  const at = notice?.at;

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
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again for a new refusal (`at`)
  useLayoutEffect(() => {
    const region = regionRef.current;
    const popover = region?.querySelector<HTMLElement>('.refusal');
    const frame = region?.closest('.doc-section');
    if (caretTop === undefined || caretBottom === undefined || !popover || !frame) {
      setAbove(null);
      return;
    }
    const place = () => {
      const frameTop = frame.getBoundingClientRect().top;
      const height = popover.offsetHeight;
      const fitsBelow = frameTop + caretBottom + 6 + height <= window.innerHeight;
      const fitsAbove = frameTop + caretTop - 6 - height >= headerBottom();
      setAbove(!fitsBelow && fitsAbove ? Math.round(caretTop - 6 - height) : null);
    };
    place();
    // Its content changes height (an offer's outcome replaces its buttons): placed again then.
    const resized = new ResizeObserver(place);
    resized.observe(popover);
    return () => resized.disconnect();
  }, [at, caretTop, caretBottom]);
  const style = caret
    ? ({
        '--refusal-top': `${above ?? Math.round(caret.bottom + 6)}px`,
        '--refusal-left': `${Math.round(Math.max(0, caret.left - 24))}px`,
      } as CSSProperties)
    : undefined;
  const amendmentId = refusal?.params.amendmentId;
  const ref = refusal?.params.ref ?? '';
  const offers = refusal?.code === 'overlaps' && amendmentId && ref && canBackOthers;

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
          {offers && (
            // A new refusal starts afresh (its own key).
            <OverlapOffers
              key={at}
              documentId={connection.documentId}
              amendmentId={amendmentId}
              amendmentRef={ref}
              live={false}
            />
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
