import { ServerEvent } from '../../shared/events.js';
import type { Thread } from '../../shared/threads.js';
import { presentThread } from '../presenters/thread.js';
import type { LiveEvents } from './socketServer.js';

/**
 * Pushes a thread to exactly those who may see it (see `whyCannotSeeThread`): a public thread to the
 * whole document, a group-only thread to its group's room and the Office's room only — so it never
 * reaches another group's sockets. A group-only thread of the Office (group null) goes to the Office.
 */
export function publishThreadChanged(events: LiveEvents, thread: Thread): void {
  const payload = { thread: presentThread(thread) };
  if (thread.visibility === 'all') events.toDocument(thread.documentId, ServerEvent.ThreadChanged, payload);
  // A delegation's or a regional group's circle has a room of its own (policies/realtime.ts).
  else if (thread.circle) events.toGroup(thread.documentId, thread.circle, ServerEvent.ThreadChanged, payload);
  else events.toGroup(thread.documentId, thread.group, ServerEvent.ThreadChanged, payload);
}
