import { Worker } from 'node:worker_threads';
import type { ServerReady } from './childProtocol.js';
import { COUNTER_SLOTS, Counter, type FromWorker, type ToWorker, type WorkerInit } from './workerProtocol.js';

type Of<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/**
 * Starts a worker running bench/clientWorker.ts. Workers do not inherit tsx's loader, so a two-line
 * bootstrap registers it there before importing the TypeScript module.
 */
function startWorker(init: WorkerInit): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const file = new URL('./clientWorker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`;
  return new Worker(code, { eval: true, workerData: init });
}

/** The stock clients of one run, spread round-robin over worker threads. */
export class ClientPool {
  readonly counters: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly listeners = new Set<(m: FromWorker) => void>();
  private failure: Error | null = null;

  constructor(ready: ServerReady, workerCount: number, edits: number, writers: number) {
    const shared = new SharedArrayBuffer(workerCount * COUNTER_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.counters = new Int32Array(shared);
    for (let w = 0; w < workerCount; w++) {
      const clients = ready.clients
        .map((c, index) => ({
          index,
          token: c.token,
          ...(c.wsBase ? { wsBase: c.wsBase } : {}),
          writer: index < writers ? index : -1,
          // The bare server gets the same kind of updates, with attributes of no real user.
          suggestAs:
            index < writers
              ? (c.suggestAs ?? { id: `bench${String(index).padStart(6, '0')}`, by: 'workers', author: `bench-${index}` })
              : null,
        }))
        .filter((c) => c.index % workerCount === w);
      const worker = startWorker({
        workerIndex: w,
        wsBase: ready.wsBase,
        room: ready.room,
        clients,
        edits,
        writers,
        counters: shared,
      });
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'error') this.fail(new Error(`worker ${m.workerIndex}: ${m.message}`));
        for (const l of this.listeners) l(m);
      });
      worker.on('error', (err) => this.fail(err));
      this.workers.push(worker);
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const l of this.listeners) l({ type: 'error', workerIndex: -1, message: err.message });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Resolves with one message of `type` from every worker; register before sending the command. */
  collect<T extends FromWorker['type']>(type: T, timeoutMs: number): Promise<Of<T>[]> {
    return new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      const got = new Map<number, Of<T>>();
      const done = (err: Error | null) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (err) reject(err);
        else resolve([...got.values()]);
      };
      const timer = setTimeout(
        () => done(new Error(`timed out waiting for "${type}" (${got.size}/${this.workers.length} workers)`)),
        timeoutMs,
      );
      const listener = (m: FromWorker) => {
        if (m.type === 'error') {
          done(this.failure ?? new Error(m.message));
          return;
        }
        if (m.type !== type) return;
        got.set(m.workerIndex, m as Of<T>);
        if (got.size === this.workers.length) done(null);
      };
      this.listeners.add(listener);
    });
  }

  send(message: ToWorker): void {
    for (const w of this.workers) w.postMessage(message);
  }

  total(slot: number): number {
    let sum = 0;
    for (let w = 0; w < this.workers.length; w++) sum += Atomics.load(this.counters, w * COUNTER_SLOTS + slot);
    return sum;
  }

  get receipts(): number {
    return this.total(Counter.Receipts);
  }

  get frames(): number {
    return this.total(Counter.Frames);
  }

  get closes(): number {
    return this.total(Counter.Closes);
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
