import { CloseCode, type CloseCodeValue } from '../../shared/closeCodes.js';
import type { RefusalParams, RefusalReasonCode } from '../../shared/refusals.js';
import { HttpError } from '../errors.js';

/**
 * The one refusal of Concord: what every policy answers when an action is not allowed (`null` when it
 * is), what commands throw, and what the collaboration guard's refusals map to. Policies are named
 * `why…` (they return `Refusal | null`) or `can…` (a boolean, when no sentence is owed to anyone).
 *
 * A refusal's code fixes everything a transport needs — HTTP status, error id, websocket close code —
 * here and nowhere else; the reason is the sentence the user reads.
 */
const CODES = {
  /** The user may never do this: role, group, ownership. */
  forbidden: { status: 403, error: 'forbidden', closeCode: CloseCode.Forbidden },
  /** The record's state forbids it now: a decided amendment, something that is not a draft. */
  conflict: { status: 409, error: 'conflict', closeCode: CloseCode.UpdateRefused },
  /** The round's deadline has passed, or the round is closed. */
  deadline_passed: { status: 409, error: 'deadline_passed', closeCode: CloseCode.UpdateRefused },
  /** One State's amendment nobody seconded, accepted without the Office confirming a seconding in the room. */
  not_seconded: { status: 409, error: 'not_seconded', closeCode: CloseCode.UpdateRefused },
  /** A writer's update that the collaboration guard refused (server/collab/gatekeeper.ts). */
  update_refused: { status: 409, error: 'conflict', closeCode: CloseCode.UpdateRefused },
} as const satisfies Record<string, { status: number; error: string; closeCode: CloseCodeValue }>;

export type RefusalCode = keyof typeof CODES;

export interface Refusal {
  code: RefusalCode;
  /** In English words a delegate understands: the fallback for clients that do not know `why`. */
  reason: string;
  /** What the sentence names (an amendment's ref, an owner key…), for clients that word it themselves. */
  params?: RefusalParams;
  /** Which sentence this is (shared/refusals.ts), so that clients say it in the reader's language. */
  why?: RefusalReasonCode;
}

/** A refusal the user may never overcome (role, group, ownership), with the code clients word it by. */
export const forbidBecause = (why: RefusalReasonCode, reason: string, params?: RefusalParams): Refusal => ({
  code: 'forbidden',
  reason,
  params,
  why,
});
/** A refusal the record's state explains now, with the code clients word it by. */
export const conflictBecause = (why: RefusalReasonCode, reason: string, params?: RefusalParams): Refusal => ({
  code: 'conflict',
  reason,
  params,
  why,
});

/**
 * Without a reason code: clients can only show the English sentence. Kept for code written before the
 * codes; policies use `forbidBecause`/`conflictBecause` (tests/unit/refusal-reasons.test.ts checks).
 */
export const forbid = (reason: string, params?: Refusal['params']): Refusal => ({ code: 'forbidden', reason, params });
export const conflict = (reason: string, params?: Refusal['params']): Refusal => ({ code: 'conflict', reason, params });

export function httpStatusOf(code: RefusalCode): number {
  return CODES[code].status;
}

export function closeCodeOf(code: RefusalCode): CloseCodeValue {
  return CODES[code].closeCode;
}

/**
 * The one way a refusal becomes an HTTP answer: `{ error, message, reason?, details? }` with the code's
 * status (`details`: what an older contract already sent beside the sentence, kept as it was).
 */
export function refusalError(refusal: Refusal, details?: unknown): HttpError {
  const error = new HttpError(CODES[refusal.code].status, CODES[refusal.code].error, refusal.reason, details);
  if (refusal.why) error.reason = { code: refusal.why, params: refusal.params ?? {} };
  return error;
}

/** Throws the refusal's HTTP error, if there is one. */
export function throwIfRefused(refusal: Refusal | null): void {
  if (refusal) throw refusalError(refusal);
}
