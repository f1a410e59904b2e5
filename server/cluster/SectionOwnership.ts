import type { OwnershipStore, SectionFence } from '../storage/sectionFence.js';

/** What taking a section gives: this process writes it from `fence`, or `processId` does. */
export type Acquired = { owner: true; fence: SectionFence | null } | { owner: false; processId: string };

/**
 * Who writes a section (issue 15: one writer per section). `fence` null means no fencing at all: a
 * single process on its own store, which writes every section as it always did.
 */
export interface SectionOwnership {
  readonly processId: string;
  /** Whether a lease is needed at all (several processes share the store). */
  readonly shared: boolean;
  acquire(documentId: string, sectionId: string): Promise<Acquired>;
  /** False once the owner must stop writing: its lease might have expired (see LeasedOwnership). */
  mayWrite(documentId: string, sectionId: string): boolean;
  /** Who holds the section's lease now (null: nobody, it expired or was released). */
  holder(documentId: string, sectionId: string): Promise<string | null>;
  release(documentId: string, sectionId: string): Promise<void>;
  close(): Promise<void>;
}

/** One process on its own store (SQLite, or no Redis): it owns everything, with no timers and no fence. */
export class LocalOwnership implements SectionOwnership {
  readonly shared = false;
  constructor(readonly processId: string) {}
  async acquire(): Promise<Acquired> {
    return { owner: true, fence: null };
  }
  mayWrite(): boolean {
    return true;
  }
  async holder(): Promise<string | null> {
    return this.processId;
  }
  async release(): Promise<void> {}
  async close(): Promise<void> {}
}

export interface LeaseTimings {
  /** How long a lease lasts on the database's clock. */
  ttlMs: number;
  /** How often the owner renews each of its leases. */
  renewEveryMs: number;
  /** The owner stops writing this long before its lease could expire. */
  marginMs: number;
}

export const DEFAULT_LEASE: LeaseTimings = { ttlMs: 4000, renewEveryMs: 1000, marginMs: 1500 };

interface Held {
  documentId: string;
  sectionId: string;
  epoch: number;
  /** performance.now() when the request that last set the lease was SENT: the lease ran from no earlier. */
  sentAt: number;
  renewing: boolean;
}

/**
 * Leases in the shared store (PostgreSQL). The lease expires on the database's clock; this process
 * counts its own validity from when it SENT the request that set it, on its monotonic clock, and stops
 * writing `marginMs` before `ttlMs` has passed since: however long the answer took, the database's
 * expiry came after the send. A paused process that wakes past that point stops; one that wakes just
 * before and commits anyway is caught by the fence (the epoch moved when another took over).
 */
export class LeasedOwnership implements SectionOwnership {
  readonly shared = true;
  private readonly held = new Map<string, Held>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly processId: string,
    private readonly store: OwnershipStore,
    private readonly onLost: (documentId: string, sectionId: string) => void,
    private readonly timings: LeaseTimings = DEFAULT_LEASE,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.timer = setInterval(() => this.renewAll(), timings.renewEveryMs);
    this.timer.unref();
  }

  async acquire(documentId: string, sectionId: string): Promise<Acquired> {
    const sentAt = performance.now();
    const taken = await this.store.takeOver(documentId, sectionId, this.processId, this.timings.ttlMs);
    if (!taken.ok) return { owner: false, processId: taken.owner };
    this.held.set(`${documentId}/${sectionId}`, {
      documentId,
      sectionId,
      epoch: taken.fence.epoch,
      sentAt,
      renewing: false,
    });
    return { owner: true, fence: taken.fence };
  }

  mayWrite(documentId: string, sectionId: string): boolean {
    const held = this.held.get(`${documentId}/${sectionId}`);
    if (!held) return false;
    return performance.now() < held.sentAt + this.timings.ttlMs - this.timings.marginMs;
  }

  holder(documentId: string, sectionId: string): Promise<string | null> {
    return this.store.holder(documentId, sectionId);
  }

  async release(documentId: string, sectionId: string): Promise<void> {
    const key = `${documentId}/${sectionId}`;
    if (!this.held.delete(key)) return;
    await this.store.release(documentId, sectionId, this.processId);
  }

  private renewAll(): void {
    for (const [key, held] of this.held) {
      // A renewal that hangs (the store is cut off) must not keep the owner writing past its margin.
      if (!this.mayWrite(held.documentId, held.sectionId)) {
        this.lose(key, held);
        continue;
      }
      if (held.renewing) continue;
      held.renewing = true;
      const sentAt = performance.now();
      this.store.renew(held.documentId, held.sectionId, this.processId, held.epoch, this.timings.ttlMs).then(
        (ok) => {
          held.renewing = false;
          if (this.held.get(key) !== held) return;
          if (ok) held.sentAt = sentAt;
          else this.lose(key, held);
        },
        (err: unknown) => {
          held.renewing = false;
          this.onError(err);
          // Unreachable store: the lease runs out on its own; past the margin the owner steps down.
          if (this.held.get(key) === held && !this.mayWrite(held.documentId, held.sectionId)) this.lose(key, held);
        },
      );
    }
  }

  private lose(key: string, held: Held): void {
    this.held.delete(key);
    if (!this.closed) this.onLost(held.documentId, held.sectionId);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(
      all.map((h) => this.store.release(h.documentId, h.sectionId, this.processId).catch(this.onError)),
    );
  }
}
