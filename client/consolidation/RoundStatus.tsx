import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import type { RoundView } from '../../shared/rounds.js';
import { api } from '../api/client';
import { formatTime } from '../components/identity';
import { type Translate, useI18n } from '../i18n';
import { errorText } from '../components/errorText';
import { type Phase, type RoundClock, formatLeft } from './useRound';

/** "Amendments close in 1 d 23 h", "Deadline passed", …: the sentence of the header chip. */
export function roundSentence(clock: RoundClock, t: Translate): string | null {
  const { round, phase } = clock;
  if (!round || !phase) return null;
  const units = { d: t('round.unit.d'), h: t('round.unit.h'), min: t('round.unit.min'), s: t('round.unit.s') };
  if (phase === 'amendments') return t('round.amendmentsClose', { left: formatLeft(clock.amendmentMsLeft, units) });
  if (phase === 'subAmendments') return t('round.subAmendmentsClose', { left: formatLeft(clock.subAmendmentMsLeft, units) });
  if (phase === 'deadlinesPassed') return t('round.deadlinePassed');
  return t('round.closed', { n: round.number });
}

/** `datetime-local` value of an instant, in this browser's time zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const HOUR = 3_600_000;

/**
 * The round in the header: a calm countdown everyone sees, whose panel gives the exact deadlines; the
 * Office opens and closes rounds from it (each in a modal dialog: focus kept inside, Escape closes).
 */
export function RoundStatus({ documentId, clock }: { documentId: string; clock: RoundClock }) {
  const { t, language } = useI18n();
  const { round, phase } = clock;
  const sentence = roundSentence(clock, t);
  const openDialog = useRef<HTMLDialogElement>(null);
  const closeDialog = useRef<HTMLDialogElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastPhase = useRef<Phase | null>(null);

  // A change of phase (a deadline passing, a round opened or closed) is said once, politely.
  useEffect(() => {
    if (phase && lastPhase.current && lastPhase.current !== phase && sentence) setAnnouncement(sentence);
    lastPhase.current = phase;
  }, [phase, sentence]);

  // What the reader may do is the server's answer: the current round's `abilities.open`, the round's own.
  const canOpen = clock.mayOpen;
  const canClose = round?.abilities?.close === true;
  if (round === undefined || (!round && !canOpen)) return null;

  return (
    <>
      <details className="round-menu" ref={menu} data-testid="round-status">
        <summary
          className={`round-chip round-chip--${phase ?? 'none'}`}
          aria-label={sentence ? t('round.menuLabel', { status: sentence }) : t('round.none')}
        >
          <span aria-hidden="true" className="round-chip__icon">
            ◷
          </span>
          <span data-testid="round-countdown">{sentence ?? t('round.none')}</span>
        </summary>
        <div className="round-menu__panel">
          {round ? (
            <>
              <p className="round-menu__title">{t('round.title', { n: round.number })}</p>
              <dl className="round-menu__deadlines">
                <dt>{t('round.amendmentDeadline')}</dt>
                <dd>
                  <time dateTime={new Date(round.amendmentDeadline).toISOString()}>
                    {formatTime(round.amendmentDeadline, language)}
                  </time>
                </dd>
                <dt>{t('round.subAmendmentDeadline')}</dt>
                <dd>
                  <time dateTime={new Date(round.subAmendmentDeadline).toISOString()}>
                    {formatTime(round.subAmendmentDeadline, language)}
                  </time>
                </dd>
              </dl>
              <p className="muted round-menu__note">
                {round.closedAt !== null
                  ? t('round.closedNote', { name: round.closedByName ?? '' })
                  : phase === 'deadlinesPassed'
                    ? t('round.passedNote')
                    : t('round.openNote', { name: round.openedByName })}
              </p>
            </>
          ) : (
            <p className="muted round-menu__note">{t('round.noneNote')}</p>
          )}
          {canOpen && (
            <button type="button" className="button button--small button--primary" onClick={() => openDialog.current?.showModal()}>
              {t('round.open')}
            </button>
          )}
          {canClose && (
            <button type="button" className="button button--small" onClick={() => closeDialog.current?.showModal()}>
              {t('round.close')}
            </button>
          )}
        </div>
      </details>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {canOpen && (
        <OpenRoundDialog
          ref={openDialog}
          documentId={documentId}
          serverNow={clock.serverNow}
          onDone={(payload) => {
            clock.apply(payload);
            if (menu.current) menu.current.open = false;
          }}
        />
      )}
      {canClose && round && (
        <CloseRoundDialog
          ref={closeDialog}
          roundId={round.id}
          number={round.number}
          onDone={(payload) => {
            clock.apply(payload);
            if (menu.current) menu.current.open = false;
          }}
        />
      )}
    </>
  );
}

