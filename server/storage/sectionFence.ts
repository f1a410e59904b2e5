/**
 * One writer per section (issue 15): what the store keeps so that at most one process commits a
 * section's updates at a time, whatever its own clock or its lease believe.
 */

/** Where a section's log stands for its owner: the epoch it took over with, and the last row's number. */
export interface SectionFence {
  epoch: number;
  seq: number;
}

/**
 * A fenced write found the section's head moved: another process took the section over (epoch) or
 * wrote past this one (seq). Nothing was committed; the writer must reload or step down.
 */
export class FencedOut extends Error {
  constructor(
    readonly documentId: string,
    readonly sectionId: string,
    readonly fence: SectionFence,
  ) {
    super(`section ${documentId}/${sectionId}: fenced out at epoch ${fence.epoch}, seq ${fence.seq}`);
    this.name = 'FencedOut';
  }
}

/** The outcome of a take-over: the section is ours from `fence`, or another process holds its lease. */
export type TakeOver = { ok: true; fence: SectionFence } | { ok: false; owner: string };

/**
 * One row of a section's log as the owner numbered it (`headSeq`) under its epoch (`headEpoch`): null
 * for rows stored without an owner, and the epoch null too for rows stored before epochs were recorded.
 */
export interface SectionLogRow {
  seq: number;
  headSeq: number | null;
  headEpoch: number | null;
  update: Uint8Array;
}

/**
 * Leases and fences of sections. Lease expiry is judged by the DATABASE's clock, so processes whose
 * clocks disagree still agree on who holds a lease.
 */
export interface OwnershipStore {
  /**
   * Takes the section over when its lease is free, expired or already `owner`'s: the lease is set for
   * `ttlMs` and the epoch incremented, in one transaction. Otherwise answers who holds the lease.
   */
  takeOver(documentId: string, sectionId: string, owner: string, ttlMs: number): Promise<TakeOver>;
  /** Extends `owner`'s lease by `ttlMs` while `epoch` is still the section's; false when it is not. */
  renew(documentId: string, sectionId: string, owner: string, epoch: number, ttlMs: number): Promise<boolean>;
  /** Lets the lease go at once (a clean shutdown), so another process need not wait for it to expire. */
  release(documentId: string, sectionId: string, owner: string): Promise<void>;
  /** Who holds an unexpired lease on the section, or null. */
  holder(documentId: string, sectionId: string): Promise<string | null>;
  /** The section's head (epoch and last owner-numbered row), or null when no owner ever took it. */
  head(documentId: string, sectionId: string): Promise<SectionFence | null>;
  /**
   * Appends an update as the owner at `fence`: `seq` advances to `fence.seq + 1` only where the head
   * is still exactly `fence`, in the same transaction as the row, which records `fence.epoch`. Throws
   * {@link FencedOut} otherwise.
   * Joins the caller's transaction when called inside one. Resolves with the new head.
   */
  append(documentId: string, sectionId: string, fence: SectionFence, update: Uint8Array): Promise<SectionFence>;
  /** Rows whose owner-numbered `headSeq` is above `after` (all rows when `after` is 0), in order. */
  log(documentId: string, sectionId: string, after: number): Promise<SectionLogRow[]>;
}
