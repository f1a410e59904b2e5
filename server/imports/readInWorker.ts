import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DocxReadError } from './docxErrors.js';
import type { DocxContent } from './docxReader.js';
import type { DocxWorkerAnswer } from './docxWorker.js';
import { IMPORT_LIMITS } from './importLimits.js';

// The worker's entry is TypeScript, like the rest of the server, which runs under tsx (`npm start`,
// `npm run dev`) or vitest. A worker does not inherit the parent's loader reliably (Node 20 registers
// `--import` hooks after the entry starts loading), so a small script registers tsx first, then imports it.
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
const ENTRY = new URL('./docxWorker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY)}); });`;

/** An idle worker is stopped after this long, giving its memory back. */
const IDLE_MS = 60_000;

interface PooledWorker {
  worker: Worker;
  idleTimer: NodeJS.Timeout | null;
}

let nextId = 1;
let running = 0;
const waiting: (() => void)[] = [];
/** Started workers not reading anything: starting one costs a second or two (tsx), so they are kept. */
const idle: PooledWorker[] = [];

async function slot(): Promise<() => void> {
  if (running >= IMPORT_LIMITS.concurrentReads) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

function startWorker(): PooledWorker {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: IMPORT_LIMITS.workerHeapMb, maxYoungGenerationSizeMb: 32 },
    stdout: false,
    stderr: false,
  });
  worker.unref();
  return { worker, idleTimer: null };
}

function takeWorker(): PooledWorker {
  const pooled = idle.pop() ?? startWorker();
  if (pooled.idleTimer) clearTimeout(pooled.idleTimer);
  pooled.idleTimer = null;
  return pooled;
}

function giveBack(pooled: PooledWorker): void {
  pooled.idleTimer = setTimeout(() => {
    idle.splice(idle.indexOf(pooled), 1);
    void pooled.worker.terminate();
  }, IDLE_MS);
  pooled.idleTimer.unref();
  idle.push(pooled);
}

/**
 * Reads a Word file in a worker thread with a bounded heap and a time limit: a zip bomb or a
 * pathological XML costs that thread, which is then terminated, never the event loop. At most
 * IMPORT_LIMITS.concurrentReads files are read at once; the others wait their turn.
 */
export async function readDocxInWorker(bytes: Uint8Array, timeoutMs: number): Promise<DocxContent> {
  const release = await slot();
  try {
    return await read(bytes, timeoutMs);
  } finally {
    release();
  }
}

function read(bytes: Uint8Array, timeoutMs: number): Promise<DocxContent> {
  const pooled = takeWorker();
  const { worker } = pooled;
  const id = nextId++;
  return new Promise<DocxContent>((resolve, reject) => {
    let settled = false;
    const cleanUp = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    // A worker that failed or overran is never reused: what it holds or does is unknown.
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      cleanUp();
      void worker.terminate();
      reject(error);
    };
    const onMessage = (answer: DocxWorkerAnswer) => {
      if (settled || answer.id !== id) return;
      settled = true;
      cleanUp();
      giveBack(pooled);
      if (answer.ok) resolve({ paragraphs: answer.paragraphs, comments: answer.comments });
      else reject(new DocxReadError(answer.status, answer.message));
    };
    const onError = (err: Error & { code?: string }) =>
      fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DocxReadError(413, 'The Word file needs too much memory to read; it cannot be imported.')
          : err,
      );
    const onExit = (code: number) => fail(new Error(`the Word import worker stopped (exit code ${code})`));
    const timer = setTimeout(
      () =>
        fail(
          new DocxReadError(413, `The Word file took more than ${timeoutMs / 1000} s to read; it cannot be imported.`),
        ),
      timeoutMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, bytes });
  });
}
