import { type ThreadActor, visibleThreads } from '../policies/threads.js';
import type { AppServices } from '../services.js';

/** Per section, the comments the reader may see and has not read (zeros included for `sectionIds`). */
export async function unreadBySection(
  services: Pick<AppServices, 'store'>,
  reader: ThreadActor,
  documentId: string,
  sectionIds: readonly string[],
): Promise<Record<string, number>> {
  const { store } = services;
  const visible = new Set(visibleThreads(reader, await store.threads.listByDocument(documentId)).map((t) => t.id));
  const counts: Record<string, number> = Object.fromEntries(sectionIds.map((id) => [id, 0]));
  for (const unread of await store.threads.unreadComments(reader.id, documentId)) {
    if (visible.has(unread.threadId)) counts[unread.sectionId] = (counts[unread.sectionId] ?? 0) + 1;
  }
  return counts;
}
