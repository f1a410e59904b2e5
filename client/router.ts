import { useSyncExternalStore } from 'react';

/** A router of two screens needs no library: the path, kept in sync with history. */
const NAVIGATE_EVENT = 'concord:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** `/d/<documentId>` → the id, or null. */
export function documentIdOf(pathname: string): string | null {
  const match = /^\/d\/([a-z0-9][a-z0-9-]*)\/?$/.exec(pathname);
  return match?.[1] ?? null;
}

/** The views of a document: its text, the Office's desk, versions (one, or a comparison) and the audit log. */
export type DocumentView =
  | { documentId: string; view: 'text' }
  | { documentId: string; view: 'desk' }
  | { documentId: string; view: 'versions' }
  | { documentId: string; view: 'version'; versionId: string }
  | { documentId: string; view: 'compare' }
  | { documentId: string; view: 'audit' }
  | { documentId: string; view: 'since' };

/** `/d/<id>`, `/d/<id>/desk`, `/d/<id>/versions[/<versionId>]`, `/d/<id>/compare`, `/d/<id>/audit`, `/d/<id>/since` → the view, or null. */
export function documentViewOf(pathname: string): DocumentView | null {
  const match = /^\/d\/([a-z0-9][a-z0-9-]*)(?:\/(desk|versions|compare|audit|since)(?:\/([A-Za-z0-9_-]{1,64}))?)?\/?$/.exec(pathname);
  if (!match) return null;
  const documentId = match[1] as string;
  const view = match[2];
  if (!view) return { documentId, view: 'text' };
  if (view === 'versions' && match[3]) return { documentId, view: 'version', versionId: match[3] };
  if (match[3]) return null;
  return { documentId, view: view as 'desk' | 'versions' | 'compare' | 'audit' | 'since' };
}

/** A link that moves within the app without reloading it (and still opens in a new tab when asked). */
export function onLinkClick(to: string) {
  return (e: { preventDefault: () => void; metaKey: boolean; ctrlKey: boolean; shiftKey: boolean; button: number }) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
}
