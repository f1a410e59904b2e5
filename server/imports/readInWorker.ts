import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ImportReadError } from './readErrors.js';
import type { DocxContent } from './docxReader.js';
import type { ImportedDocument } from '../../shared/document.js';
import type { ImportWorkerAnswer, ImportWorkerRequest } from './importWorker.js';
import { IMPORT_LIMITS } from './importLimits.js';

// The worker's entry is TypeScript, like the rest of the server, which runs under tsx (`npm start`,
// `npm run dev`) or vitest. A worker does not inherit the parent's loader reliably (Node 20 registers
// `--import` hooks after the entry starts loading), so a small script registers tsx first, then imports it.
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
const ENTRY = new URL('./importWorker.ts', import.meta.url).href;
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

/** Distributes Omit over a union: each request kind keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Success = Extract<ImportWorkerAnswer, { ok: true }>;

/**
 * Reads a Word file in a worker thread with a bounded heap and a time limit: a zip bomb or a
 * pathological XML costs that thread, which is then terminated, never the event loop. At most
 * IMPORT_LIMITS.concurrentReads files are read at once; the others wait their turn.
 */
export async function readDocxInWorker(bytes: Uint8Array, timeoutMs: number): Promise<DocxContent> {
  const answer = await inWorker({ kind: 'docx', bytes }, timeoutMs, 'The Word file');
  if (answer.kind !== 'docx') throw new Error('the import worker answered another question');
  return { paragraphs: answer.paragraphs, comments: answer.comments };
}

/**
 * Reads the pasted text of a GB document in a worker thread, under the same limits as a Word file: the
 * text is the sender's, up to 900,000 characters of any shape, and reading it must not hold the event
 * loop that every delegate's edits go through. What cannot be read is a ImportReadError (400 or 413).
 */
export async function readGbTextInWorker(
  text: string,
  language: 'fr' | 'en' | 'es' | undefined,
  timeoutMs: number,
): Promise<ImportedDocument> {
  const answer = await inWorker({ kind: 'gbText', text, language }, timeoutMs, 'The text');
  if (answer.kind !== 'gbText') throw new Error('the import worker answered another question');
  return answer.document;
}

async function inWorker(request: WithoutId<ImportWorkerRequest>, timeoutMs: number, what: string): Promise<Success> {
  const release = await slot();
  try {
    return await read(request, timeoutMs, what);
  } finally {
    release();
  }
}

function read(request: WithoutId<ImportWorkerRequest>, timeoutMs: number, what: string): Promise<Success> {
  const pooled = takeWorker();
  const { worker } = pooled;
  const id = nextId++;
  return new Promise<Success>((resolve, reject) => {
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
    const onMessage = (answer: ImportWorkerAnswer) => {
      if (settled || answer.id !== id) return;
      settled = true;
      cleanUp();
      giveBack(pooled);
      if (answer.ok) resolve(answer);
      else reject(new ImportReadError(answer.status, answer.message));
    };
    const onError = (err: Error & { code?: string }) =>
      fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ImportReadError(413, `${what} needs too much memory to read; it cannot be imported.`)
          : err,
      );
    const onExit = (code: number) => fail(new Error(`the import worker stopped (exit code ${code})`));
    const timer = setTimeout(
      () =>
        fail(new ImportReadError(413, `${what} took more than ${timeoutMs / 1000} s to read; it cannot be imported.`)),
      timeoutMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ ...request, id } as ImportWorkerRequest);
  });
}
