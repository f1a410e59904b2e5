import { useEffect, useSyncExternalStore } from 'react';

/**
 * The language of the open document's own text (its code from the document's meta), for `lang` on
 * every element that quotes it: official text, proposals, previews. Not the UI language: a French
 * document read in the Spanish interface is still French. One document is open at a time, so the
 * screen that loads it announces it here rather than threading a prop through every card.
 */
let current: string | undefined;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by the screen that knows the document (document, desk): its language while it is shown. */
export function useAnnounceDocumentLanguage(language: string | undefined): void {
  useEffect(() => {
    if (language === undefined) return;
    current = language;
    for (const l of listeners) l();
    return () => {
      if (current === language) current = undefined;
      for (const l of listeners) l();
    };
  }, [language]);
}

/** The open document's language; undefined until it is known (the element then inherits the page's). */
export function useDocumentLanguage(): string | undefined {
  return useSyncExternalStore(subscribe, () => current);
}
