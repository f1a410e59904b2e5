import type { SuggestionAttrs } from '../shared/suggestions.js';

/** Messages between the bench (main thread) and its client workers. */

export interface WorkerClient {
  /** Index of the client in the run (0 … N−1). */
  index: number;
  token: string | null;
  /** The server this client talks to, when not the pool's (bench:cluster). */
  wsBase?: string;
  /** Writer number (0 … W−1), or −1 for a client that only receives. */
  writer: number;
  /** What the writer's typing is marked with: a suggestion of its group, as in a real consultation. */
  suggestAs: SuggestionAttrs | null;
}

export interface WorkerInit {
  workerIndex: number;
  wsBase: string;
  room: string;
  clients: WorkerClient[];
  /** Edits in the run; edit k is made by writer k mod writers. */
  edits: number;
  writers: number;
  /** Shared counters, COUNTER_SLOTS per worker. */
  counters: SharedArrayBuffer;
}

/** Slots of the shared Int32Array, per worker. */
export const Counter = { Receipts: 0, Frames: 1, Synced: 2, Closes: 3 } as const;
export const COUNTER_SLOTS = 4;

export type ToWorker =
  | { type: 'connect' }
  | { type: 'edit'; t0: number; rateHz: number }
  | { type: 'editEnd' }
  | { type: 'renew' }
  | { type: 'report' }
  | { type: 'close' };

export interface WorkerReport {
  type: 'report';
  workerIndex: number;
  /** Send time (ms, shared clock) of each edit made by a writer of this worker; NaN elsewhere. */
  sendTimes: Float64Array;
  /** Receive time of edit k at local client c at [c * edits + k]; 0 when never received. */
  receiveTimes: Float64Array;
  /** Index in the run of each local client, in the order of receiveTimes. */
  clientIndexes: number[];
  /** Per client: hash of the section's text and state vector at the end. */
  hashes: string[];
  /** Per client: markers found in the final text. */
  markerCounts: number[];
  /** Event-loop utilisation of this worker between `edit` and `editEnd`. */
  editElu: number;
}

export type FromWorker =
  | { type: 'ready'; workerIndex: number }
  | { type: 'synced'; workerIndex: number; at: number }
  | { type: 'edited'; workerIndex: number; sent: number }
  | { type: 'renewed'; workerIndex: number; at: number }
  | WorkerReport
  | { type: 'error'; workerIndex: number; message: string };
