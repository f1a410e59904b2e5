import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CloseCode, FATAL_CLOSE_CODES } from '../../shared/closeCodes.js';
import { roomName } from '../../shared/document.js';
import { COLLAB_PATH } from '../../shared/limits.js';
import type { PMNode } from '../../shared/schema/index.js';

export type SectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface SectionSnapshot {
  status: SectionStatus;
  /** The first full sync is done: the Y.Doc holds the server's text. */
  synced: boolean;
  /** Local edits made while not connected, not yet confirmed by a sync. */
  pending: boolean;
  /** Set when the server refused the connection for good (auth, access, missing section). */
  refusal: { code: number; reason: string } | null;
  /**
   * Bumped each time the section's Y.Doc and provider are replaced after a refused change: whatever
   * was bound to the old doc (the editor) must be rebuilt on the new one.
   */
  generation: number;
  /** The last refused change, kept to tell the user what happened (cleared with `dismissNotice`). */
  notice: RefusedNotice | null;
}

/** Where the user was typing when a change was refused, taken from the editor just before its doc is dropped. */
export interface CaretMark {
  /** A Yjs relative position (of the character after the caret): it still resolves in the fresh copy. */
  relative: unknown;
  /** The ProseMirror position, used when the relative one does not resolve. */
  pos: number;
  /** The caret's box, relative to the section element: where the explanation is drawn. */
  top: number;
  bottom: number;
  left: number;
  /** The window's scroll when it happened, kept across the resync (no jump). */
  scrollY: number;
  /** The editor had the focus (the user was typing there): give it back at the same place. */
  focused: boolean;
}

export interface RefusedNotice {
  code: number;
  reason: string;
  at: number;
  caret: CaretMark | null;
}

/** Refusals in a window past which a section stops resyncing by itself (the server's own limit is 5 a minute). */
const MAX_RESETS = 5;
const RESET_WINDOW_MS = 60_000;

/** Closes about who the user is or what they may open: a fresh copy of the section would not help. */
const ACCESS_CODES: ReadonlySet<number> = new Set([
  CloseCode.Unauthenticated,
  CloseCode.Forbidden,
  CloseCode.NotFound,
  CloseCode.SessionEnded,
]);

