/**
 * Client benchmark (`npm run bench:client`, which runs `vite build` first): the production bundle's size
 * and, in headless Chromium against a real Concord server (demo document and accounts, fresh temporary
 * data folder, ephemeral port on 127.0.0.1), the time from navigation to the first section editable and
 * to the whole outline usable, and the page's memory once the whole document has been scrolled through.
 * Prints one JSON line on stdout; progress goes to stderr.
 *
 *   npx tsx bench/client.ts [--runs 5]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, type BrowserContext, type Page, chromium } from '@playwright/test';
import { DEMO_PASSWORD, setUpDemoIfEmpty } from '../server/commands/demo.js';
import { type TestServer, startTestServer } from '../tests/support/testServer.js';
import { analyseBundle, fileOfUrlPath, gzipSizeOf } from './clientBench/bundle.js';
import { type ProbeMarks, installProbe } from './clientBench/probe.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const CLIENT_DIR = path.resolve(import.meta.dirname, '../dist/client');
const DOCUMENT_ID = 'gb-346-pfa-1';
const DOC_PATH = `/d/${DOCUMENT_ID}`;
const CHROMIUM = CHROMIUM_PATH;
// Belt and braces: no name resolves, so nothing can leave 127.0.0.1.
const BENCH_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];
const TOTAL_BUDGET_MS = 150_000;
const MILESTONE_TIMEOUT_MS = 15_000;

const log = (message: string) => process.stderr.write(`[bench:client] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round1 = (n: number) => Math.round(n * 10) / 10;
/** kB = 1000 bytes, as in Vite's build report. */
const kb = (bytes: number) => round1(bytes / 1000);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round1(s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2);
}

/** Requests (HTTP and WebSocket) that went anywhere but 127.0.0.1. */
const offHost: string[] = [];
function watchTraffic(context: BrowserContext): void {
  const check = (url: string) => {
    const { protocol, hostname } = new URL(url);
    if ((protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') && hostname === '') return;
    if (hostname !== '127.0.0.1') offHost.push(url);
  };
  context.on('request', (request) => check(request.url()));
  context.on('page', (page) => page.on('websocket', (ws) => check(ws.url())));
}

let server: TestServer | undefined;
let browser: Browser | undefined;

async function shutdown(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
}

const watchdog = setTimeout(() => {
  log(`over the ${TOTAL_BUDGET_MS / 1000} s budget: giving up`);
  void shutdown().finally(() => process.exit(2));
}, TOTAL_BUDGET_MS);
watchdog.unref();

async function newContext(username: string | null, expectedOutlineLinks: number): Promise<BrowserContext> {
  if (!browser || !server) throw new Error('not started');
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    serviceWorkers: 'block',
  });
  watchTraffic(context);
  if (username) {
    // Signed in before the clock starts: the session cookie lands in the context's cookie jar.
    const res = await context.request.post('/api/session', { data: { username, password: DEMO_PASSWORD } });
    if (!res.ok()) throw new Error(`sign-in as ${username} failed: ${res.status()} ${await res.text()}`);
  }
  // tsx compiles with esbuild's keepNames, whose `__name(…)` helper does not exist in the page: shim it.
  await context.addInitScript({
    content: `globalThis.__name ??= (f) => f; (${installProbe.toString()})(${JSON.stringify(expectedOutlineLinks)});`,
  });
  return context;
}

async function marksOf(page: Page): Promise<ProbeMarks> {
  const marks = await page.evaluate(() => window.__clientBench);
  if (!marks) throw new Error('probe missing');
  return marks;
}

/** Waits until the probe has recorded the given milestones; their times, in ms since navigation start. */
async function waitForMarks(page: Page, keys: (keyof ProbeMarks)[]): Promise<ProbeMarks> {
  const waiting = page.waitForFunction(
    (ks) => {
      const m = window.__clientBench as unknown as Record<string, unknown> | undefined;
      return m !== undefined && ks.every((k) => m[k] !== null);
    },
    keys,
    { timeout: MILESTONE_TIMEOUT_MS, polling: 50 },
  );
  try {
    await waiting;
  } catch (err) {
    const marks = await page.evaluate(() => window.__clientBench).catch(() => undefined);
    throw new Error(
      `waiting for ${keys.join(', ')} on ${page.url()}: ${(err as Error).message}; marks ${JSON.stringify(marks)}`,
    );
  }
  return marksOf(page);
}

