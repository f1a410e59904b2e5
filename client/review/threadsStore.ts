import { z } from 'zod';
import { api } from '../api/client';
import { RecordStore } from './recordStore';
import { type ThreadRecord, ThreadSchema, listOf, oneOf } from './schemas';

const RemovedPayload = z.object({ threadId: z.string(), documentId: z.string().optional() });

/** The open document's comment threads the user may see: GET once, then `thread:changed` / `thread:removed`. */
export class ThreadsStore extends RecordStore<ThreadRecord> {
  constructor(documentId: string) {
    super(documentId, (a, b) => (a.paragraph ?? Number.MAX_SAFE_INTEGER) - (b.paragraph ?? Number.MAX_SAFE_INTEGER) || a.createdAt - b.createdAt);
  }

  async load(): Promise<void> {
    try {
      this.replaceAll(listOf(ThreadSchema, 'threads', await api.threads(this.documentId)));
    } catch {
      this.failed();
    }
  }

  applyRaw(payload: unknown): ThreadRecord | null {
    const thread = oneOf(ThreadSchema, 'thread', payload);
    if (thread) this.upsert(thread);
    return thread;
  }

  applyRemoved(payload: unknown): void {
    const parsed = RemovedPayload.safeParse(payload);
    if (!parsed.success) return;
    if (parsed.data.documentId && parsed.data.documentId !== this.documentId) return;
    this.remove(parsed.data.threadId);
  }
}