export function collabUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${COLLAB_PATH}`;
}

/**
 * A close code after which the client drops its copy of the section and starts over: the server refused
 * a change (UpdateRefused 4409, 4400, 4413, or any other 44xx that is not about who the user is or what
 * they may open). Retrying with the same Y.Doc cannot succeed: its later updates depend on the refused
 * ones, and sync would send them again.
 */
export function isResyncCode(code: number): boolean {
  return (
    code === CloseCode.UpdateRefused ||
    (code >= 4400 && code < 4500 && !ACCESS_CODES.has(code) && code !== CloseCode.TooManyConnections)
  );
}

/**
 * After 4429 (the user's or the address's connection limit) the copy of the section is sound, and the
 * limit passes: wait this long, plus as much again at random so that a room full of tabs does not come
 * back at once, then connect again with the same Y.Doc.
 */
const TOO_MANY_RETRY_MS = 3000;

/**
 * One section's Y.Doc and its stock y-websocket provider. The browser's session cookie authenticates
 * the socket. It exposes a snapshot for React's useSyncExternalStore and is destroyed explicitly.
 *
 * After a refused change, the Y.Doc and the provider are thrown away and fresh ones (a new clientID)
 * resync from the server, so nothing the server refused stays in the tab.
 */
export class SectionConnection {
  private currentDoc!: Y.Doc;
  private currentProvider!: WebsocketProvider;
  private snapshot: SectionSnapshot = {
    status: 'connecting',
    synced: false,
    pending: false,
    refusal: null,
    generation: 0,
    notice: null,
  };
  private readonly listeners = new Set<() => void>();
  private everConnected = false;
  private resets: number[] = [];
  private destroyed = false;
  /** Set by the editor bound to the current doc: reads the caret before that doc is thrown away. */
  caretProbe: (() => CaretMark | null) | null = null;
  /** The text as the dropped editor last drew it: shown while the fresh copy syncs, so nothing moves. */
  placeholder: PMNode | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly documentId: string,
    readonly sectionId: string,
    private readonly onFatal: (code: number, reason: string) => void,
    /** The server closed with 4205: the user's role or group changed (the provider reconnects by itself). */
    private readonly onPowersChanged: () => void = () => {},
  ) {
    this.open();
  }

  get doc(): Y.Doc {
    return this.currentDoc;
  }

  get provider(): WebsocketProvider {
    return this.currentProvider;
  }

  private open(connect = true): void {
    const doc = new Y.Doc();
    // BroadcastChannel off: what a tab shows must come from the server, never from a sibling tab.
    const provider = new WebsocketProvider(collabUrl(), roomName(this.documentId, this.sectionId), doc, {
      disableBc: true,
      connect,
    });
    this.currentDoc = doc;
    this.currentProvider = provider;
    const current = () => this.currentProvider === provider;
    provider.on('status', ({ status }) => {
      if (!current()) return;
      if (status === 'connected') this.everConnected = true;
      if (this.snapshot.status === 'refused') return;
      const next: SectionStatus =
        status === 'connected' ? 'connected' : this.everConnected ? 'reconnecting' : 'connecting';
      this.update({ status: next });
    });
    provider.on('sync', (synced: boolean) => {
      if (!current()) return;
      this.update(synced ? { synced: true, pending: false } : {});
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (current() && event?.code === CloseCode.PowersChanged) this.onPowersChanged();
    });
    provider.on('closed', ({ code, reason }) => {
      if (!current()) return;
      if (code === CloseCode.TooManyConnections) {
        this.update({ status: this.everConnected ? 'reconnecting' : 'connecting' });
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(
          () => {
            this.retryTimer = null;
            if (current() && !this.destroyed) provider.connect();
          },
          TOO_MANY_RETRY_MS * (1 + Math.random()),
        );
        return;
      }
      if (isResyncCode(code)) {
        // Too many in a row: still drop what was refused, but wait for the user before connecting again.
        const again = this.mayReset();
        this.resync(code, reason, again);
        if (again) return;
      }
      this.update({ status: 'refused', refusal: { code, reason } });
      if (FATAL_CLOSE_CODES.has(code) && !isResyncCode(code)) this.onFatal(code, reason);
    });
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (!current()) return;
      if (origin !== provider && !provider.wsconnected) this.update({ pending: true });
    });
  }

  private mayReset(): boolean {
    const now = Date.now();
    this.resets = this.resets.filter((t) => now - t < RESET_WINDOW_MS);
    return this.resets.length < MAX_RESETS;
  }

  /** Drops the refused doc and provider and syncs a fresh doc (new clientID) from the server. */
  private resync(code: number, reason: string, connect = true): void {
    if (this.destroyed) return;
    this.resets.push(Date.now());
    let caret: CaretMark | null = null;
    try {
      caret = this.caretProbe?.() ?? null;
    } catch {
      // Without a caret the explanation is drawn at the top of the section: still said, still in place.
    }
    const oldProvider = this.currentProvider;
    const oldDoc = this.currentDoc;
    this.open(connect);
    this.update({
      status: 'connecting',
      synced: false,
      pending: false,
      refusal: null,
      generation: this.snapshot.generation + 1,
      notice: { code, reason, at: Date.now(), caret },
    });
    oldProvider.destroy();
    oldDoc.destroy();
  }

  getSnapshot = (): SectionSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Local edits not yet on the server: such a section must not be let go. */
  get holdsUnsentEdits(): boolean {
    return this.snapshot.pending;
  }

  /** After a refusal the user may ask to try again: a fresh copy of the section, synced from the server. */
  retry(): void {
    this.resets = [];
    this.update({ status: 'connecting', refusal: null });
    this.currentProvider.connect();
  }

  dismissNotice(): void {
    this.update({ notice: null });
  }

  private update(patch: Partial<SectionSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    const prev = this.snapshot;
    if (
      next.status === prev.status &&
      next.synced === prev.synced &&
      next.pending === prev.pending &&
      next.refusal === prev.refusal &&
      next.generation === prev.generation &&
      next.notice === prev.notice
    ) {
      return;
    }
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  destroy(): void {
    this.destroyed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.listeners.clear();
    const provider = this.currentProvider;
    const doc = this.currentDoc;
    const ws = provider.ws;
    if (ws && ws.readyState === WebSocket.CONNECTING) {
      // Politely: closing a socket that is still connecting makes the browser log "closed before the
      // connection is established". Let it open (or fail) first, with no reconnection meanwhile.
      provider.shouldConnect = false;
      const finish = () => {
        provider.destroy();
        doc.destroy();
      };
      ws.addEventListener('open', finish, { once: true });
      ws.addEventListener('close', finish, { once: true });
      return;
    }
    provider.destroy();
    doc.destroy();
  }
}

