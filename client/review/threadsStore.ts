import type { Thread, ThreadView } from '../../shared/threads.js';
import { ApiRequestError, api } from '../api/client';
import { RecordStore } from './recordStore';

export type ThreadRecord = ThreadView;

/** The open document's comment threads the user may see: GET once, then `thread:changed` (refetched for this reader). */
export class ThreadsStore extends RecordStore<ThreadRecord> {
  constructor(documentId: string) {
    super(
      documentId,
      (a, b) =>
        (a.paragraph ?? Number.MAX_SAFE_INTEGER) - (b.paragraph ?? Number.MAX_SAFE_INTEGER) ||
        a.createdAt - b.createdAt,
    );
  }

  async load(): Promise<void> {
    try {
      this.replaceAll(await api.threads(this.documentId));
    } catch {
      this.failed();
    }
  }

  /** An HTTP answer: the thread with the caller's abilities on it and on each comment. */
  apply(thread: ThreadRecord): ThreadRecord {
    this.upsert(thread);
    return thread;
  }

  /**
   * A broadcast (`thread:changed`) carries no abilities: the thread is asked again for this reader's
   * (who may reply, resolve, edit or delete changes with it); a thread no longer visible is removed.
   */
  applyEvent(thread: Thread): void {
    if (thread.documentId !== this.documentId) return;
    api
      .thread(thread.id)
      .then((fresh) => this.upsert(fresh))
      .catch((err: unknown) => {
        if (err instanceof ApiRequestError && err.status === 404) this.remove(thread.id);
      });
  }

}
