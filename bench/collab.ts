/**
 * `npm run bench`: Concord's collaboration server against the bare @y/websocket-server 0.1.1, with the
 * same stock y-websocket clients and the same workload, in the same run. Prints one JSON line per
 * (server, N) and a summary line with the ratios. Progress goes to stderr.
 *
 *   npm run bench                      N = 50, 200, 500; 5 writers; 20 edits/s for 10 s; 5 pairs per N
 *   npm run bench -- --quick           N = 50, 5 s, one pair: a smoke test
 *   npm run bench -- --pairs=7         7 concord/bare pairs per N (alternating which runs first)
 *   npm run bench -- --n=100,300 --writers=5 --rate=40 --duration=8 --workers=2 --servers=concord
 *   (or BENCH_PAIRS, BENCH_N, BENCH_WRITERS, BENCH_RATE, BENCH_DURATION, BENCH_WORKERS, BENCH_SERVERS)
 */
import { availableParallelism } from 'node:os';
import { sectionUpdateFromContent } from '../server/commands/importDocument.js';
import { benchDocument } from './benchDocument.js';
import { ClientPool } from './clientPool.js';
import { collectReports, docsConverged, walkDeliveries } from './deliveries.js';
import { nowMs } from './clock.js';
import { processCpuUs, processRss, processTicksUs } from './procStat.js';
import { type ServerKind, killAllChildren, startServerProcess } from './serverProcess.js';
import { type Summary, round, summarise } from './stats.js';

interface Options {
  ns: number[];
  writers: number;
  rateHz: number;
  durationS: number;
  workers: number;
  servers: ServerKind[];
  presence: boolean;
  /** Concord/bare pairs per N, alternating which runs first; ratios are the median over pairs. */
  pairs: number;
  /** The whole run is killed past this, whatever happens. */
  deadlineS: number;
}

