/**
 * `npm run bench:commit`: the store's commit path on PostgreSQL with many sections at once, each step
 * committed alone (as before group commit) against group commit (server/storage/kysely/groupCommit.ts),
 * in alternating runs on fresh databases (TEST_DATABASE_URL names the server).
 *
 * Each of S sections is owned by this process and receives steps as a room makes them: the fenced
 * append of a ~60-byte update and one audit line, in one transaction marked `groupCommit`. A section
 * commits one step at a time (its room waits for the commit); steps arrive at `rate` per section and
 * second (open loop: latency counts the wait in the section's queue), or back to back with --rate=0.
 * Reports commits/s and commit latency (arrival to committed) p50/p99 per run, then medians per mode.
 *
 *   npm run bench:commit                                  50 sections, 20 steps/s each, 5 s, 3 runs each
 *   npm run bench:commit -- --sections=100 --rate=0 --runs=3
 */
import { DEFAULT_GROUP_COMMIT, type GroupCommitOptions } from '../server/storage/kysely/groupCommit.js';
import { PostgresStore } from '../server/storage/postgresStore.js';
import type { SectionFence } from '../server/storage/sectionFence.js';
import { createTestDatabase } from '../tests/support/postgres.js';
import { nowMs } from './clock.js';
import { round, summarise } from './stats.js';

const log = (m: string) => process.stderr.write(`[bench:commit] ${m}\n`);

function option(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = Number(flag ? flag.slice(name.length + 3) : fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return value;
}

const SECTIONS = Math.floor(option('sections', 50));
const RATE = option('rate', 20);
const DURATION_S = option('duration', 5);
const RUNS = Math.floor(option('runs', 3));
const WINDOW_MS = option('window', DEFAULT_GROUP_COMMIT.windowMs);
const IN_FLIGHT = Math.max(1, Math.floor(option('inflight', DEFAULT_GROUP_COMMIT.maxInFlight)));
const MAX_STEPS = Math.max(1, Math.floor(option('max', DEFAULT_GROUP_COMMIT.maxSteps)));
const D = 'bench-doc';
const UPDATE = new Uint8Array(60).fill(7);

interface Run {
  mode: 'alone' | 'grouped';
  commitsPerS: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  batches: number | null;
}

/** One database for every run (a CREATE DATABASE forces a checkpoint: noise), fresh sections per run. */
const db = await createTestDatabase();
let runNumber = 0;

async function run(mode: Run['mode']): Promise<Run> {
  const prefix = `r${runNumber++}-`;
  const groupCommit: GroupCommitOptions | null =
    mode === 'grouped' ? { windowMs: WINDOW_MS, maxSteps: MAX_STEPS, maxInFlight: IN_FLIGHT } : null;
  const store = new PostgresStore(db.url, { groupCommit });
  try {
    await store.ready;
    const fences: SectionFence[] = [];
    for (let s = 0; s < SECTIONS; s++) {
      const taken = await store.ownership.takeOver(D, `${prefix}s${s}`, 'bench', 600_000);
      if (!taken.ok) throw new Error('not taken');
      fences.push(taken.fence);
    }
    const latencies: number[] = [];
    let failed = 0;
    const end = nowMs() + DURATION_S * 1000;
    const started = nowMs();
    // The first half second (connections opening, plans made) is not counted.
    const measureFrom = started + 500;
    const before = store.groupCommitStats()?.batches ?? null;
    const section = async (s: number) => {
      const fence = fences[s] as SectionFence;
      const interval = RATE > 0 ? 1000 / RATE : 0;
      // Spread the sections' first arrivals over one interval, as independent typists would be.
      let next = started + (interval * s) / SECTIONS;
      while (next < end) {
        const now = nowMs();
        if (next > now) await new Promise((r) => setTimeout(r, next - now));
        const arrived = RATE > 0 ? next : nowMs();
        try {
          const head = await store.transaction(
            async (tx) => {
              const moved = await tx.ownership.append(D, `${prefix}s${s}`, fence, UPDATE);
              // What a typed step writes besides its update (a record's line), in the same transaction.
              await tx.audit.append({
                at: Date.now(),
                userId: 'bench',
                userName: 'Bench',
                role: 'delegate',
                action: 'bench.step',
                documentId: D,
                targetType: 'amendment',
                targetId: `${prefix}s${s}`,
                targetRef: null,
                details: {},
                via: 'collab',
                ip: null,
                userAgent: null,
              });
              return moved;
            },
            { groupCommit: true },
          );
          fence.seq = head.seq;
          if (arrived >= measureFrom) latencies.push(nowMs() - arrived);
        } catch (err) {
          failed++;
          if (failed === 1) log(`step failed: ${String(err)}`);
        }
        next = RATE > 0 ? next + interval : nowMs();
      }
    };
    await Promise.all(Array.from({ length: SECTIONS }, (_, s) => section(s)));
    const elapsedS = (nowMs() - measureFrom) / 1000;
    const summary = summarise(latencies);
    const after = store.groupCommitStats()?.batches ?? null;
    return {
      mode,
      commitsPerS: round(latencies.length / elapsedS, 0),
      p50Ms: summary.p50,
      p99Ms: summary.p99,
      failed,
      batches: before === null || after === null ? null : after - before,
    };
  } finally {
    await store.close();
  }
}

if (!process.env.TEST_DATABASE_URL) throw new Error('bench:commit needs TEST_DATABASE_URL (a PostgreSQL server)');
log(
  `${SECTIONS} sections, ${RATE > 0 ? `${RATE} steps/s each` : 'back to back'}, ${DURATION_S} s, ${RUNS} runs per mode; ` +
    `grouped: window ${WINDOW_MS} ms, ≤ ${MAX_STEPS} steps, ${IN_FLIGHT} batches at once`,
);
const results: Run[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    // Alternating, and which goes first alternates too: the machine is shared and its load drifts.
    const order: Run['mode'][] = i % 2 === 0 ? ['alone', 'grouped'] : ['grouped', 'alone'];
    for (const mode of order) {
      const r = await run(mode);
      results.push(r);
      console.log(JSON.stringify(r));
    }
  }
} finally {
  await db.drop();
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] as number;
};
for (const mode of ['alone', 'grouped'] as const) {
  const of = results.filter((r) => r.mode === mode);
  console.log(
    JSON.stringify({
      summary: mode,
      commitsPerS: median(of.map((r) => r.commitsPerS)),
      p50Ms: median(of.map((r) => r.p50Ms)),
      p99Ms: median(of.map((r) => r.p99Ms)),
    }),
  );
}
