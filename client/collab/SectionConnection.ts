import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { FATAL_CLOSE_CODES } from '../../shared/closeCodes.js';
import { COLLAB_PATH } from '../../shared/limits.js';
import { roomName } from '../../shared/document.js';

export type SectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface SectionSnapshot {
  status: SectionStatus;
  /** The first full sync is done: the Y.Doc holds the server's text. */
  synced: boolean;
  /** Local edits made while not connected, not yet confirmed by a sync. */
  pending: boolean;
  /** Set when the server refused the connection for good (close codes 4400–4499). */
  refusal: { code: number; reason: string } | null;
}

export function collabUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${COLLAB_PATH}`;
}

/**
 * One section's Y.Doc and its stock y-websocket provider. The browser's session cookie authenticates
 * the socket. It exposes a snapshot for React's useSyncExternalStore and is destroyed explicitly.
 */
export class SectionConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private snapshot: SectionSnapshot = { status: 'connecting', synced: false, pending: false, refusal: null };
  private readonly listeners = new Set<() => void>();
  private everConnected = false;

  constructor(
    readonly documentId: string,
    readonly sectionId: string,
    private readonly onFatal: (code: number, reason: string) => void,
  ) {
    // BroadcastChannel off: what a tab shows must come from the server, never from a sibling tab.
    this.provider = new WebsocketProvider(collabUrl(), roomName(documentId, sectionId), this.doc, { disableBc: true });
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.everConnected = true;
      if (this.snapshot.status === 'refused') return;
      const next: SectionStatus =
        status === 'connected' ? 'connected' : this.everConnected ? 'reconnecting' : 'connecting';
      this.update({ status: next });
    });
    this.provider.on('sync', (synced: boolean) => {
      this.update(synced ? { synced: true, pending: false } : {});
    });
    this.provider.on('closed', ({ code, reason }) => {
      this.update({ status: 'refused', refusal: { code, reason } });
      if (FATAL_CLOSE_CODES.has(code)) this.onFatal(code, reason);
    });
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && !this.provider.wsconnected) this.update({ pending: true });
    });
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

  /** After a refusal the user may ask to try again (e.g. after an invalid update was undone). */
  retry(): void {
    this.update({ status: 'connecting', refusal: null });
    this.provider.connect();
  }

  private update(patch: Partial<SectionSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    if (
      next.status === this.snapshot.status &&
      next.synced === this.snapshot.synced &&
      next.pending === this.snapshot.pending &&
      next.refusal === this.snapshot.refusal
    ) {
      return;
    }
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  destroy(): void {
    this.listeners.clear();
    this.provider.destroy();
    this.doc.destroy();
  }
}