function parseOptions(argv: string[]): Options {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m?.[1]) flags.set(m[1], m[2] ?? 'true');
  }
  const quick = flags.has('quick');
  const get = (flag: string, env: string, fallback: string): string => flags.get(flag) ?? process.env[env] ?? fallback;
  const num = (flag: string, env: string, fallback: number): number => {
    const v = Number(get(flag, env, String(fallback)));
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${flag} must be a positive number`);
    return v;
  };
  const ns = get('n', 'BENCH_N', quick ? '50' : '50,200,500')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1);
  const servers = get('servers', 'BENCH_SERVERS', 'concord,bare')
    .split(',')
    .filter((s): s is ServerKind => s === 'concord' || s === 'bare');
  // Five writers, one per paragraph (the bench section has eight): with more, two groups type at the
  // end of one paragraph at once, and the guard refuses the one whose words land inside the other's (an
  // honest race, as the handbook says) — the refused client is stuck until it reconnects, its later
  // edits never arrive, and the run measures that recovery instead of the hot path.
  const writers = Math.floor(num('writers', 'BENCH_WRITERS', 5));
  if (ns.length === 0 || servers.length === 0) throw new Error('nothing to run: check --n and --servers');
  if (ns.some((n) => n <= writers)) throw new Error('every N must be larger than the number of writers');
  return {
    ns,
    writers,
    rateHz: num('rate', 'BENCH_RATE', 20),
    durationS: num('duration', 'BENCH_DURATION', quick ? 5 : 10),
    workers: Math.floor(num('workers', 'BENCH_WORKERS', Math.max(1, availableParallelism()))),
    servers,
    presence: get('presence', 'BENCH_PRESENCE', 'true') !== 'false',
    pairs: Math.floor(num('pairs', 'BENCH_PAIRS', quick ? 1 : 5)),
    deadlineS: num('deadline', 'BENCH_DEADLINE', 900),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

/**
 * Waits until traffic has settled: no frame reached any client and the server used under 2 % of a core
 * for `quietMs`. Returns the time of the last activity seen.
 */
async function settle(
  pool: ClientPool,
  pid: number,
  quietMs: number,
  maxMs: number,
): Promise<{ lastActivity: number; timedOut: boolean }> {
  const start = nowMs();
  let lastActivity = start;
  let frames = pool.frames;
  let cpu = processCpuUs(pid);
  let cpuAt = start;
  for (;;) {
    await sleep(50);
    const t = nowMs();
    const f = pool.frames;
    if (f !== frames) {
      frames = f;
      lastActivity = t;
    }
    if (t - cpuAt >= 250) {
      const c = processCpuUs(pid);
      if ((c - cpu) / 1000 > 0.02 * (t - cpuAt)) lastActivity = Math.max(lastActivity, t);
      cpu = c;
      cpuAt = t;
    }
    if (t - lastActivity >= quietMs && t - start >= quietMs) return { lastActivity, timedOut: false };
    if (t - start > maxMs) return { lastActivity, timedOut: true };
  }
}

interface RunResult {
  server: ServerKind;
  n: number;
  serverCpuPerDeliveryUs: number | null;
  presenceServerCpuMs: number | null;
  firstReceiverP99Ms: number | null;
  ok: boolean;
}

async function runOne(kind: ServerKind, n: number, opts: Options, seed: string, pair: number): Promise<RunResult> {
  const edits = Math.round(opts.rateHz * opts.durationS);
  const W = opts.writers;
  log(`${kind} N=${n}: starting the server`);
  const server = await startServerProcess(kind, { clients: n, writers: W, seed });
  const pid = server.pid;
  const workers = Math.min(opts.workers, n);
  const pool = new ClientPool(server.ready, workers, edits, W);
  try {
    await pool.collect('ready', 30_000);

    // 1. Connect and sync every client at once.
    const idleCpu0 = processCpuUs(pid);
    const syncedP = pool.collect('synced', 120_000);
    const tConnect = nowMs();
    pool.send({ type: 'connect' });
    const synced = await syncedP;
    const connectSyncMs = Math.max(...synced.map((s) => s.at)) - tConnect;
    const connectServerCpuMs = (processCpuUs(pid) - idleCpu0) / 1000;
    const connectSettle = await settle(pool, pid, 500, 60_000);
    const connectSettledMs = connectSettle.lastActivity - tConnect;
    log(`${kind} N=${n}: synced in ${round(connectSyncMs, 0)} ms, settled after ${round(connectSettledMs, 0)} ms`);
    const closesBefore = pool.closes;
    // The server's own background (timers, heartbeats, GC) over one idle second, for reference.
    const idle0 = processCpuUs(pid);
    await sleep(1000);
    const serverIdleCpuMsPerS = (processCpuUs(pid) - idle0) / 1000;

    // 2. Edit phase: W writers, `rate` edits/s in total, for `duration` s.
    const cpu0 = processCpuUs(pid);
    const ticks0 = processTicksUs(pid);
    const lg0 = process.cpuUsage();
    const wall0 = nowMs();
    if (process.env.BENCH_PROFILE_EDIT) process.kill(pid, 'SIGUSR2');
    const editedP = pool.collect('edited', opts.durationS * 1000 + 30_000);
    pool.send({ type: 'edit', t0: wall0 + 50, rateHz: opts.rateHz });
    const edited = await editedP;
    const sent = edited.reduce((s, e) => s + e.sent, 0);
    const expected = sent * (n - 1);
    const deliveryDeadline = nowMs() + 15_000;
    while (pool.receipts < expected && nowMs() < deliveryDeadline) await sleep(10);
    const wall1 = nowMs();
    const cpu1 = processCpuUs(pid);
    const ticks1 = processTicksUs(pid);
    const lg = process.cpuUsage(lg0);
    pool.send({ type: 'editEnd' });
    if (process.env.BENCH_PROFILE_EDIT) process.kill(pid, 'SIGUSR2');
    const rss = processRss(pid);
    const editWallMs = wall1 - wall0;
    log(`${kind} N=${n}: ${sent} edits, ${pool.receipts}/${expected} deliveries in ${round(editWallMs, 0)} ms`);

    // 3. Presence: every client renews its awareness at the same moment.
    let presence: Record<string, number | boolean> | null = null;
    // Presence costs the same in every pair and takes long for the bare server: measured in the first only.
    if (opts.presence && pair === 0) {
      await settle(pool, pid, 500, 30_000);
      const p0 = processCpuUs(pid);
      const plg0 = process.cpuUsage();
      const f0 = pool.frames;
      const renewedP = pool.collect('renewed', 30_000);
      const pt0 = nowMs();
      pool.send({ type: 'renew' });
      await renewedP;
      const s = await settle(pool, pid, 500, 120_000);
      const p1 = processCpuUs(pid);
      const plg = process.cpuUsage(plg0);
      presence = {
        renewals: n,
        serverCpuMs: round((p1 - p0) / 1000, 1),
        settledAfterMs: round(s.lastActivity - pt0, 0),
        framesToClients: pool.frames - f0,
        loadgenCpuMs: round((plg.user + plg.system) / 1000, 0),
        timedOut: s.timedOut,
      };
      log(`${kind} N=${n}: presence renewal cost the server ${presence.serverCpuMs} ms of CPU`);
    }

    // 4. Results: latencies per (edit, receiver), deliveries, convergence.
    const measured = await collectReports(pool, edits);
    const { reports, sentKs } = measured;
    const all: number[] = [];
    const first = new Float64Array(edits).fill(Number.POSITIVE_INFINITY);
    const last = new Float64Array(edits).fill(Number.NEGATIVE_INFINITY);
    const { received, missing } = walkDeliveries(measured, W, (k, _clientIndex, lat) => {
      all.push(lat);
      if (lat < (first[k] as number)) first[k] = lat;
      if (lat > (last[k] as number)) last[k] = lat;
    });
    const firstSummary: Summary = summarise(sentKs.map((k) => first[k] as number).filter(Number.isFinite), 2);
    const lastSummary: Summary = summarise(sentKs.map((k) => last[k] as number).filter(Number.isFinite), 2);
    const docsEqual = docsConverged(measured, n);
    const markersInEveryDoc = reports.every((r) => r.markerCounts.every((c) => c === sent));

    const serverCpuUs = cpu1 - cpu0;
    const loadgenCpuUs = lg.user + lg.system;
    const serverCores = serverCpuUs / 1000 / editWallMs;
    const loadgenCores = loadgenCpuUs / 1000 / editWallMs;
    const workerElu = reports.map((r) => round(r.editElu, 2));
    const cores = availableParallelism();
    const saturated =
      serverCores > 0.9
        ? 'server'
        : Math.max(...workerElu) > 0.9
          ? 'loadgen'
          : serverCores + loadgenCores > 0.9 * cores
            ? 'machine'
            : 'none';
    const line = {
      bench: 'collab',
      server: kind,
      n,
      pair,
      mix: kind === 'concord' ? { delegates: W, observers: n - W } : { clients: n, writing: W },
      writers: W,
      rateHz: opts.rateHz,
      durationS: opts.durationS,
      workers,
      edits: sent,
      connectSyncMs: round(connectSyncMs, 0),
      connectSettledMs: round(connectSettledMs, 0),
      connectServerCpuMs: round(connectServerCpuMs, 0),
      latencyMs: { firstReceiver: firstSummary, lastReceiver: lastSummary, allPairs: summarise(all, 2) },
      deliveries: { expected, received, missing },
      docsEqual,
      markersInEveryDoc,
      disconnects: pool.closes - closesBefore,
      serverRssMB: round(rss.rssMB, 1),
      serverPeakRssMB: round(rss.peakMB, 1),
      serverCpuMs: round(serverCpuUs / 1000, 1),
      serverCpuMsFromStatTicks: round((ticks1 - ticks0) / 1000, 0),
      serverCpuPerDeliveryUs: received > 0 ? round(serverCpuUs / received, 2) : null,
      serverIdleCpuMsPerS: round(serverIdleCpuMsPerS, 2),
      loadgenCpuMs: round(loadgenCpuUs / 1000, 0),
      loadgenCpuPerDeliveryUs: received > 0 ? round(loadgenCpuUs / received, 2) : null,
      editPhaseMs: round(editWallMs, 0),
      utilisation: {
        serverCores: round(serverCores, 2),
        loadgenCores: round(loadgenCores, 2),
        workerEventLoop: workerElu,
        machineCores: cores,
      },
      saturated,
      presence,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return {
      server: kind,
      n,
      serverCpuPerDeliveryUs: line.serverCpuPerDeliveryUs,
      presenceServerCpuMs: presence ? (presence.serverCpuMs as number) : null,
      firstReceiverP99Ms: Number.isFinite(firstSummary.p99) ? firstSummary.p99 : null,
      ok: missing === 0 && docsEqual && markersInEveryDoc,
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const watchdog = setTimeout(() => {
    log(`the run exceeded ${opts.deadlineS} s: stopping`);
    killAllChildren();
    process.exit(2);
  }, opts.deadlineS * 1000);
  watchdog.unref();
  const section = benchDocument().sections[0];
  if (!section) throw new Error('the bench document has no section');
  const seed = Buffer.from(sectionUpdateFromContent(section.content)).toString('base64');
  const results: (RunResult & { pair: number })[] = [];
  for (const n of opts.ns) {
    for (let pair = 0; pair < opts.pairs; pair++) {
      // Alternate which server runs first, so that a drift of the shared machine's load over the run
      // weighs on both sides alike.
      const order = pair % 2 === 0 ? opts.servers : [...opts.servers].reverse();
      for (const kind of order) results.push({ ...(await runOne(kind, n, opts, seed, pair)), pair });
    }
  }
  const ratio = (x: number | null | undefined, y: number | null | undefined) =>
    x != null && y != null && y > 0 ? round(x / y, 3) : null;
  const median = (values: (number | null)[]): number | null => {
    const v = values.filter((x): x is number => x != null).sort((a, b) => a - b);
    if (v.length === 0) return null;
    const mid = Math.floor(v.length / 2);
    return round(v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2, 3);
  };
  const byN = opts.ns.map((n) => {
    const pairs = Array.from({ length: opts.pairs }, (_, pair) => {
      const c = results.find((r) => r.server === 'concord' && r.n === n && r.pair === pair);
      const b = results.find((r) => r.server === 'bare' && r.n === n && r.pair === pair);
      return {
        cpu: ratio(c?.serverCpuPerDeliveryUs, b?.serverCpuPerDeliveryUs),
        p99: ratio(c?.firstReceiverP99Ms, b?.firstReceiverP99Ms),
        concordCpuUs: c?.serverCpuPerDeliveryUs ?? null,
        bareCpuUs: b?.serverCpuPerDeliveryUs ?? null,
        concordP99Ms: c?.firstReceiverP99Ms ?? null,
        bareP99Ms: b?.firstReceiverP99Ms ?? null,
        presence: ratio(c?.presenceServerCpuMs, b?.presenceServerCpuMs),
      };
    });
    const cpus = pairs.map((p) => p.cpu).filter((x): x is number => x != null);
    return {
      n,
      pairs: pairs.length,
      cpuPerDeliveryConcordOverBare: median(pairs.map((p) => p.cpu)),
      cpuPerDeliveryPairRange: cpus.length ? [Math.min(...cpus), Math.max(...cpus)] : null,
      firstReceiverP99ConcordOverBare: median(pairs.map((p) => p.p99)),
      concordCpuPerDeliveryUs: median(pairs.map((p) => p.concordCpuUs)),
      bareCpuPerDeliveryUs: median(pairs.map((p) => p.bareCpuUs)),
      concordFirstReceiverP99Ms: median(pairs.map((p) => p.concordP99Ms)),
      bareFirstReceiverP99Ms: median(pairs.map((p) => p.bareP99Ms)),
      presenceCpuConcordOverBare: pairs[0]?.presence ?? null,
      perPair: pairs.map((p) => ({ cpu: p.cpu, firstReceiverP99: p.p99 })),
    };
  });
  // Issue 15's aims: CPU per delivery ≤ 1.5× the bare server at 50 clients, ≤ 1.15× at 200 (and 500);
  // first-receiver p99 ≤ 1.2× at 200.
  const at = (n: number) => byN.find((r) => r.n === n);
  const within = (x: number | null | undefined, limit: number) => (x == null ? null : x <= limit);
  const summary = {
    bench: 'collab',
    summary: true,
    ratios: byN,
    aims: {
      cpuPerDeliveryAt50Within150: within(at(50)?.cpuPerDeliveryConcordOverBare, 1.5),
      cpuPerDeliveryAt200Within115: within(at(200)?.cpuPerDeliveryConcordOverBare, 1.15),
      cpuPerDeliveryAt500Within115: within(at(500)?.cpuPerDeliveryConcordOverBare, 1.15),
      firstReceiverP99At200Within120: within(at(200)?.firstReceiverP99ConcordOverBare, 1.2),
      presenceAtMostATenth: within(byN.at(-1)?.presenceCpuConcordOverBare, 0.1),
    },
    allRunsClean: results.every((r) => r.ok),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  clearTimeout(watchdog);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    killAllChildren();
    process.exit(1);
  },
);
