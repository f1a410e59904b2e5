/**
 * Diagnosis only (BENCH_TRACE=1): times, inside the Concord process, what each relayed update costs —
 * from the message reaching CollabConnection.handle to the first and the last frame handed to ws, and
 * the store's append — and prints a summary to stderr when the process ends. Wraps prototypes in this
 * process only; the server's code is unchanged.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { CollabConnection } from '../server/collab/CollabConnection.js';
import { Room } from '../server/collab/Room.js';
import type { Store } from '../server/storage/Store.js';
import { summarise } from './stats.js';

const toFirstSend: number[] = [];
const toLastSend: number[] = [];
const append: number[] = [];
const guardAndQueue: number[] = [];
const slowAppends: { atMs: number; ms: number }[] = [];
const gc = new Map<number, { count: number; totalMs: number; maxMs: number }>();
let pendingAt = Number.NaN;
let firstSendAt = Number.NaN;

export function installTrace(store: Store): void {
  const handle = CollabConnection.prototype.handle;
  CollabConnection.prototype.handle = function (this: CollabConnection, data: Uint8Array): void {
    // Sync update messages only: [0 = sync, 2 = update, …].
    if (data[0] === 0 && data[1] === 2) pendingAt = performance.now();
    handle.call(this, data);
  };
  const send = CollabConnection.prototype.send;
  CollabConnection.prototype.send = function (this: CollabConnection, message: Uint8Array): void {
    if (!Number.isNaN(pendingAt) && Number.isNaN(firstSendAt) && message[0] === 0 && message[1] === 2) {
      firstSendAt = performance.now();
    }
    send.call(this, message);
  };
  const proto = Room.prototype as unknown as { relay: (update: Uint8Array, origin: unknown) => void };
  const relay = proto.relay;
  proto.relay = function (this: Room, update: Uint8Array, origin: unknown): void {
    const start = performance.now();
    relay.call(this, update, origin);
    if (!Number.isNaN(pendingAt) && origin !== 'load') {
      const end = performance.now();
      guardAndQueue.push(start - pendingAt);
      toFirstSend.push((Number.isNaN(firstSendAt) ? end : firstSendAt) - pendingAt);
      toLastSend.push(end - pendingAt);
      pendingAt = Number.NaN;
      firstSendAt = Number.NaN;
    }
  };
  const appendUpdate = store.appendUpdate.bind(store);
  store.appendUpdate = async (documentId, sectionId, update) => {
    const start = performance.now();
    const seq = await appendUpdate(documentId, sectionId, update);
    const ms = performance.now() - start;
    append.push(ms);
    if (ms > 1) slowAppends.push({ atMs: Math.round(start), ms: Math.round(ms * 1000) / 1000 });
    return seq;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1;
      const g = gc.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
      g.count++;
      g.totalMs += entry.duration;
      g.maxMs = Math.max(g.maxMs, entry.duration);
      gc.set(kind, g);
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('exit', () => {
    process.stderr.write(
      `[trace] ${JSON.stringify({
        updates: toLastSend.length,
        messageToRelayMs: summarise(guardAndQueue, 3),
        appendUpdateMs: summarise(append, 3),
        messageToFirstSendMs: summarise(toFirstSend, 3),
        messageToLastSendMs: summarise(toLastSend, 3),
        slowAppends,
        gcByKind: Object.fromEntries(gc),
      })}\n`,
    );
  });
}
