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
