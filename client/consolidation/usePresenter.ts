import { useCallback, useEffect, useRef, useState } from 'react';
import { ClientEvent, type PresenterPosition, type PresenterState, ServerEvent } from '../../shared/events.js';
import type { PublicUser } from '../../shared/roles.js';
import { editorRegistry } from '../document/editorRegistry';
import { reviewHighlightKey } from '../document/reviewHighlight';
import { anchorOfSelection, rangeOfAnchor } from '../review/anchoring';
import { type LiveSocket, onLive } from '../realtime/liveEvents';

type PositionRecord = PresenterPosition;
type PresenterStateRecord = PresenterState;

/** Positions are sent at most this often while presenting. */
const SEND_EVERY_MS = 150;

export interface Presenter {
  state: PresenterStateRecord | null;
  /** This tab presents. */
  presenting: boolean;
  following: boolean;
  start: () => void;
  stop: () => void;
  follow: () => void;
  unfollow: () => void;
}

/** The numbered paragraph at the top of the reading area (below the sticky header). */
function paragraphAtTop(): HTMLElement | null {
  const top = (document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0) + 8;
  const all = document.querySelectorAll<HTMLElement>('.doc-main .numbered-paragraph[id]');
  let lo = 0;
  let hi = all.length - 1;
  let found: HTMLElement | null = null;
  // Document order is vertical order: the first paragraph whose bottom is below the header.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const el = all[mid] as HTMLElement;
    if (el.getBoundingClientRect().bottom > top) {
      found = el;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return found;
}

function numberOf(el: Element | null): number | null {
  const n = Number.parseInt(el?.getAttribute('data-number') ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Where this tab is: the selection if there is one in view, else the paragraph at the top. */
function currentPosition(documentId: string, fallbackSection: string | null): PositionRecord | null {
  const selection = editorRegistry.getSelection();
  const entry = selection ? editorRegistry.get(selection.sectionId) : undefined;
  if (selection && entry) {
    const { node } = entry.editor.view.domAtPos(selection.from);
    const element = node instanceof HTMLElement ? node : node.parentElement;
    const rect = element?.getBoundingClientRect();
    if (rect && rect.bottom > 0 && rect.top < window.innerHeight) {
      const anchor = anchorOfSelection(entry.editor, selection.from, selection.to, selection.text);
      return {
        documentId,
        sectionId: selection.sectionId,
        paragraph: numberOf(element?.closest('.numbered-paragraph') ?? null),
        anchor: anchor ? { from: anchor.from, to: anchor.to } : null,
      };
    }
  }
  const top = paragraphAtTop();
  const sectionId = top?.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId ?? fallbackSection;
  if (!sectionId) return null;
  return { documentId, sectionId, paragraph: numberOf(top), anchor: null };
}

let markStyle: HTMLStyleElement | null = null;
/** Marks the presenter's paragraph for followers (a style rule: ProseMirror owns the paragraph's DOM). */
function markParagraph(n: number | null | undefined): void {
  markStyle ??= document.head.appendChild(document.createElement('style'));
  markStyle.textContent = n
    ? `.doc-main [id="p${n}"] { box-shadow: -0.6rem 0 0 -0.25rem var(--office, #1d6b3a); }`
    : '';
}

function showPosition(position: PositionRecord, jump: boolean): void {
  markParagraph(position.paragraph);
  if (jump) {
    const target =
      (position.paragraph ? document.getElementById(`p${position.paragraph}`) : null) ??
      document.getElementById(`section-${position.sectionId}`);
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (target) {
      // The window only (scrollIntoView would also scroll the sticky columns), below the sticky header.
      const header = document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0;
      const top = target.getBoundingClientRect().top + window.scrollY - header - 16;
      window.scrollTo({ top: Math.max(0, top), behavior: smooth ? 'smooth' : 'auto' });
    }
  }
  // The presenter's selection, once the section's live editor is there and holds those words.
  const started = performance.now();
  const token = ++showToken;
  const highlight = () => {
    if (token !== showToken) return;
    const entry = editorRegistry.get(position.sectionId);
    const range = entry && position.anchor ? rangeOfAnchor(entry.editor, { ...position.anchor, quote: '' }) : null;
    if (entry && !entry.editor.isDestroyed && (range || !position.anchor)) {
      entry.editor.view.dispatch(entry.editor.state.tr.setMeta(reviewHighlightKey, range));
      return;
    }
    if (performance.now() - started < 6000) setTimeout(highlight, 150);
  };
  highlight();
}

/** The latest position shown: an older one still waiting for its editor gives up. */
let showToken = 0;

function clearShown(lastSection: string | null): void {
  markParagraph(null);
  const entry = lastSection ? editorRegistry.get(lastSection) : undefined;
  if (entry && !entry.editor.isDestroyed)
    entry.editor.view.dispatch(entry.editor.state.tr.setMeta(reviewHighlightKey, null));
}

/**
 * "Follow the Office": the Office presents (its position is sent on scroll and selection, throttled);
 * anyone may follow — their view goes where the presenter is and shows the presenter's selection —
 * and stop following at any time (the button, or Escape).
 */
export function usePresenter(
  documentId: string,
  socket: LiveSocket | null,
  user: PublicUser,
  currentSection: string | null,
): Presenter {
  const [state, setState] = useState<PresenterStateRecord | null>(null);
  const [following, setFollowing] = useState(false);
  const followingRef = useRef(false);
  followingRef.current = following;
  const lastShown = useRef<PositionRecord | null>(null);
  const presenting =
    state?.presenter?.id === user.id && state.presenter !== null && state.since !== null && presentingHere(socket);
  const sectionRef = useRef(currentSection);
  sectionRef.current = currentSection;

  const show = useCallback((position: PositionRecord | null) => {
    if (!position || !followingRef.current) return;
    const previous = lastShown.current;
    const jump = !previous || previous.paragraph !== position.paragraph || previous.sectionId !== position.sectionId;
    if (previous && previous.sectionId !== position.sectionId) clearShown(previous.sectionId);
    lastShown.current = position;
    showPosition(position, jump);
  }, []);

  useEffect(() => {
    if (!socket) return;
    const offState = onLive(socket, ServerEvent.PresenterState, (next) => {
      if (next.documentId !== documentId) return;
      setState(next);
      if (!next.presenter) setFollowing(false);
    });
    const offPosition = onLive(socket, ServerEvent.PresenterPosition, ({ presenterId: _presenter, ...position }) => {
      if (position.documentId !== documentId) return;
      setState((prev) => (prev ? { ...prev, position } : prev));
      show(position);
    });
    return () => {
      offState();
      offPosition();
    };
  }, [socket, documentId, show]);

  // Following starts where the presenter is now; stopping removes the marks.
  // Only on a change of `following`: later positions come through the event.
  const positionRef = useRef(state?.position ?? null);
  positionRef.current = state?.position ?? null;
  useEffect(() => {
    if (following) show(positionRef.current);
    else {
      clearShown(lastShown.current?.sectionId ?? null);
      lastShown.current = null;
    }
  }, [following, show]);

  useEffect(() => {
    if (!following) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) setFollowing(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [following]);

  // The presenter's side: its position on scroll and on selection, at most every 150 ms.
  useEffect(() => {
    if (!presenting || !socket) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastSent = '';
    const send = () => {
      timer = null;
      const position = currentPosition(documentId, sectionRef.current);
      if (!position) return;
      const key = JSON.stringify(position);
      if (key === lastSent) return;
      lastSent = key;
      socket.emit(ClientEvent.PresenterPosition, position);
    };
    const soon = () => {
      timer ??= setTimeout(send, SEND_EVERY_MS);
    };
    send();
    window.addEventListener('scroll', soon, { passive: true });
    const unsubscribe = editorRegistry.subscribe(soon);
    return () => {
      if (timer) clearTimeout(timer);
      window.removeEventListener('scroll', soon);
      unsubscribe();
    };
  }, [presenting, socket, documentId]);

  useEffect(() => () => clearShown(lastShown.current?.sectionId ?? null), []);

  return {
    state,
    presenting,
    following,
    start: () => {
      socket?.emit(ClientEvent.PresenterStart, { documentId });
      presentingSockets.add(socket?.id ?? '');
    },
    stop: () => {
      socket?.emit(ClientEvent.PresenterStop, { documentId });
      presentingSockets.delete(socket?.id ?? '');
    },
    follow: () => setFollowing(true),
    unfollow: () => setFollowing(false),
  };
}

/** Sockets of this page that asked to present (the same person may have the document open twice). */
const presentingSockets = new Set<string>();
function presentingHere(socket: LiveSocket | null): boolean {
  return socket?.id !== undefined && presentingSockets.has(socket.id);
}
