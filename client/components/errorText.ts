import { ApiRequestError } from '../api/client';
import { type Language, type MessageKey, type Translate, messageOf } from '../i18n';
import type { RefusalReason } from '../../shared/refusals.js';
import { formatTime, ownerLabelOf } from './identity';

const STATUSES = new Set(['draft', 'proposed', 'withdrawn', 'accepted', 'rejected']);

/**
 * A server refusal in the reader's language, from its code and parameters: owner keys become names,
 * a deadline a local time, a status its word. Null when this client has no message for the code (a
 * newer server): the caller then shows the server's English sentence.
 */
export function refusalText(reason: RefusalReason | undefined, t: Translate, language: Language): string | null {
  if (!reason) return null;
  const key = `refusal.reason.${reason.code}` as MessageKey;
  if (messageOf(language, key) === undefined) return null;
  const params: Record<string, string | number> = { ...reason.params };
  if (typeof params.ownerKey === 'string') params.owner = ownerLabelOf(params.ownerKey, t);
  if (typeof params.onBehalfOf === 'string') params.onBehalfOf = ownerLabelOf(params.onBehalfOf, t);
  if (typeof params.deadline === 'number') params.deadline = formatTime(params.deadline, language);
  if (typeof params.status === 'string' && STATUSES.has(params.status)) {
    params.status = t(`amendment.status.${params.status}` as MessageKey).toLocaleLowerCase(language);
  }
  return t(key, params);
}

/** What went wrong, for people: a refusal worded from its code, else the server's (English) sentence. */
export function errorText(err: unknown, t: Translate, language: Language): string {
  if (err instanceof ApiRequestError) {
    if (err.isNetwork) return t('error.network');
    return refusalText(err.reason, t, language) ?? err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
