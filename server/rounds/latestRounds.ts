import type { Round } from '../../shared/rounds.js';
import type { FanOut } from '../fanout/FanOut.js';
import type { Store } from '../storage/Store.js';

/**
 * Each document's latest round, as the collaboration deadline hook reads it on every keystroke of a
 * delegate that touches an amendment. Kept per store until a round of the document changes: the round
 * commands call {@link roundChanged}, which forgets it here and tells the other processes over the
 * fan-out ({@link followRoundChanges}). On SQLite this process is the only writer (storage/dataDirLock.ts);
 * on any other engine a fan-out message can be lost (Redis pub/sub keeps nothing), so a kept round is
 * also read again after {@link SHARED_STORE_KEEP_MS}, and everything is forgotten when the fan-out says
 * messages may have been missed.
 */
interface Cached {
  /** Bumped by every forget: a read that started before a change does not fill the cache after it. */
  version: number;
  round?: Round | null;
  /** When the round was read (performance.now()). */
  readAt: number;
}

/** The fan-out room of round changes. */
export const ROUNDS_ROOM = 'rounds';
/** How long a round read from a store other processes share is trusted without a change message. */
export const SHARED_STORE_KEEP_MS = 5000;

const caches = new WeakMap<Store, Map<string, Cached>>();

function cacheOf(store: Store): Map<string, Cached> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  return cache;
}

/** The engine as the store says it; a wrapper that hides it is treated as shared, which is always safe. */
const onlyWriterIsUs = (store: Store) => (store as { engine?: unknown }).engine === 'sqlite';

/** The document's latest round, from the cache when it is there and fresh. */
export async function latestRound(store: Store, documentId: string): Promise<Round | null> {
  const cache = cacheOf(store);
  let entry = cache.get(documentId);
  if (entry && entry.round !== undefined) {
    if (onlyWriterIsUs(store) || performance.now() - entry.readAt < SHARED_STORE_KEEP_MS) return entry.round;
    entry.version++;
    entry.round = undefined;
  }
  if (!entry) {
    entry = { version: 0, readAt: 0 };
    cache.set(documentId, entry);
  }
  const version = entry.version;
  const readAt = performance.now();
  const round = await store.rounds.latest(documentId);
  if (entry.version === version && cache.get(documentId) === entry) {
    entry.round = round;
    entry.readAt = readAt;
  }
  return round;
}

/** A round of the document was opened or closed (here or in another process): the next read asks the store. */
export function forgetLatestRound(store: Store, documentId: string): void {
  const entry = caches.get(store)?.get(documentId);
  if (!entry) return;
  entry.version++;
  entry.round = undefined;
}

function forgetAllLatestRounds(store: Store): void {
  for (const documentId of caches.get(store)?.keys() ?? []) forgetLatestRound(store, documentId);
}

/** A round of the document changed here: forget it, and tell the other processes to. */
export function roundChanged(store: Store, fanOut: FanOut, documentId: string): void {
  forgetLatestRound(store, documentId);
  fanOut.publish(ROUNDS_ROOM, { kind: 'roundChanged', documentId });
}

/**
 * Forgets the rounds other processes change; after a gap in the fan-out (messages may have been lost)
 * forgets them all. `also` hears the same (the deadline watch reads those rounds again). Returns the
 * unsubscribe function.
 */
export function followRoundChanges(
  store: Store,
  fanOut: FanOut,
  also: { changed?: (documentId: string) => void; missed?: () => void } = {},
): () => void {
  return fanOut.subscribe(
    ROUNDS_ROOM,
    (message) => {
      if (message.kind !== 'roundChanged') return;
      forgetLatestRound(store, message.documentId);
      also.changed?.(message.documentId);
    },
    () => {
      forgetAllLatestRounds(store);
      also.missed?.();
    },
  );
}
