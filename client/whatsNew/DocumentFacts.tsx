import { useEffect, useState } from 'react';
import type { DocumentOverview } from '../../shared/whatsNew.js';
import { formatLeft } from '../consolidation/useRound';
import { useT } from '../i18n';

/** Renews the countdown this often: the list shows minutes, not seconds. */
const TICK_MS = 15_000;

/**
 * A document's line of figures in the list: the open round and the time left for amendments (counted
 * from the server's clock, so a wrong clock here does not change it), amendments by state, unread comments.
 */
export function DocumentFacts({ overview, receivedAt }: { overview: DocumentOverview; receivedAt: number }) {
  const t = useT();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!overview.round) return;
    const timer = setInterval(() => setTick((n) => n + 1), TICK_MS);
    return () => clearInterval(timer);
  }, [overview.round]);

  const { round, counts, unread } = overview;
  const units = { d: t('round.unit.d'), h: t('round.unit.h'), min: t('round.unit.min'), s: t('round.unit.s') };
  // performance.now() is monotonic: the time elapsed since the answer, whatever this machine's clock says.
  const elapsed = performance.now() - receivedAt;
  let roundText = t('round.none');
  if (round) {
    const amendmentsLeft = round.amendmentMsLeft - elapsed;
    const subLeft = round.subAmendmentMsLeft - elapsed;
    const status =
      amendmentsLeft > 0
        ? t('round.amendmentsClose', { left: formatLeft(amendmentsLeft, units) })
        : subLeft > 0
          ? t('round.subAmendmentsClose', { left: formatLeft(subLeft, units) })
          : t('round.deadlinePassed');
    roundText = t('documents.round', { n: round.number, status });
  }
  return (
    <p className="document-list__facts" data-testid={`document-facts-${overview.documentId}`}>
      <span data-testid="document-round">{roundText}</span>
      <span data-testid="document-counts">{t('documents.amendments', counts)}</span>
      {unread > 0 && (
        <span className="document-list__unread" data-testid="document-unread">
          {t('documents.unread', { count: unread })}
        </span>
      )}
    </p>
  );
}