function OpenRoundDialog({
  ref,
  documentId,
  serverNow,
  onDone,
}: {
  ref: RefObject<HTMLDialogElement | null>;
  documentId: string;
  serverNow: () => number;
  onDone: (round: RoundView) => void;
}) {
  const { t, language } = useI18n();
  const id = useId();
  const [amendments, setAmendments] = useState('');
  const [subAmendments, setSubAmendments] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Defaults each time it opens: amendments in 48 h, sub-amendments 24 h later (the usual rhythm).
  function reset() {
    const now = serverNow();
    setAmendments(localInput(now + 48 * HOUR));
    setSubAmendments(localInput(now + 72 * HOUR));
    setError(null);
  }
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const observer = new MutationObserver(() => {
      if (dialog.open) reset();
    });
    observer.observe(dialog, { attributes: true, attributeFilter: ['open'] });
    return () => observer.disconnect();
  });

  async function submit() {
    const a = new Date(amendments).getTime();
    const s = new Date(subAmendments).getTime();
    if (Number.isNaN(a) || Number.isNaN(s)) return setError(t('round.dialog.invalid'));
    if (s < a) return setError(t('round.dialog.order'));
    setBusy(true);
    setError(null);
    try {
      onDone(await api.openRound(documentId, a, s));
      ref.current?.close();
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} data-testid="open-round-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${id}-title`} className="dialog__title">
          {t('round.dialog.openTitle')}
        </h2>
        <p className="muted">{t('round.dialog.openIntro')}</p>
        <label className="field" htmlFor={`${id}-a`}>
          <span>{t('round.amendmentDeadline')}</span>
          <input id={`${id}-a`} type="datetime-local" required value={amendments} onChange={(e) => setAmendments(e.target.value)} />
        </label>
        <label className="field" htmlFor={`${id}-s`}>
          <span>{t('round.subAmendmentDeadline')}</span>
          <input
            id={`${id}-s`}
            type="datetime-local"
            required
            value={subAmendments}
            onChange={(e) => setSubAmendments(e.target.value)}
          />
        </label>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row dialog__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('round.dialog.openSubmit')}
          </button>
          <button type="button" className="button" onClick={() => ref.current?.close()}>
            {t('amendment.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function CloseRoundDialog({
  ref,
  roundId,
  number,
  onDone,
}: {
  ref: RefObject<HTMLDialogElement | null>;
  roundId: string;
  number: number;
  onDone: (round: RoundView) => void;
}) {
  const { t, language } = useI18n();
  const id = useId();
  const [name, setName] = useState(() => t('round.dialog.defaultName', { n: number }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      // The server answers `{ round, version }`; the clock takes the round.
      const { round } = await api.closeRound(roundId, name.trim() || undefined);
      onDone(round);
      ref.current?.close();
    } catch (err) {
      setError(errorText(err, t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} data-testid="close-round-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${id}-title`} className="dialog__title">
          {t('round.dialog.closeTitle', { n: number })}
        </h2>
        <p className="muted">{t('round.dialog.closeIntro')}</p>
        <label className="field" htmlFor={`${id}-name`}>
          <span>{t('round.dialog.versionName')}</span>
          <input id={`${id}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row dialog__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('round.dialog.closeSubmit')}
          </button>
          <button type="button" className="button" onClick={() => ref.current?.close()}>
            {t('amendment.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
