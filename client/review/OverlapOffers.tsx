import { useState } from 'react';
import { ApiRequestError, api } from '../api/client';
import { errorText } from '../components/errorText';
import { useI18n } from '../i18n';

/** The amendment an HTTP `overlaps` refusal names, if the error is one (then it may be backed instead). */
export function overlapOf(err: unknown): { amendmentId: string; ref: string } | null {
  if (!(err instanceof ApiRequestError) || err.reason?.code !== 'overlaps') return null;
  const { amendmentId, ref } = err.reason.params;
  return typeof amendmentId === 'string' && typeof ref === 'string' ? { amendmentId, ref } : null;
}

/** Kept as what happened, not as a sentence: it reads in the language of the moment. */
type Outcome = { ok: true; kind: 'cosponsor' | 'support' } | { ok: false; message: string } | null;

/**
 * The two useful next steps when one's words are already under another group's amendment (an
 * `overlaps` refusal, typed or by form): **Co-sponsor A-x** and **Support A-x**, one click each, the
 * result said in a live region. A button goes once done; the other stays. Remount (a `key`) for a new
 * refusal.
 */
export function OverlapOffers({
  documentId,
  amendmentId,
  amendmentRef,
  live = true,
}: {
  documentId: string;
  amendmentId: string;
  amendmentRef: string;
  /** Its own live region for the result (false inside one already, as the refusal popover is). */
  live?: boolean;
}) {
  const { t, language } = useI18n();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const ref = amendmentRef;

  const act = async (kind: 'cosponsor' | 'support') => {
    setBusy(true);
    try {
      if (kind === 'cosponsor') await api.amendmentStep(amendmentId, 'cosponsor');
      else await api.amendmentAction(documentId, amendmentId, 'support');
      setOutcome({ ok: true, kind });
      setDone((prev) => new Set(prev).add(kind));
    } catch (err) {
      setOutcome({ ok: false, message: errorText(err, t, language) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {done.size < 2 && (
        <div className="button-row refusal__offers" data-testid="overlap-offers">
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
            <button type="button" className="button button--small" disabled={busy} onClick={() => void act('support')}>
              {t('refusal.support', { ref })}
            </button>
          )}
        </div>
      )}
      <p
        className={outcome?.ok === false ? 'refusal__outcome refusal__outcome--bad' : 'refusal__outcome'}
        role={live ? 'status' : undefined}
        aria-live={live ? 'polite' : undefined}
        data-testid="refusal-outcome"
        hidden={!outcome}
      >
        {outcome
          ? outcome.ok
            ? t(outcome.kind === 'cosponsor' ? 'refusal.cosponsored' : 'refusal.supported', { ref })
            : t('refusal.actionFailed', { message: outcome.message })
          : null}
      </p>
    </>
  );
}
