import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The idempotency key of the HTTP command being carried out, visible to the store: the first store
 * transaction the command commits also writes the key (see KyselyStore), so that the key exists if and
 * only if the command's effect does. Set by server/http/idempotency.ts around the route's handler.
 */
export interface IdempotencyClaim {
  readonly userId: string;
  readonly key: string;
  readonly fingerprint: string;
  /** Unique per request: a second transaction of the same request finds its own claim, not a rival's. */
  readonly claimId: string;
  readonly createdAt: number;
  /** Set once a committed transaction wrote the key. */
  claimed: boolean;
  /**
   * Set when the request's handler has ended: a timer it left behind runs in its async context, and
   * must not write the key for work that is not the command's.
   */
  ended: boolean;
}

export const idempotencyScope = new AsyncLocalStorage<IdempotencyClaim>();

/** Another request with the same key committed first: this one's transaction is rolled back. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('idempotency key already used by another request');
  }
}

export interface StoredIdempotency {
  fingerprint: string;
  claimId: string;
  /** Null while the command's answer is not stored yet (in progress, or the process stopped in between). */
  status: number | null;
  body: string | null;
}
