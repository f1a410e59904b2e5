import type { RoundView as RoundRecord } from '../../shared/rounds.js';
import { formatTime } from '../components/identity';
import { useI18n, useT } from '../i18n';

export const DIRECT_WARNING_ID = 'direct-edit-warning';

/**
 * Why a delegate's text no longer takes new amendments (the deadline passed, with its time, or the round
 * is closed), said where the text is read: a bar that stays at the top of the text column while scrolling.
 */
export function EditingBar({
  lockedRound,
}: {
  /** The round that closed the text to a delegate's new amendments, if it did. */
  lockedRound: RoundRecord | null;
}) {
  const { t, language } = useI18n();
  if (lockedRound) {
    const text =
      lockedRound.closedAt !== null
        ? t('window.closed', { n: lockedRound.number })
        : t('window.deadlinePassed', { time: formatTime(lockedRound.amendmentDeadline, language) });
    return (
      <div className="editing-bar editing-bar--locked" role="status" data-testid="amendments-closed-bar">
        <span>{text}</span>
      </div>
    );
  }
  return null;
}

/**
 * The Office editing directly: said beside the mode switch, in the header's second row (it moves no
 * line of the text), for as long as the mode is on.
 */
export function DirectEditNote() {
  const t = useT();
  return (
    <p className="direct-note" id={DIRECT_WARNING_ID} data-testid="direct-edit-warning" title={t('mode.directWarning')}>
      <span aria-hidden="true">⚠ </span>
      {t('mode.directConfirm')}
      <span className="visually-hidden"> {t('mode.directWarning')}</span>
    </p>
  );
}
