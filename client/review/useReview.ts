import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ServerEvent } from '../../shared/events.js';
import { api } from '../api/client';
import { type LiveSocket, onLive } from '../realtime/liveEvents';
import { type AmendmentRecord, AmendmentsStore } from './amendmentsStore';
import type { RecordSnapshot } from './recordStore';
import { type ThreadRecord, ThreadsStore } from './threadsStore';

const EMPTY_AMENDMENTS: RecordSnapshot<AmendmentRecord> = { state: 'loading', items: [], byId: new Map() };
const EMPTY_THREADS: RecordSnapshot<ThreadRecord> = { state: 'loading', items: [], byId: new Map() };
const emptyAmendments = () => EMPTY_AMENDMENTS;
const emptyThreads = () => EMPTY_THREADS;
const noopSubscribe = () => () => {};
/** Unread counts are asked again this long after the last thread event (a burst costs one request). */
const UNREAD_REFRESH_MS = 400;

export interface Review {
  amendments: RecordSnapshot<AmendmentRecord>;
  threads: RecordSnapshot<ThreadRecord>;
  /** Unread comments per section. */
  unread: Readonly<Record<string, number>>;
  amendmentsStore: AmendmentsStore | null;
  threadsStore: ThreadsStore | null;
  markRead: (sectionId: string) => void;
}

/**
 * The open document's amendments, threads and unread counts, live: an initial GET, then socket.io
 * events; everything is asked again after a reconnection (events may have been missed meanwhile).
 * Stores are created in an effect, so React StrictMode's second mount gets fresh ones.
 */
export function useReview(documentId: string, socket: LiveSocket | null): Review {
  const [stores, setStores] = useState<{ amendments: AmendmentsStore; threads: ThreadsStore } | null>(null);
  const [unread, setUnread] = useState<Record<string, number>>({});

  const refreshUnread = useCallback(() => {
    api
      .unread(documentId)
      .then(setUnread)
      .catch(() => {});
  }, [documentId]);

  useEffect(() => {
    const created = { amendments: new AmendmentsStore(documentId), threads: new ThreadsStore(documentId) };
    setStores(created);
    void created.amendments.load();
    void created.threads.load();
    refreshUnread();
    return () => {
      created.amendments.dispose();
      setStores(null);
    };
  }, [documentId, refreshUnread]);

  useEffect(() => {
    if (!socket || !stores) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unreadSoon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(refreshUnread, UNREAD_REFRESH_MS);
    };
    let connectedOnce = socket.connected;
    const onConnect = () => {
      // The first connection follows the initial load; later ones may have missed events.
      if (!connectedOnce) {
        connectedOnce = true;
        return;
      }
      void stores.amendments.load();
      void stores.threads.load();
      refreshUnread();
    };
    socket.on('connect', onConnect);
    const unsubscribe = [
      onLive(socket, ServerEvent.AmendmentChanged, ({ amendment }) => stores.amendments.applyEvent(amendment)),
      // A group's drafts reach that group only, with the same payload.
      onLive(socket, ServerEvent.DraftChanged, ({ amendment }) => stores.amendments.applyEvent(amendment)),
      onLive(socket, ServerEvent.ThreadChanged, ({ thread }) => {
        stores.threads.applyEvent(thread);
        unreadSoon();
      }),
    ];
    return () => {
      if (timer) clearTimeout(timer);
      socket.off('connect', onConnect);
      for (const off of unsubscribe) off();
    };
  }, [socket, stores, refreshUnread]);

  const amendments = useSyncExternalStore(
    stores?.amendments.subscribe ?? noopSubscribe,
    stores?.amendments.getSnapshot ?? emptyAmendments,
  );
  const threads = useSyncExternalStore(
    stores?.threads.subscribe ?? noopSubscribe,
    stores?.threads.getSnapshot ?? emptyThreads,
  );

  const markRead = useCallback(
    (sectionId: string) => {
      setUnread((prev) => (prev[sectionId] ? { ...prev, [sectionId]: 0 } : prev));
      api.markRead(documentId, sectionId).catch(() => {});
    },
    [documentId],
  );

  return useMemo(
    () => ({
      amendments,
      threads,
      unread,
      amendmentsStore: stores?.amendments ?? null,
      threadsStore: stores?.threads ?? null,
      markRead,
    }),
    [amendments, threads, unread, stores, markRead],
  );
}
