/**
 * `npm run bench:cluster`: the collaboration workload of `npm run bench` (stock y-websocket clients,
 * W writers typing suggestions at `rate` edits/s) on THREE Concord processes with clients spread over
 * them, against ONE process — both on PostgreSQL + Redis (TEST_DATABASE_URL, TEST_REDIS_URL; each run
 * gets a fresh database and key prefix through tests/support/cluster.ts). Reports server CPU per
 * delivered update (all processes' CPU together) and first-receiver latency, overall and for receivers
 * on another process than the writer. One JSON line per run, a summary line; progress on stderr.
 *
 *   npm run bench:cluster                         N = 100, 5 writers, 20 edits/s for 10 s, 2 pairs
 *   npm run bench:cluster -- --n=200 --pairs=3 --duration=8
 */
import { availableParallelism } from 'node:os';
import { Sessions } from '../server/auth/sessions.js';
import { importDocument } from '../server/commands/importDocument.js';
import { COLLAB_PATH } from '../shared/limits.js';
import { newSuggestionId, ownerKeyOf } from '../shared/suggestions.js';
import { type TestCluster, startCluster } from '../tests/support/cluster.js';
import { buildUser } from '../tests/support/fixtures.js';
import { BENCH_DOCUMENT_ID, BENCH_SECTION_ID, benchDocument } from './benchDocument.js';
import type { ServerReady } from './childProtocol.js';
import { ClientPool } from './clientPool.js';
import { collectReports, docsConverged, walkDeliveries } from './deliveries.js';
import { nowMs } from './clock.js';
import { processCpuUs } from './procStat.js';
import { round, summarise } from './stats.js';

const log = (m: string) => process.stderr.write(`[bench:cluster] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function option(name: string, fallback: number): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = Number(flag ? flag.slice(name.length + 3) : fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const N = Math.floor(option('n', 100));
const W = Math.floor(option('writers', 5));
const RATE = option('rate', 20);
const DURATION_S = option('duration', 10);
const PAIRS = Math.floor(option('pairs', 2));
const WORKERS = Math.floor(option('workers', Math.max(1, availableParallelism())));

interface Result {
  processes: number;
  cpuPerDeliveryUs: number | null;
  firstReceiverP99Ms: number;
  crossFirstReceiverP99Ms: number | null;
  ok: boolean;
}

async function seed(cluster: TestCluster): Promise<ServerReady['clients']> {
  const store = cluster.store;
  await importDocument(store, benchDocument());
  const sessions = new Sessions(store, 3600_000, false);
  const clients: ServerReady['clients'] = [];
  for (let i = 0; i < N; i++) {
    const role = i < W ? 'delegate' : 'observer';
    const user = await buildUser(store, {
      username: `bench-${i}`,
      name: `${role === 'delegate' ? 'Délégué' : 'Observateur'} ${i}`,
      role,
      group: role === 'delegate' ? (['government', 'employers', 'workers'] as const)[i % 3] : null,
    });
    const { token } = await sessions.create(user.id);
    const process = cluster.processes[i % cluster.processes.length];
    if (!process) throw new Error('no process');
    const suggestAs = role === 'delegate' ? { id: newSuggestionId(), by: ownerKeyOf(user), author: user.id } : undefined;
    clients.push({
      token,
      role,
      wsBase: `ws://127.0.0.1:${process.port}${COLLAB_PATH}`,
      ...(suggestAs ? { suggestAs } : {}),
    });
  }
  return clients;
}

