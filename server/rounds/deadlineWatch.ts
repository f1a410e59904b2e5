import type { Round } from '../../shared/rounds.js';
import type { Clock } from '../clock.js';
import type { Store } from '../storage/Store.js';

/** setTimeout's longest delay: a deadline further away is looked at again then. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface DeadlineWatch {
  /** Reads the document's latest round again and waits for its next deadline (a round opened or closed). */
  watch(documentId: string): void;
  /** Every document: at start, and when the fan-out says round changes may have been missed. */
  watchAll(): void;
  stop(): void;
}

/**
 * A round's deadlines passing is news nobody sends: no request changes anything then. So that connected
 * clients follow the server's `amendmentsOpen` (a delegate's text becomes read-only, the panel says why)
 * without counting down on their own clocks, each process waits for the next deadline of every open
 * round and, once `clock.now()` has reached it, calls `passed` with the round (which presents it at that
 * instant and tells its own clients: every process has a watch, so each client hears it once). The
 * server's refusals never depend on this: they read the clock at each check.
 */
export function watchRoundDeadlines(
  store: Pick<Store, 'rounds' | 'listDocuments'>,
  clock: Clock,
  passed: (round: Round, now: number) => void,
  onError: (err: unknown) => void = () => {},
): DeadlineWatch {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped by every watch of a document: an older read that comes back late is ignored. */
  const versions = new Map<string, number>();
  let stopped = false;

  function watch(documentId: string): void {
    if (stopped) return;
    const version = (versions.get(documentId) ?? 0) + 1;
    versions.set(documentId, version);
    clearTimeout(timers.get(documentId));
    timers.delete(documentId);
    store.rounds
      .latest(documentId)
      .then((round) => {
        if (stopped || versions.get(documentId) !== version || !round || round.closedAt !== null) return;
        const now = clock.now();
        const next = [round.amendmentDeadline, round.subAmendmentDeadline].find((deadline) => deadline > now);
        if (next === undefined) return;
        const timer = setTimeout(() => fire(documentId, version, round.id, next), Math.min(next - now, MAX_DELAY_MS));
        timer.unref?.();
        timers.set(documentId, timer);
      })
      .catch(onError);
  }

  function fire(documentId: string, version: number, roundId: string, deadline: number): void {
    timers.delete(documentId);
    if (stopped || versions.get(documentId) !== version) return;
    // Read again: another process may have closed it, and its fan-out message be still on the way.
    store.rounds
      .latest(documentId)
      .then((round) => {
        if (stopped || versions.get(documentId) !== version) return;
        const now = clock.now();
        // A timer may wake a little early, or a far deadline be only nearer: then this only waits again.
        if (round?.id === roundId && round.closedAt === null && now >= deadline) passed(round, now);
      })
      .catch(onError)
      .finally(() => {
        if (versions.get(documentId) === version) watch(documentId);
      });
  }

  return {
    watch,
    watchAll() {
      store
        .listDocuments()
        .then((documents) => {
          for (const d of documents) watch(d.id);
        })
        .catch(onError);
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
