import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { PMNode } from '../../shared/schema/index.js';
import { SectionConnection } from './SectionConnection';

export interface PoolSnapshot {
  /** Worst state among the open sections. */
  status: 'connected' | 'connecting' | 'reconnecting';
  pending: boolean;
  open: number;
}

interface Entry {
  connection: SectionConnection;
  refs: number;
  releaseTimer: ReturnType<typeof setTimeout> | null;
  unsubscribe: () => void;
}

/**
 * The open sections of one document. Sections are reference-counted and let go a tick after their
 * last user, so React StrictMode's unmount-remount does not open a second socket; a section with
 * edits made offline is kept until the server has them.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private snapshot: PoolSnapshot = { status: 'connected', pending: false, open: 0 };

  constructor(
    readonly documentId: string,
    private readonly hooks: {
      onFatal: (code: number, reason: string) => void;
      /** A section's socket said the user's role or group changed (4205). */
      onPowersChanged?: () => void;
      /** The section's last known text when it is let go, so its static rendering stays current. */
      onRelease: (sectionId: string, content: PMNode) => void;
    },
  ) {}

  acquire(sectionId: string): SectionConnection {
    let entry = this.entries.get(sectionId);
    if (!entry) {
      const connection = new SectionConnection(
        this.documentId,
        sectionId,
        this.hooks.onFatal,
        this.hooks.onPowersChanged,
      );
      const unsubscribe = connection.subscribe(() => {
        this.recompute();
        this.maybeRelease(sectionId);
      });
      entry = { connection, refs: 0, releaseTimer: null, unsubscribe };
      this.entries.set(sectionId, entry);
      this.recompute();
    }
    entry.refs++;
    if (entry.releaseTimer) {
      clearTimeout(entry.releaseTimer);
      entry.releaseTimer = null;
    }
    return entry.connection;
  }

  release(sectionId: string): void {
    const entry = this.entries.get(sectionId);
    if (!entry) return;
    entry.refs = Math.max(0, entry.refs - 1);
    this.maybeRelease(sectionId);
  }

  /** An open section, if any (tests and search read live text from it). */
  get(sectionId: string): SectionConnection | undefined {
    return this.entries.get(sectionId)?.connection;
  }

  private maybeRelease(sectionId: string): void {
    const entry = this.entries.get(sectionId);
    if (!entry || entry.refs > 0 || entry.releaseTimer || entry.connection.holdsUnsentEdits) return;
    entry.releaseTimer = setTimeout(() => {
      if (entry.refs > 0 || entry.connection.holdsUnsentEdits) {
        entry.releaseTimer = null;
        return;
      }
      this.close(sectionId, entry);
    }, 0);
  }

  private close(sectionId: string, entry: Entry): void {
    if (entry.connection.getSnapshot().synced) {
      const content = yXmlFragmentToProsemirrorJSON(entry.connection.doc.getXmlFragment(SECTION_FRAGMENT)) as PMNode;
      this.hooks.onRelease(sectionId, content);
    }
    entry.unsubscribe();
    entry.connection.destroy();
    this.entries.delete(sectionId);
    this.recompute();
  }

  getSnapshot = (): PoolSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private recompute(): void {
    let status: PoolSnapshot['status'] = 'connected';
    let pending = false;
    for (const { connection } of this.entries.values()) {
      const s = connection.getSnapshot();
      if (s.pending) pending = true;
      if (s.status === 'reconnecting') status = 'reconnecting';
      else if (s.status === 'connecting' && status === 'connected') status = 'connecting';
    }
    const next = { status, pending, open: this.entries.size };
    const prev = this.snapshot;
    if (prev.status === next.status && prev.pending === next.pending && prev.open === next.open) return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }

  destroy(): void {
    for (const entry of this.entries.values()) {
      if (entry.releaseTimer) clearTimeout(entry.releaseTimer);
      entry.unsubscribe();
      entry.connection.destroy();
    }
    this.entries.clear();
    this.listeners.clear();
  }
}
