import { useEffect, useState } from 'react';
import type { SectionNews, WhatsNewResponse } from '../../shared/whatsNew.js';
import { api } from '../api/client';

/** A section counts as viewed once it has stayed the current one this long (a glance on the way is not a visit). */
export const VISIT_AFTER_MS = 2000;

/**
 * "Since your last visit" as it stood when the reader opened the document in this tab: kept for the
 * whole page session, so that the list does not empty itself while the reader's views are recorded.
 * Sections viewed since are remembered here, and their outline counts drop.
 */
const snapshots = new Map<string, Promise<WhatsNewResponse>>();
const viewed = new Map<string, Set<string>>();
const listeners = new Set<() => void>();

export function sinceSnapshot(documentId: string): Promise<WhatsNewResponse> {
  let snapshot = snapshots.get(documentId);
  if (!snapshot) {
    snapshot = api.whatsNew(documentId);
    snapshots.set(documentId, snapshot);
    // A failed answer is asked again next time.
    snapshot.catch(() => snapshots.delete(documentId));
  }
  return snapshot;
}

function viewedIn(documentId: string): Set<string> {
  let set = viewed.get(documentId);
  if (!set) {
    set = new Set();
    viewed.set(documentId, set);
  }
  return set;
}

/**
 * Per section, what is new for the reader (sections viewed in this session count nothing), and records
 * a visit of `currentId` once it has stayed current for VISIT_AFTER_MS — only after the snapshot is
 * taken, so that the first visit never hides what was new.
 */
export function useSectionNews(documentId: string, currentId: string | null): Record<string, SectionNews> {
  const [snapshot, setSnapshot] = useState<WhatsNewResponse | null>(null);
  const [, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    sinceSnapshot(documentId).then(
      (body) => {
        if (!cancelled) setSnapshot(body);
      },
      () => {
        // Without the snapshot the outline shows no counts; visits wait for it.
      },
    );
    const changed = () => setVersion((v) => v + 1);
    listeners.add(changed);
    return () => {
      cancelled = true;
      listeners.delete(changed);
    };
  }, [documentId]);

  useEffect(() => {
    if (!snapshot || !currentId) return;
    const timer = setTimeout(() => {
      api.visitSection(documentId, currentId).then(
        () => {
          viewedIn(documentId).add(currentId);
          for (const listener of listeners) listener();
        },
        () => {
          // Not recorded: the next view of the section records it.
        },
      );
    }, VISIT_AFTER_MS);
    return () => clearTimeout(timer);
  }, [snapshot, documentId, currentId]);

  if (!snapshot) return {};
  const seen = viewedIn(documentId);
  return Object.fromEntries(Object.entries(snapshot.sections).filter(([id]) => !seen.has(id)));
}
