import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread with its own connection to the same file: SQLite lets any connection
// checkpoint the write-ahead log, and doing it here keeps the copy and its fsync off the event loop
// that relays updates.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage('closed');
});
`;

/**
 * Checkpoints a WAL database in the background. The main connection turns automatic checkpoints off,
 * so that no update's commit pays for one; this thread keeps the log short instead.
 */
export class BackgroundCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, intervalMs = 2000) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, intervalMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage('stop');
    await closed;
    await this.worker.terminate();
  }
}
