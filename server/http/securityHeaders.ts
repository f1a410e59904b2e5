import type { ServerResponse } from 'node:http';

/**
 * The page may load only what the server itself serves. Scripts: the built bundle only (no inline
 * script, no eval). Styles: the bundle's stylesheet plus inline `style` attributes, which ProseMirror,
 * TipTap's collaboration carets and React's positioning of menus write at run time (injected styles cannot
 * run code). Websockets: `/collab` and `/socket.io` on the same host — `'self'` covers ws/wss to self in
 * current browsers, listed explicitly for older ones by the caller. The favicon is `data:,`.
 */
export function contentSecurityPolicy(websocketOrigins: string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${websocketOrigins.map((o) => ` ${o}`).join('')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `ws://host:port wss://host:port` for the host a request was sent to (CSP's `'self'` predates websockets). */
export function websocketOriginsFor(host: string | undefined): string[] {
  if (!host || !/^[a-z0-9.:[\]-]+$/i.test(host)) return [];
  return [`ws://${host}`, `wss://${host}`];
}

/** Sets the headers every response carries, before any route or file writes its own. */
export function applySecurityHeaders(res: ServerResponse, host: string | undefined): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(websocketOriginsFor(host)));
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
}
