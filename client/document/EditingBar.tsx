import type { RoundRecord } from '../consolidation/schemas';
import { formatTime } from '../components/identity';
import { useI18n } from '../i18n';

export const DIRECT_WARNING_ID = 'direct-edit-warning';

/**
 * What the user's typing does now, said where the text is read: a bar that stays at the top of the text
 * column while scrolling. For a delegate after the amendment deadline or once the round is closed, why the
 * text no longer takes new amendments (with the deadline's time); for the Office editing directly, that
 * its words change the official text and are audited.
 */
export function EditingBar({
  lockedRound,
  officeDirect,
}: {
  /** The round that closed the text to a delegate's new amendments, if it did. */
  lockedRound: RoundRecord | null;
  officeDirect: boolean;
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
  if (officeDirect) {
    return (
      <div className="editing-bar editing-bar--direct" id={DIRECT_WARNING_ID} data-testid="direct-edit-warning">
        <span className="editing-bar__icon" aria-hidden="true">
          ⚠
        </span>
        <span>{t('mode.directWarning')}</span>
      </div>
    );
  }
  return null;
}
