import { useEffect, useSyncExternalStore } from 'react';
import { type CollabRefusedPayload, ServerEvent } from '../../shared/events.js';
import { type LiveSocket, onLive } from '../realtime/liveEvents';

/** A `collab:refused` as received, with the time it arrived here (to pair it with the socket's close). */
export interface ReceivedRefusal extends CollabRefusedPayload {
  receivedAt: number;
}

/**
 * The server sends the reason of a refusal twice, at the same moment: a short English sentence as the
 * close reason of the collaboration socket, and a code with parameters over socket.io. Either may come
 * first; a refusal counts as the one of a close within this window.
 */
export const PAIRING_WINDOW_MS = 5_000;

const latest = new Map<string, ReceivedRefusal>();
const listeners = new Set<() => void>();

export const refusalStore = {
  add(refusal: ReceivedRefusal): void {
    latest.set(refusal.sectionId, refusal);
    for (const l of listeners) l();
  },
  get: (sectionId: string): ReceivedRefusal | null => latest.get(sectionId) ?? null,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  clear(): void {
    latest.clear();
    for (const l of listeners) l();
  },
};

/** Listens for this user's refusals on the document's socket.io connection. */
export function useRefusalEvents(documentId: string, socket: LiveSocket | null): void {
  useEffect(() => {
    if (!socket) return;
    const off = onLive(socket, ServerEvent.UpdateRefused, (refusal) => {
      if (refusal.documentId !== documentId) return;
      refusalStore.add({ ...refusal, receivedAt: Date.now() });
    });
    return () => {
      off();
      refusalStore.clear();
    };
  }, [documentId, socket]);
}

/** The coded refusal that goes with a close seen at `closedAt`, if it came (or comes) within the window. */
export function useRefusalFor(sectionId: string, closedAt: number | null): ReceivedRefusal | null {
  const refusal = useSyncExternalStore(
    refusalStore.subscribe,
    () => refusalStore.get(sectionId),
    () => null,
  );
  if (!refusal || closedAt === null) return null;
  return Math.abs(refusal.receivedAt - closedAt) <= PAIRING_WINDOW_MS ? refusal : null;
}