interface RunResult {
  firstEditableMs: number | null;
  firstLiveMs: number | null;
  outlineUsableMs: number | null;
  /** Cross-check: Node's Date.now() before page.goto → the page's Date.now() at the milestone. */
  wallFirstMs: number | null;
  domContentLoadedMs: number;
  /** Last JS response received (the lazy chunks of the document screen). */
  scriptsDoneMs: number;
  /** Last /api/documents/… response received (outline and bulk content). */
  documentDataMs: number;
  jsRequests: number;
}

/**
 * A delegate's network rather than loopback (hotel or conference Wi-Fi): 100 ms round trip, 20 Mbit/s down,
 * 8 Mbit/s up, through Chromium's own network emulation. On 127.0.0.1 the page is bound by the CPU alone and
 * round trips cost nothing; here each request the page waits for before the next shows.
 */
const DELEGATE_LINK = { offline: false, latency: 100, downloadThroughput: 2_500_000, uploadThroughput: 1_000_000 };

/** One cold load (fresh context: empty HTTP cache, new cookie jar) of the document. */
async function timedRun(
  username: string,
  milestone: 'firstEditable' | 'firstLive',
  links: number,
  link: typeof DELEGATE_LINK | null = null,
): Promise<RunResult> {
  const context = await newContext(username, links);
  try {
    const page = await context.newPage();
    if (link) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', link);
    }
    let jsRequests = 0;
    page.on('request', (r) => {
      if (r.resourceType() === 'script') jsRequests++;
    });
    const before = Date.now();
    await page.goto(DOC_PATH, { waitUntil: 'commit' });
    const marks = await waitForMarks(page, [milestone, 'outlineUsable']);
    const pageTimes = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const lastEnd = (keep: (r: PerformanceResourceTiming) => boolean) =>
        Math.max(-1, ...resources.filter(keep).map((r) => r.responseEnd));
      return {
        timeOrigin: performance.timeOrigin,
        dcl: nav?.domContentLoadedEventEnd ?? -1,
        scriptsDone: lastEnd((r) => r.initiatorType === 'script' || /\.m?js$/.test(new URL(r.name).pathname)),
        documentData: lastEnd((r) => new URL(r.name).pathname.startsWith('/api/documents/')),
      };
    });
    const first = marks[milestone];
    return {
      firstEditableMs: marks.firstEditable === null ? null : round1(marks.firstEditable),
      firstLiveMs: marks.firstLive === null ? null : round1(marks.firstLive),
      outlineUsableMs: marks.outlineUsable === null ? null : round1(marks.outlineUsable),
      wallFirstMs: first === null ? null : round1(pageTimes.timeOrigin + first - before),
      domContentLoadedMs: round1(pageTimes.dcl),
      scriptsDoneMs: round1(pageTimes.scriptsDone),
      documentDataMs: round1(pageTimes.documentData),
      jsRequests,
    };
  } finally {
    await context.close();
  }
}

interface LoadedJs {
  requests: number;
  transferBytes: number;
  gzipEquivalentBytes: number;
  chunks: string[];
}

