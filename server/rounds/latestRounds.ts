import type { Round } from '../../shared/rounds.js';
import type { Store } from '../storage/Store.js';

/**
 * Each document's latest round, as the collaboration deadline hook reads it on every keystroke of a
 * delegate that touches an amendment. Kept per store, and only for an embedded SQLite store: one process
 * holds its data folder (storage/dataDirLock.ts), so every change of a round goes through this process's
 * round commands, which call {@link forgetLatestRound}. On any other engine another process may open
 * or close a round, so the store is asked every time.
 */
interface Cached {
  /** Bumped by every forget: a read that started before a change does not fill the cache after it. */
  version: number;
  round?: Round | null;
}

const caches = new WeakMap<Store, Map<string, Cached>>();

function cacheOf(store: Store): Map<string, Cached> | null {
  // The engine as the store says it; a wrapper that hides it gets no cache, which is always safe.
  if ((store as { engine?: unknown }).engine !== 'sqlite') return null;
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  return cache;
}

/** The document's latest round, from the cache when the store allows it. */
export async function latestRound(store: Store, documentId: string): Promise<Round | null> {
  const cache = cacheOf(store);
  if (!cache) return store.rounds.latest(documentId);
  let entry = cache.get(documentId);
  if (entry && entry.round !== undefined) return entry.round;
  if (!entry) {
    entry = { version: 0 };
    cache.set(documentId, entry);
  }
  const version = entry.version;
  const round = await store.rounds.latest(documentId);
  if (entry.version === version && cache.get(documentId) === entry) entry.round = round;
  return round;
}

/** A round of the document was opened or closed: the next read asks the store. */
export function forgetLatestRound(store: Store, documentId: string): void {
  const entry = caches.get(store)?.get(documentId);
  if (!entry) return;
  entry.version++;
  entry.round = undefined;
}
