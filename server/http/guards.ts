import type { IncomingMessage } from 'node:http';
import { HttpError, badRequest } from '../errors.js';
import { FORBIDDEN_ORIGIN_MESSAGE, type OriginPolicy, originAllowed, usesAmbientCredentials } from './origin.js';
import { type Route, isJsonMediaType, unsupportedMediaType } from './router.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What the Word import takes: the file raw, or in a form (then only with our own Origin, checked first). */
const UPLOAD_TYPES = new Set([
  'multipart/form-data',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/octet-stream',
]);

/**
 * Refuses a state-changing API request that another site's page could have made with the user's cookie:
 * a foreign `Origin`/`Referer` (403), or a body a plain HTML form or a `no-cors` fetch can send — only
 * `application/json` is taken (415), so that a cross-site request needs a CORS preflight, which we never
 * grant. Body-less actions take `{}` for the same reason. `DELETE` cannot be sent cross-site without a
 * preflight, so it needs no body.
 */
export function refuseStateChange(req: IncomingMessage, route: Route, policy: OriginPolicy): void {
  const method = req.method ?? 'GET';
  if (SAFE_METHODS.has(method)) return;
  if (usesAmbientCredentials(req) && !originAllowed(req, policy))
    throw new HttpError(403, 'forbidden_origin', FORBIDDEN_ORIGIN_MESSAGE);
  if (method === 'DELETE') return;
  const type = req.headers['content-type'];
  if (route.body === 'upload') {
    const media = (type?.split(';')[0] ?? '').trim().toLowerCase();
    if (!UPLOAD_TYPES.has(media))
      throw new HttpError(
        415,
        'unsupported_media_type',
        'Send the Word file as multipart/form-data (field "file") or as the raw .docx body.',
      );
    return;
  }
  if (!isJsonMediaType(type)) throw unsupportedMediaType();
  const empty = req.headers['transfer-encoding'] === undefined && Number(req.headers['content-length'] ?? '0') === 0;
  if (empty) throw badRequest('Send a JSON body — at least {} — with Content-Type: application/json.');
}
