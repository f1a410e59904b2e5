import type { RefusalReason } from '../shared/refusals.js';

/** An error meant for the user: a stable id, an HTTP status and a sentence that says what to do. */
export class HttpError extends Error {
  /** A policy refusal's code and parameters, for clients that word it in the reader's language. */
  reason?: RefusalReason;

  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (`Retry-After`). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Sign in to continue.') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
