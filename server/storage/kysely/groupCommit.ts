import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Db } from './schema.js';

/**
 * Group commit (issue 15): steps of different sections that arrive close together share one
 * PostgreSQL transaction, so that they pay for one durable commit (one WAL flush) instead of one each.
 *
 * Each step runs inside a SAVEPOINT of its own: a step that throws (a fenced-out section, a record it
 * may not write) is rolled back to its savepoint and fails ALONE — the steps before and after it in the
 * batch still commit. A step's promise settles only once its batch has committed (or failed), so a
 * caller that relays after it never relays what is not durable. If the batch's COMMIT (or a rollback to
 * a savepoint) fails, every step of the batch that had not failed alone fails with that error.
 *
 * Steps of ONE section never share a batch in practice: a room waits for its step to commit before it
 * submits the next, so order within a section is the room's queue order. Steps run one after the other
 * on the batch's connection, in the order they were submitted.
 */
export interface GroupCommitOptions {
  /** How long the first step of a batch waits for others (0: only those submitted in the same turn). */
  windowMs: number;
  /** A batch closes at this many steps (PostgreSQL keeps 64 subtransactions per backend cheaply). */
  maxSteps: number;
  /** Batches committing at once (each holds a pooled connection); more steps wait for the next batch. */
  maxInFlight: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { windowMs: 0, maxSteps: 32, maxInFlight: 8 };

interface Step {
  run: (db: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What the group committer did, for tests and the benchmark. */
export interface GroupCommitStats {
  batches: number;
  steps: number;
  largestBatch: number;
}

export class GroupCommitter {
  private pending: Step[] = [];
  /** Cancels the scheduled flush, while one is. */
  private cancelTimer: (() => void) | null = null;
  private inFlight = 0;
  readonly stats: GroupCommitStats = { batches: 0, steps: 0, largestBatch: 0 };

  constructor(
    /** Runs `work` as one transaction on one connection: commits when it resolves, rolls back when it throws. */
    private readonly begin: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /**
   * Runs `work` in the next batch's transaction (within a savepoint of its own) and resolves with its
   * result once the batch has committed. `work` runs in the caller's async context (its
   * AsyncLocalStorage values), not the batch's.
   */
  submit<T>(work: (db: Db) => Promise<T>): Promise<T> {
    const inCallersContext = AsyncLocalStorage.snapshot();
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        run: (db) => inCallersContext(() => work(db)),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.pending.length >= this.options.maxSteps) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.cancelTimer) return;
    const flush = () => {
      this.cancelTimer = null;
      this.flush();
    };
    if (this.options.windowMs > 0) {
      const timeout = setTimeout(flush, this.options.windowMs);
      this.cancelTimer = () => clearTimeout(timeout);
    } else {
      const immediate = setImmediate(flush);
      this.cancelTimer = () => clearImmediate(immediate);
    }
  }

  private flush(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    // Busy: the steps wait for a batch to end, and gather meanwhile (the group grows under load).
    while (this.pending.length > 0 && this.inFlight < this.options.maxInFlight) {
      // Spread over the free connections: a batch's steps run one after the other, batches side by side.
      const free = this.options.maxInFlight - this.inFlight;
      const size = Math.min(this.options.maxSteps, Math.ceil(this.pending.length / free));
      const steps = this.pending.splice(0, size);
      this.inFlight++;
      void this.commit(steps).finally(() => {
        this.inFlight--;
        if (this.pending.length > 0) this.flush();
      });
    }
  }

  private async commit(steps: Step[]): Promise<void> {
    this.stats.batches++;
    this.stats.steps += steps.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, steps.length);
    const outcomes: Outcome[] = [];
    let batchError: unknown = null;
    try {
      if (steps.length === 1) {
        // Alone: its own transaction, no savepoint; its error rolls the transaction back.
        const only = steps[0] as Step;
        try {
          outcomes.push({ ok: true, value: await this.begin((db) => only.run(db)) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      } else {
        await this.begin(async (db) => {
          for (const [i, step] of steps.entries()) {
            const savepoint = sql.raw(`concord_step_${i}`);
            await sql`SAVEPOINT ${savepoint}`.execute(db);
            try {
              outcomes.push({ ok: true, value: await step.run(db) });
            } catch (error) {
              outcomes.push({ ok: false, error });
              // If even this fails (the connection is gone), the whole batch fails below.
              await sql`ROLLBACK TO SAVEPOINT ${savepoint}`.execute(db);
            }
          }
        });
      }
    } catch (error) {
      batchError = error;
    }
    for (const [i, step] of steps.entries()) {
      const outcome = outcomes[i];
      if (outcome && !outcome.ok) step.reject(outcome.error);
      else if (batchError !== null || !outcome) step.reject(batchError);
      else step.resolve(outcome.value);
    }
  }
}
