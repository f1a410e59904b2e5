import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../clock.js';

/**
 * `CONCORD_WORKERS=N`: N processes on one machine sharing one port through Node's `cluster` module. The
 * primary serves nothing itself; it keeps N workers alive and stops them on SIGTERM. Every worker is a
 * whole Concord (`main.ts` again), so what makes several processes correct is PostgreSQL and Redis, not
 * this module: it refuses to start N > 1 without them.
 */

/** Why N processes cannot start with this configuration; null when they can. */
export function workersRefusal(
  workers: number,
  env: { databaseUrl: string | null; redisUrl: string | null },
): string | null {
  if (workers <= 1) return null;
  const missing = [env.databaseUrl ? null : 'DATABASE_URL', env.redisUrl ? null : 'REDIS_URL'].filter(Boolean);
  if (missing.length === 0) return null;
  return (
    `CONCORD_WORKERS=${workers} needs ${missing.join(' and ')}: several processes share their records through ` +
    'PostgreSQL (DATABASE_URL) and their live events through Redis (REDIS_URL); a SQLite data folder and ' +
    'in-process events serve one process only. Set both, or leave CONCORD_WORKERS unset (one process).'
  );
}

/** Restart back-off: doubles from the first delay up to the last, back to the first after a worker lived long enough. */
export const RESTART_BACKOFF = { firstMs: 250, maxMs: 15_000, healthyAfterMs: 30_000 } as const;

export function nextRestartDelay(previousMs: number | null, livedMs: number): number {
  if (previousMs === null || livedMs >= RESTART_BACKOFF.healthyAfterMs) return RESTART_BACKOFF.firstMs;
  return Math.min(previousMs * 2, RESTART_BACKOFF.maxMs);
}

interface Slot {
  index: number;
  worker: Worker | null;
  startedAt: number;
  delayMs: number | null;
  timer: NodeJS.Timeout | null;
}

/** Runs the primary: forks `count` workers, restarts any that dies, forwards SIGTERM/SIGINT, exits when all have stopped. */
export function runPrimary(count: number, logger: Logger, clock: Clock = systemClock): void {
  let stopping = false;
  let failed = false;
  const slots: Slot[] = Array.from({ length: count }, (_, index) => ({
    index,
    worker: null,
    startedAt: 0,
    delayMs: null,
    timer: null,
  }));

  const fork = (slot: Slot) => {
    slot.timer = null;
    slot.startedAt = clock.now();
    // The slot number lets a worker's logs say which one it is; the pid changes on every restart.
    const worker = cluster.fork({ CONCORD_WORKER_INDEX: String(slot.index) });
    slot.worker = worker;
    worker.on('exit', (code, signal) => {
      slot.worker = null;
      if (stopping) {
        if (code !== 0) failed = true;
        logger.info({ worker: slot.index, pid: worker.process.pid, code, signal }, 'worker stopped');
        finishIfAllStopped();
        return;
      }
      slot.delayMs = nextRestartDelay(slot.delayMs, clock.now() - slot.startedAt);
      logger.error(
        { worker: slot.index, pid: worker.process.pid, code, signal, restartInMs: slot.delayMs },
        'worker died; restarting it',
      );
      slot.timer = setTimeout(() => fork(slot), slot.delayMs);
    });
  };

  const finishIfAllStopped = () => {
    if (slots.some((s) => s.worker !== null)) return;
    logger.info('every worker stopped');
    logger.flush();
    process.exit(failed ? 1 : 0);
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping every worker');
    for (const slot of slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      // Each worker drains as one process does on SIGTERM (readiness 503, drain delay, close, store).
      slot.worker?.process.kill('SIGTERM');
    }
    finishIfAllStopped();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  logger.info({ workers: count, pid: process.pid }, `starting ${count} workers on one port`);
  for (const slot of slots) fork(slot);
}

export const isPrimary = (): boolean => cluster.isPrimary;