/** The JS a page loads until `ready` resolves, sized from the responses and gzipped from dist/client. */
async function jsLoaded(username: string | null, url: string, ready: (page: Page) => Promise<void>): Promise<LoadedJs> {
  const context = await newContext(username, 0);
  try {
    const page = await context.newPage();
    const responses: Promise<{ path: string; bytes: number }>[] = [];
    page.on('response', (response) => {
      const request = response.request();
      if (request.resourceType() !== 'script' && !/\.m?js$/.test(new URL(response.url()).pathname)) return;
      responses.push(response.body().then((body) => ({ path: new URL(response.url()).pathname, bytes: body.length })));
    });
    await page.goto(url);
    await ready(page);
    await page.waitForLoadState('networkidle');
    const loaded = await Promise.all(responses);
    return {
      requests: loaded.length,
      transferBytes: loaded.reduce((sum, r) => sum + r.bytes, 0),
      gzipEquivalentBytes: loaded.reduce((sum, r) => sum + gzipSizeOf(fileOfUrlPath(CLIENT_DIR, r.path)), 0),
      chunks: loaded.map((r) => r.path.replace(/^\//, '')).sort(),
    };
  } finally {
    await context.close();
  }
}

interface HeapSample {
  jsHeapUsedMB: number;
  jsHeapTotalMB: number;
  domNodes: number;
  liveSections: number;
  openSockets: { section: number; socketIo: number };
}

async function memoryRun(links: number) {
  const context = await newContext('gov-fr', links);
  try {
    const page = await context.newPage();
    // Section editors have one y-websocket each; socket.io (presence, review) is the other kind.
    const sockets = new Map<object, string>();
    page.on('websocket', (ws) => {
      sockets.set(ws, ws.url());
      ws.on('close', () => sockets.delete(ws));
    });
    const openSockets = () => {
      const urls = [...sockets.values()];
      const socketIo = urls.filter((u) => new URL(u).pathname.startsWith('/socket.io')).length;
      return { section: urls.length - socketIo, socketIo };
    };
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const sample = async (): Promise<HeapSample> => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
      return {
        jsHeapUsedMB: mb(metric('JSHeapUsedSize')),
        jsHeapTotalMB: mb(metric('JSHeapTotalSize')),
        domNodes: metric('Nodes'),
        liveSections: await page.locator('[data-live="true"]').count(),
        openSockets: openSockets(),
      };
    };
    /** Until the number of live sections has not changed for `quietMs`. */
    const settleLive = async (quietMs: number) => {
      let last = -1;
      let since = Date.now();
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) {
        const n = await page.locator('[data-live="true"]').count();
        if (n !== last) [last, since] = [n, Date.now()];
        else if (Date.now() - since >= quietMs) return;
      }
    };

    await page.goto(DOC_PATH);
    await waitForMarks(page, ['firstEditable', 'outlineUsable']);
    await settleLive(750);
    const afterOpen = await sample();

    const ids = await page
      .locator('[data-section-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-section-id') ?? ''));
    const started = Date.now();
    let notLiveInTime = 0;
    for (const id of ids) {
      const section = page.locator(`[data-section-id="${id}"]`);
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      try {
        await section.locator('[data-live="true"]').waitFor({ state: 'attached', timeout: 3_000 });
      } catch {
        notLiveInTime++;
      }
      await sleep(60);
    }
    const scrollMs = Date.now() - started;
    // Sections far above the bottom are let go a tick after leaving the FAR margin.
    await settleLive(1_000);
    const afterScroll = await sample();
    const marks = await marksOf(page);
    return {
      totalSections: ids.length,
      afterOpen,
      afterScroll,
      sectionsEverLive: marks.everLive.length,
      maxLiveAtOnce: marks.maxLive,
      sectionsNotLiveWithin3s: notLiveInTime,
      scrollThroughMs: scrollMs,
    };
  } finally {
    await context.close();
  }
}

