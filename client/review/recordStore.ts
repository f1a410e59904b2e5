/**
 * A small live collection for useSyncExternalStore: records by id, replaced wholesale by a load and
 * record by record by events. An older copy never overwrites a newer one (an HTTP answer and the
 * socket.io event of the same change may arrive in either order).
 */
export interface Versioned {
  id: string;
  documentId: string;
  updatedAt: number;
}

export type LoadState = 'loading' | 'ready' | 'error';

export interface RecordSnapshot<T> {
  state: LoadState;
  items: readonly T[];
  byId: ReadonlyMap<string, T>;
}

export class RecordStore<T extends Versioned> {
  private readonly records = new Map<string, T>();
  private readonly removed = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private snapshot: RecordSnapshot<T> = { state: 'loading', items: [], byId: new Map() };

  constructor(
    readonly documentId: string,
    private readonly order: (a: T, b: T) => number,
  ) {}

  getSnapshot = (): RecordSnapshot<T> => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The full list from the server: what is not in it is gone. */
  replaceAll(items: T[]): void {
    this.records.clear();
    this.removed.clear();
    for (const item of items) if (item.documentId === this.documentId) this.records.set(item.id, item);
    this.publish('ready');
  }

  /** One record, created or changed; ignored when it belongs to another document or is older. */
  upsert(item: T): void {
    if (item.documentId !== this.documentId || this.removed.has(item.id)) return;
    const known = this.records.get(item.id);
    if (known && known.updatedAt > item.updatedAt) return;
    this.records.set(item.id, item);
    this.publish(this.snapshot.state);
  }

  remove(id: string): void {
    this.removed.add(id);
    if (this.records.delete(id)) this.publish(this.snapshot.state);
  }

  failed(): void {
    if (this.snapshot.state === 'loading') this.publish('error');
  }

  private publish(state: LoadState): void {
    const items = [...this.records.values()].sort(this.order);
    this.snapshot = { state, items, byId: new Map(this.records) };
    for (const l of this.listeners) l();
  }
}
