import { useCallback, useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { ClientEvent, type PresenceEntry, ServerEvent } from '../../shared/events.js';
import { type LiveSocket, onLive } from './liveEvents';

export interface DocumentPresence {
  people: PresenceEntry[];
  /** socket.io is connected (it carries presence and session events). */
  connected: boolean;
  /** Tells the others which section this person is in (null: none). */
  focus: (sectionId: string | null) => void;
  /** The document's socket, for the other live stores (amendments, threads); null until created. */
  socket: LiveSocket | null;
}

/**
 * The document's presence list over socket.io, and the server's "your session ended" event.
 * One socket per open document; the cookie authenticates it.
 */
export function useDocumentPresence(documentId: string, onSessionEnded: () => void): DocumentPresence {
  const [people, setPeople] = useState<PresenceEntry[]>([]);
  const [connected, setConnected] = useState(false);
  const [socket, setSocket] = useState<LiveSocket | null>(null);
  const socketRef = useRef<LiveSocket | null>(null);
  const focusRef = useRef<string | null>(null);
  const endedRef = useRef(onSessionEnded);
  endedRef.current = onSessionEnded;

  useEffect(() => {
    const socket: LiveSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket'] });
    socketRef.current = socket;
    setSocket(socket);
    socket.on('connect', () => {
      setConnected(true);
      socket.emit(ClientEvent.JoinDocument, { documentId });
      if (focusRef.current) socket.emit(ClientEvent.Focus, { documentId, sectionId: focusRef.current });
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', (err: Error) => {
      setConnected(false);
      if (err.message === 'unauthenticated') endedRef.current();
    });
    onLive(socket, ServerEvent.Presence, (payload) => {
      if (payload.documentId === documentId) setPeople(payload.people);
    });
    onLive(socket, ServerEvent.SessionEnded, () => endedRef.current());
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
      setSocket(null);
    };
  }, [documentId]);

  const focus = useCallback(
    (sectionId: string | null) => {
      if (focusRef.current === sectionId) return;
      focusRef.current = sectionId;
      socketRef.current?.emit(ClientEvent.Focus, { documentId, sectionId });
    },
    [documentId],
  );

  return { people, connected, focus, socket };
}
