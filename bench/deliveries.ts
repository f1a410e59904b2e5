import type { ClientPool } from './clientPool.js';
import type { WorkerReport } from './workerProtocol.js';

/**
 * What the client workers measured of one edit phase, read the same way by `npm run bench` and
 * `npm run bench:cluster`: when each edit was sent, when each client received it, and where every
 * client's copy of the section ended.
 */
export interface EditReports {
  reports: WorkerReport[];
  /** Send time of edit k (shared clock); NaN for an edit that was never sent. */
  sendTimes: Float64Array;
  /** The edits that were sent. */
  sentKs: number[];
}

/** Asks every worker for its report of the edit phase and merges the send times of all writers. */
export async function collectReports(pool: ClientPool, edits: number): Promise<EditReports> {
  const reportsP = pool.collect('report', 60_000);
  pool.send({ type: 'report' });
  const reports = await reportsP;
  const sendTimes = new Float64Array(edits).fill(Number.NaN);
  for (const r of reports) {
    r.sendTimes.forEach((t, k) => {
      if (!Number.isNaN(t)) sendTimes[k] = t;
    });
  }
  const sentKs = [...sendTimes.keys()].filter((k) => !Number.isNaN(sendTimes[k] as number));
  return { reports, sendTimes, sentKs };
}

/**
 * Visits every delivery of a sent edit to a client other than its writer (edit k is written by client
 * k mod `writers`) with its latency in ms; counts those received and those never received.
 */
export function walkDeliveries(
  { reports, sendTimes }: EditReports,
  writers: number,
  visit: (k: number, clientIndex: number, latencyMs: number) => void,
): { received: number; missing: number } {
  const edits = sendTimes.length;
  let received = 0;
  let missing = 0;
  for (const r of reports) {
    r.clientIndexes.forEach((clientIndex, slot) => {
      for (let k = 0; k < edits; k++) {
        const st = sendTimes[k] as number;
        if (Number.isNaN(st) || k % writers === clientIndex) continue; // not sent, or this client wrote it
        const rt = r.receiveTimes[slot * edits + k] as number;
        if (rt === 0) {
          missing++;
          continue;
        }
        received++;
        visit(k, clientIndex, rt - st);
      }
    });
  }
  return { received, missing };
}

/** Whether all `n` clients ended with the same section (text and state vector). */
export function docsConverged({ reports }: EditReports, n: number): boolean {
  const hashes = reports.flatMap((r) => r.hashes);
  return hashes.length === n && hashes.every((h) => h === hashes[0]);
}
