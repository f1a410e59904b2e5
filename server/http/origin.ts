import type { IncomingMessage } from 'node:http';

/**
 * Where a browser request comes from, judged against where the server is reached. A page on another
 * origin (another port of the same host, a sibling subdomain) carries the session cookie to us on
 * websockets and on form posts; its `Origin` (or `Referer`) header is what tells it apart. Scripts that
 * authenticate with a bearer token are not exposed to this, and send neither header.
 */
export interface OriginPolicy {
  /** Explicit allow-list (`CONCORD_ALLOWED_ORIGINS`), normalised to `scheme://host[:port]`. */
  allowed: ReadonlySet<string>;
  /** Behind HTTPS only `https:` pages count as our own origin. */
  secure: boolean;
}

export const FORBIDDEN_ORIGIN_MESSAGE =
  'This request comes from a page outside Concord. Open Concord at its own address and try again.';

/** `https://Example.org:443/x` → `https://example.org`; null for anything that is not an http(s) origin. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Parses `CONCORD_ALLOWED_ORIGINS` (comma-separated); refuses entries that are not origins. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const origin = normaliseOrigin(s);
      if (!origin)
        throw new Error(`CONCORD_ALLOWED_ORIGINS: "${s}" is not an origin such as https://concord.example.org`);
      return origin;
    });
}

/** The page origin a request claims: `Origin`, else the origin of `Referer`; undefined when it names none. */
function claimedOrigin(req: IncomingMessage): string | null | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === 'null' ? null : normaliseOrigin(origin);
  const referer = req.headers.referer;
  if (referer !== undefined) return normaliseOrigin(referer);
  return undefined;
}

/**
 * True when the request may act with its cookie: it names our own origin — the `Host` it was sent to,
 * over http or https (https only when `secure`) — or one of the allowed ones. A request that names no
 * origin at all was not sent by a page (browsers always send `Origin` on websockets and on
 * state-changing requests) and passes; `Origin: null` (sandboxed frames, `data:` pages) does not.
 */
export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const claimed = claimedOrigin(req);
  if (claimed === undefined) return true;
  if (claimed === null) return false;
  if (policy.allowed.has(claimed)) return true;
  const host = req.headers.host?.toLowerCase();
  if (!host) return false;
  const url = new URL(claimed);
  if (policy.secure && url.protocol !== 'https:') return false;
  return url.host === host || sameHostDefaultPort(url, host);
}

/** `Host: example.org:80` against `http://example.org` (URL drops default ports). */
function sameHostDefaultPort(url: URL, host: string): boolean {
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  return url.port === '' && host === `${url.hostname}:${defaultPort}`;
}

/** Whether a request is authenticated by something a browser attaches on its own (the cookie). */
export function usesAmbientCredentials(req: IncomingMessage, url?: URL): boolean {
  if (req.headers.authorization?.startsWith('Bearer ')) return false;
  if (url?.searchParams.get('token')) return false;
  return true;
}