async function main() {
  const benchStarted = Date.now();
  const bundle = analyseBundle(CLIENT_DIR);
  log(`bundle: ${bundle.all.files} JS files, first screen ${bundle.firstScreen.chunks.join(', ')}`);

  server = await startTestServer({
    config: { clientDir: CLIENT_DIR, port: 0, host: '127.0.0.1', demo: true },
    document: null,
  });
  await setUpDemoIfEmpty(server.store);
  if (!new URL(server.url).hostname.startsWith('127.0.0.1')) throw new Error(`server not on 127.0.0.1: ${server.url}`);
  log(`server ${server.url}, data ${server.dataDir}`);

  // The outline's source of truth: one link per section.
  const meta = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'observer', password: DEMO_PASSWORD }),
  });
  const cookie = meta.headers.get('set-cookie')?.split(';')[0] ?? '';
  const docRes = await fetch(`${server.url}/api/documents/${DOCUMENT_ID}`, { headers: { cookie } });
  if (!docRes.ok) throw new Error(`GET document: ${docRes.status}`);
  const sectionCount = ((await docRes.json()) as { sections: unknown[] }).sections.length;

  browser = await chromium.launch({ executablePath: CHROMIUM, args: BENCH_CHROMIUM_ARGS, headless: true });
  log(`chromium ${browser.version()}, ${sectionCount} sections`);

  // What the browser really fetches: the sign-in screen (signed out), then a deep link (signed in).
  const signInScreen = await jsLoaded(null, '/', async (page) => {
    await page.getByLabel(/username|nom d’utilisateur/i).waitFor({ timeout: MILESTONE_TIMEOUT_MS });
  });
  const deepLink = await jsLoaded('gov-fr', `${DOC_PATH}#p27`, async (page) => {
    await page
      .locator('[data-section-id="output-1-1"] [data-live="true"]')
      .waitFor({ state: 'attached', timeout: MILESTONE_TIMEOUT_MS });
  });
  log(
    `sign-in screen JS ${kb(signInScreen.gzipEquivalentBytes)} kB gzip, deep link ${kb(deepLink.gzipEquivalentBytes)} kB gzip`,
  );

  // Timings: a delegate (editable) and an observer (read-only), interleaved, each run a cold client.
  const delegate: RunResult[] = [];
  const observer: RunResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    delegate.push(await timedRun('gov-fr', 'firstEditable', sectionCount));
    observer.push(await timedRun('observer', 'firstLive', sectionCount));
    log(
      `run ${i + 1}/${RUNS}: editable ${delegate[i]?.firstEditableMs?.toFixed(0)} ms, outline ${delegate[i]?.outlineUsableMs?.toFixed(0)} ms, observer live ${observer[i]?.firstLiveMs?.toFixed(0)} ms`,
    );
  }

  // Over a delegate's network: fewer runs, each slower.
  const overLink: RunResult[] = [];
  for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
    overLink.push(await timedRun('gov-fr', 'firstEditable', sectionCount, DELEGATE_LINK));
    log(`over a 100 ms link, run ${i + 1}: editable ${overLink[i]?.firstEditableMs?.toFixed(0)} ms`);
  }

  log('memory: scrolling through the document');
  const memory = await memoryRun(sectionCount);

  const pick = (runs: RunResult[], key: keyof RunResult) =>
    runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
  const firstEditableMedian = median(pick(delegate, 'firstEditableMs'));
  const result = {
    bench: 'client',
    chromium: browser.version(),
    runs: RUNS,
    bundle: {
      allJs: { files: bundle.all.files, rawKB: kb(bundle.all.rawBytes), gzipKB: kb(bundle.all.gzipBytes) },
      allCss: { files: bundle.allCss.files, rawKB: kb(bundle.allCss.rawBytes), gzipKB: kb(bundle.allCss.gzipBytes) },
      firstScreenJs: {
        chunks: bundle.firstScreen.chunks,
        rawKB: kb(bundle.firstScreen.rawBytes),
        gzipKB: kb(bundle.firstScreen.gzipBytes),
        staticImportsNotPreloaded: bundle.staticImportsNotPreloaded,
      },
      signInScreenLoadedJs: {
        chunks: signInScreen.chunks,
        transferKB: kb(signInScreen.transferBytes),
        gzipKB: kb(signInScreen.gzipEquivalentBytes),
      },
      deepLinkJs: {
        url: `${DOC_PATH}#p27`,
        chunks: deepLink.chunks,
        transferKB: kb(deepLink.transferBytes),
        gzipKB: kb(deepLink.gzipEquivalentBytes),
      },
    },
    timings: {
      delegateFirstEditableMs: { median: firstEditableMedian, runs: pick(delegate, 'firstEditableMs') },
      delegateOutlineUsableMs: {
        median: median(pick(delegate, 'outlineUsableMs')),
        runs: pick(delegate, 'outlineUsableMs'),
      },
      observerFirstLiveMs: { median: median(pick(observer, 'firstLiveMs')), runs: pick(observer, 'firstLiveMs') },
      observerOutlineUsableMs: {
        median: median(pick(observer, 'outlineUsableMs')),
        runs: pick(observer, 'outlineUsableMs'),
      },
      delegateOver100msLinkFirstEditableMs: {
        link: '100 ms round trip, 20 Mbit/s down, 8 Mbit/s up (Chromium network emulation)',
        median: median(pick(overLink, 'firstEditableMs')),
        runs: pick(overLink, 'firstEditableMs'),
      },
      delegateWallFirstEditableMs: median(pick(delegate, 'wallFirstMs')),
      delegateBreakdownMedianMs: {
        domContentLoaded: median(pick(delegate, 'domContentLoadedMs')),
        lastScriptReceived: median(pick(delegate, 'scriptsDoneMs')),
        documentDataReceived: median(pick(delegate, 'documentDataMs')),
      },
      jsRequestsPerLoad: median(pick(delegate, 'jsRequests')),
    },
    memory,
    offHostRequests: offHost.length,
    elapsedS: round1((Date.now() - benchStarted) / 1000),
    aims: {
      firstEditableUnder1s: firstEditableMedian !== null && firstEditableMedian < 1000,
      firstScreenJsUnder350KbGzip: bundle.firstScreen.gzipBytes < 350_000,
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

try {
  await main();
} finally {
  await shutdown();
  clearTimeout(watchdog);
}
