import { useEffect, useState } from 'react';
import type { Correction } from '../../shared/corrections.js';
import { ServerEvent } from '../../shared/events.js';
import { api } from '../api/client';
import { type LiveSocket, onLive } from '../realtime/liveEvents';

/** The Office's direct corrections of a document, by section id, oldest first. */
export type CorrectionsBySection = ReadonlyMap<string, readonly Correction[]>;
const EMPTY: CorrectionsBySection = new Map();

function withCorrection(map: CorrectionsBySection, c: Correction): CorrectionsBySection {
  // A burst of typing is one correction the server may extend: the same id replaces the earlier copy.
  const list = (map.get(c.sectionId) ?? []).filter((x) => x.id !== c.id);
  const next = new Map(map);
  next.set(
    c.sectionId,
    [...list, c].sort((a, b) => a.startedAt - b.startedAt),
  );
  return next;
}

/**
 * The corrections of a document: fetched once (and after a reconnection), then live. A server without
 * the route (404) or an answer of another shape shows no marker rather than an error: the marker is a
 * courtesy, the text is what matters.
 */
export function useCorrections(documentId: string, socket: LiveSocket | null): CorrectionsBySection {
  const [map, setMap] = useState<CorrectionsBySection>(EMPTY);

  useEffect(() => {
    let cancelled = false;
    const load = () => {
      api
        .corrections(documentId)
        .then((body) => {
          if (cancelled) return;
          let next: CorrectionsBySection = EMPTY;
          for (const c of body.corrections) if (c.documentId === documentId) next = withCorrection(next, c);
          setMap(next);
        })
        .catch(() => {});
    };
    load();
    let first = socket?.connected ?? false;
    const onConnect = () => {
      if (!first) {
        first = true;
        return;
      }
      load();
    };
    const offRecorded = socket
      ? onLive(socket, ServerEvent.CorrectionRecorded, ({ correction }) => {
          if (correction.documentId === documentId) setMap((prev) => withCorrection(prev, correction));
        })
      : null;
    socket?.on('connect', onConnect);
    return () => {
      cancelled = true;
      offRecorded?.();
      socket?.off('connect', onConnect);
    };
  }, [documentId, socket]);

  return map;
}