async function runOne(processes: number): Promise<Result> {
  log(`${processes} process(es), N=${N}: starting`);
  const cluster = await startCluster({ processes, env: { CONCORD_LOG_LEVEL: 'warn' } });
  try {
    const clients = await seed(cluster);
    const first = cluster.processes[0];
    if (!first) throw new Error('no process');
    const ready: ServerReady = {
      port: first.port,
      wsBase: `ws://127.0.0.1:${first.port}${COLLAB_PATH}`,
      room: `${BENCH_DOCUMENT_ID}/${BENCH_SECTION_ID}`,
      clients,
    };
    const pids = cluster.processes.map((p) => p.child?.pid ?? 0);
    const cpu = () => pids.reduce((sum, pid) => sum + processCpuUs(pid), 0);
    const edits = Math.round(RATE * DURATION_S);
    const pool = new ClientPool(ready, Math.min(WORKERS, N), edits, W);
    try {
      await pool.collect('ready', 30_000);
      const synced = pool.collect('synced', 180_000);
      pool.send({ type: 'connect' });
      await synced;
      await sleep(2000);

      const cpu0 = cpu();
      const wall0 = nowMs();
      const editedP = pool.collect('edited', DURATION_S * 1000 + 30_000);
      pool.send({ type: 'edit', t0: wall0 + 50, rateHz: RATE });
      const edited = await editedP;
      const sent = edited.reduce((s, e) => s + e.sent, 0);
      const expected = sent * (N - 1);
      const deadline = nowMs() + 20_000;
      while (pool.receipts < expected && nowMs() < deadline) await sleep(10);
      const serverCpuUs = cpu() - cpu0;
      pool.send({ type: 'editEnd' });

      const measured = await collectReports(pool, edits);
      const { sentKs } = measured;
      const firstAny = new Float64Array(edits).fill(Number.POSITIVE_INFINITY);
      const firstCross = new Float64Array(edits).fill(Number.POSITIVE_INFINITY);
      const { received, missing } = walkDeliveries(measured, W, (k, clientIndex, lat) => {
        if (lat < (firstAny[k] as number)) firstAny[k] = lat;
        // Writer w is client w, on process w mod P; this receiver is on process clientIndex mod P.
        if ((k % W) % processes !== clientIndex % processes && lat < (firstCross[k] as number)) firstCross[k] = lat;
      });
      const anySummary = summarise(sentKs.map((k) => firstAny[k] as number).filter(Number.isFinite), 2);
      const crossSamples = sentKs.map((k) => firstCross[k] as number).filter(Number.isFinite);
      const crossSummary = crossSamples.length > 0 ? summarise(crossSamples, 2) : null;
      const docsEqual = docsConverged(measured, N);
      const line = {
        bench: 'cluster',
        processes,
        n: N,
        writers: W,
        rateHz: RATE,
        durationS: DURATION_S,
        edits: sent,
        deliveries: { expected, received, missing },
        docsEqual,
        serverCpuMs: round(serverCpuUs / 1000, 1),
        serverCpuPerDeliveryUs: received > 0 ? round(serverCpuUs / received, 2) : null,
        latencyMs: { firstReceiver: anySummary, crossProcessFirstReceiver: crossSummary },
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      return {
        processes,
        cpuPerDeliveryUs: line.serverCpuPerDeliveryUs,
        firstReceiverP99Ms: anySummary.p99,
        crossFirstReceiverP99Ms: crossSummary?.p99 ?? null,
        ok: missing === 0 && docsEqual,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await cluster.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : (sorted[Math.floor(sorted.length / 2)] as number);
};

async function main(): Promise<void> {
  if (!process.env.TEST_DATABASE_URL || !process.env.TEST_REDIS_URL) {
    throw new Error('bench:cluster needs TEST_DATABASE_URL and TEST_REDIS_URL (a PostgreSQL server and a Redis)');
  }
  const results: Result[] = [];
  // Alternating pairs: the machine's background load falls on both sides alike.
  for (let pair = 0; pair < PAIRS; pair++) {
    results.push(await runOne(1));
    results.push(await runOne(3));
  }
  const of = (p: number) => results.filter((r) => r.processes === p);
  const cpu1 = median(of(1).flatMap((r) => (r.cpuPerDeliveryUs === null ? [] : [r.cpuPerDeliveryUs])));
  const cpu3 = median(of(3).flatMap((r) => (r.cpuPerDeliveryUs === null ? [] : [r.cpuPerDeliveryUs])));
  const summary = {
    bench: 'cluster-summary',
    n: N,
    pairs: PAIRS,
    cpuPerDeliveryUs: { oneProcess: cpu1, threeProcesses: cpu3 },
    cpuRatio: cpu1 && cpu3 ? round(cpu3 / cpu1, 2) : null,
    firstReceiverP99Ms: {
      oneProcess: median(of(1).map((r) => r.firstReceiverP99Ms)),
      threeProcesses: median(of(3).map((r) => r.firstReceiverP99Ms)),
      threeProcessesCrossProcess: median(of(3).flatMap((r) => (r.crossFirstReceiverP99Ms === null ? [] : [r.crossFirstReceiverP99Ms]))),
    },
    allConverged: results.every((r) => r.ok),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
