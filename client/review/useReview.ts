import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Socket } from 'socket.io-client';
import { ServerEvent } from '../../shared/events.js';
import { api } from '../api/client';
import { AmendmentsStore } from './amendmentsStore';
import type { RecordSnapshot } from './recordStore';
import { type AmendmentRecord, type ThreadRecord, UnreadSchema } from './schemas';
import { ThreadsStore } from './threadsStore';

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
export function useReview(documentId: string, socket: Socket | null): Review {
  const [stores, setStores] = useState<{ amendments: AmendmentsStore; threads: ThreadsStore } | null>(null);
  const [unread, setUnread] = useState<Record<string, number>>({});

  const refreshUnread = useCallback(() => {
    api
      .unread(documentId)
      .then((body) => {
        const parsed = UnreadSchema.safeParse(body);
        if (parsed.success) setUnread(parsed.data);
      })
      .catch(() => {});
  }, [documentId]);

  useEffect(() => {
    const created = { amendments: new AmendmentsStore(documentId), threads: new ThreadsStore(documentId) };
    setStores(created);
    void created.amendments.load();
    void created.threads.load();
    refreshUnread();
    return () => setStores(null);
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
    const onAmendment = (payload: unknown) => stores.amendments.applyRaw(payload);
    const onThread = (payload: unknown) => {
      stores.threads.applyRaw(payload);
      unreadSoon();
    };
    const onThreadRemoved = (payload: unknown) => {
      stores.threads.applyRemoved(payload);
      unreadSoon();
    };
    socket.on('connect', onConnect);
    socket.on(ServerEvent.AmendmentChanged, onAmendment);
    // A group's drafts reach that group only, with the same payload.
    socket.on(ServerEvent.DraftChanged, onAmendment);
    socket.on(ServerEvent.ThreadChanged, onThread);
    socket.on(ServerEvent.ThreadRemoved, onThreadRemoved);
    return () => {
      if (timer) clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off(ServerEvent.AmendmentChanged, onAmendment);
      socket.off(ServerEvent.DraftChanged, onAmendment);
      socket.off(ServerEvent.ThreadChanged, onThread);
      socket.off(ServerEvent.ThreadRemoved, onThreadRemoved);
    };
  }, [socket, stores, refreshUnread]);

  const amendments = useSyncExternalStore(
    stores?.amendments.subscribe ?? noopSubscribe,
    stores?.amendments.getSnapshot ?? emptyAmendments,
  );
  const threads = useSyncExternalStore(stores?.threads.subscribe ?? noopSubscribe, stores?.threads.getSnapshot ?? emptyThreads);

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
