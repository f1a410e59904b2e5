import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Sessions } from '../auth/sessions.js';
import type { Clock } from '../clock.js';
import { IdempotencyKey } from '../../shared/contract/idempotency.js';
import { HttpError } from '../errors.js';
import { type IdempotencyClaim, idempotencyScope } from '../storage/idempotencyScope.js';
import type { Store } from '../storage/Store.js';
import { type Route, bufferJsonBody, parseWith } from './router.js';

/**
 * `Idempotency-Key` on a state-changing API request: a retry with the same key by the same user gets
 * the first answer back instead of doing the command again. The key is written by the first store
 * transaction the command commits (the same transaction as its effect, see KyselyStore), and the answer
 * once it is known; the same key with another method, path or body is a 422.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

const STATE_CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** How long a key is kept: far longer than any client retries. */
export const IDEMPOTENCY_KEEP_MS = 24 * 3600_000;

export interface Answer {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  /** Set when the key was used before: send this answer and do nothing else. */
  readonly replay: Answer | null;
  /** Runs the handler with the key visible to the store. */
  run<T>(handler: () => Promise<T>): Promise<T>;
  /** After the handler answered (or failed with an answer): stores the answer with the key. */
  finish(answer: Answer): Promise<void>;
  /** After a failure: the first request's answer when it was a rival with the same key that committed. */
  rivalAnswer(): Promise<Answer | null>;
}

const inProgress = () => {
  const error = new HttpError(
    409,
    'idempotency_in_progress',
    'A request with this Idempotency-Key was carried out or is still being carried out, and its answer is not stored. Reload to see its outcome before trying again.',
  );
  error.reason = { code: 'idempotency_in_progress', params: {} };
  return error;
};

function storedAnswer(found: { status: number | null; body: string | null }): Answer {
  if (found.status === null || found.body === null) throw inProgress();
  return { status: found.status, body: JSON.parse(found.body) as unknown };
}

/**
 * The idempotency of one API request: null when it carries no key, is not a state change, or has no
 * valid session (the handler then answers 401 as usual: a key does not change who may do what).
 */
export async function idempotencyOf(
  req: IncomingMessage,
  url: URL,
  route: Route,
  services: { store: Store; sessions: Sessions; clock: Clock },
): Promise<IdempotentRequest | null> {
  const header = req.headers[IDEMPOTENCY_HEADER];
  if (header === undefined || !STATE_CHANGES.has(req.method ?? 'GET')) return null;
  const key = parseWith(IdempotencyKey, header);
  // A password or a sign-in link is shown once and kept only hashed: never in the keys' table.
  if (route.spec?.secretAnswer) return null;
  // The request's own session, the one its handler gets: looked up once per request.
  const auth = await services.sessions.ofRequest(req);
  if (!auth) return null;
  // Uploads are fingerprinted by their address only: the file is streamed to its reader, not held here.
  const body = route.body === 'json' ? await bufferJsonBody(req) : Buffer.alloc(0);
  const fingerprint = createHash('sha256')
    .update(`${req.method} ${url.pathname}${url.search}\n`)
    .update(body)
    .digest('hex');
  const { store } = services;
  const userId = auth.user.id;
  const found = await store.idempotency.find(userId, key);
  if (found && found.fingerprint !== fingerprint) {
    throw new HttpError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
  }
  const claim: IdempotencyClaim = {
    userId,
    key,
    fingerprint,
    claimId: randomUUID(),
    // Keys are kept and forgotten by the real time, like sessions.
    createdAt: services.clock.now(),
    claimed: false,
    ended: false,
  };
  return {
    replay: found ? storedAnswer(found) : null,
    run: async (handler) => {
      try {
        return await idempotencyScope.run(claim, handler);
      } finally {
        claim.ended = true;
      }
    },
    async finish(answer) {
      const body = JSON.stringify(answer.body ?? null);
      if (claim.claimed) {
        await store.idempotency.complete(userId, key, claim.claimId, answer.status, body);
        return;
      }
      // Nothing committed in a transaction: an error answer committed nothing, so a retry may run again.
      if (answer.status >= 400) return;
      // A command whose write was a single statement: the key follows its effect as closely as it can.
      await store.idempotency.record(claim, answer.status, body);
    },
    async rivalAnswer() {
      const now = await store.idempotency.find(userId, key);
      if (!now || now.claimId === claim.claimId) return null;
      return storedAnswer(now);
    },
  };
}
