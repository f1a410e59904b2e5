import { useCallback, useEffect, useRef, useState } from 'react';
import { ServerEvent } from '../../shared/events.js';
import type { RoundView } from '../../shared/rounds.js';
import { api } from '../api/client';
import { type LiveSocket, onLive } from '../realtime/liveEvents';

type RoundRecord = RoundView;

export type Phase = RoundRecord['phase'];

export interface RoundClock {
  /** The document's latest round, or null (never had one); undefined while loading. */
  round: RoundRecord | null | undefined;
  /** The server's time now, estimated from its last answer plus the time elapsed here (no clock skew). */
  serverNow: () => number;
  /** Where the round stands now by this tab's estimate of the server's clock (the countdown's view). */
  phase: Phase | null;
  /**
   * Whether new amendments are taken, as the server last said (`amendmentsOpen` of its latest answer or
   * `round:changed`, which it sends when a round opens or closes and when a deadline passes): true
   * without a round, undefined while loading. What the text's read-only switch follows.
   */
  amendmentsOpen: boolean | undefined;
  amendmentMsLeft: number;
  subAmendmentMsLeft: number;
  /** Whether this reader may open the next round (the server's answer; false until it has given it). */
  mayOpen: boolean;
  /** A round answer from an action (open / close): applied at once, without waiting for the event. */
  apply: (round: RoundRecord) => void;
}

function phaseAt(round: RoundRecord, now: number): Phase {
  if (round.closedAt !== null) return 'closed';
  if (now < round.amendmentDeadline) return 'amendments';
  if (now < round.subAmendmentDeadline) return 'subAmendments';
  return 'deadlinesPassed';
}

/** How often to redraw: every second in the last two minutes, every 15 s otherwise. */
function tickFor(msLeft: number): number {
  return msLeft > 0 && msLeft < 120_000 ? 1_000 : 15_000;
}

/**
 * The round of a document, live: GET …/rounds/current once (and after a reconnection), then
 * `round:changed`. Time left is computed against the server's `now` (its clock, not this machine's).
 */
export function useRound(documentId: string, socket: LiveSocket | null): RoundClock {
  const [round, setRound] = useState<RoundRecord | null | undefined>(undefined);
  const [mayOpen, setMayOpen] = useState(false);
  // Server time = base.server + (performance.now() - base.local).
  const [base, setBase] = useState<{ server: number; local: number } | null>(null);
  const [, setTick] = useState(0);

  const accept = useCallback((next: RoundRecord | null, serverNow: number) => {
    setRound(next);
    setBase({ server: serverNow, local: performance.now() });
  }, []);

  // Only the latest request's answer counts: an older one may come back later.
  const asked = useRef(0);
  const load = useCallback(() => {
    const mine = ++asked.current;
    api
      .currentRound(documentId)
      .then((body) => {
        if (mine !== asked.current) return;
        accept(body.round, body.now);
        setMayOpen(body.abilities.open);
      })
      .catch(() => setRound((prev) => (prev === undefined ? null : prev)));
  }, [documentId, accept]);

  useEffect(load, [load]);

  const apply = useCallback(
    (next: RoundRecord) => {
      if (next.documentId !== documentId) return;
      accept(next, next.now);
      // Opening or closing a round changes whether another may be opened: asked again.
      load();
    },
    [documentId, accept, load],
  );

  useEffect(() => {
    if (!socket) return;
    let first = socket.connected;
    const onConnect = () => {
      if (!first) {
        first = true;
        return;
      }
      load();
    };
    socket.on('connect', onConnect);
    // A broadcast is the same for everyone, so it carries no abilities: `apply` shows it at once and
    // asks again for what this reader may now do (open the next round, close this one).
    const off = onLive(socket, ServerEvent.RoundChanged, ({ round }) => apply(round));
    return () => {
      socket.off('connect', onConnect);
      off();
    };
  }, [socket, apply, load]);

  const serverNow = useCallback(() => (base ? base.server + (performance.now() - base.local) : Date.now()), [base]);
  const now = serverNow();
  const phase = round ? phaseAt(round, now) : null;
  const open = round ? round.closedAt === null : false;
  const amendmentMsLeft = round && open ? Math.max(0, round.amendmentDeadline - now) : 0;
  const subAmendmentMsLeft = round && open ? Math.max(0, round.subAmendmentDeadline - now) : 0;
  const next = phase === 'amendments' ? amendmentMsLeft : phase === 'subAmendments' ? subAmendmentMsLeft : 0;

  useEffect(() => {
    if (phase !== 'amendments' && phase !== 'subAmendments') return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(tickFor(next), next + 50));
    return () => clearTimeout(timer);
  });

  const amendmentsOpen = round === undefined ? undefined : round === null ? true : round.amendmentsOpen;
  return { round, serverNow, phase, amendmentsOpen, amendmentMsLeft, subAmendmentMsLeft, mayOpen, apply };
}

/** "1 d 23 h", "5 h 12 min", "12 min", "45 s" (units from the dictionary). */
export function formatLeft(ms: number, units: { d: string; h: string; min: string; s: string }): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days} ${units.d} ${hours} ${units.h}` : `${days} ${units.d}`;
  if (hours > 0) return minutes > 0 ? `${hours} ${units.h} ${minutes} ${units.min}` : `${hours} ${units.h}`;
  if (minutes > 0) return `${minutes} ${units.min}`;
  return `${s} ${units.s}`;
}
