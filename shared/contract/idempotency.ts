import { z } from 'zod';

/**
 * `Idempotency-Key`: any state-changing API request (POST, PATCH, PUT, DELETE) of a signed-in user may
 * carry one. A retry with the same key by the same user gets the first answer back (with the header
 * `Idempotent-Replayed: true`) and changes nothing; the same key on a different request (method, path,
 * query or body) is `422 idempotency_key_reused`; while the first is still being carried out (or its
 * answer was never stored), `409 idempotency_in_progress`. Keys are kept 24 hours.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID, say).');
