/**
 * The Office's desk under load: `npx tsx bench/desk.ts` (or `npm run bench:desk`) prints one JSON line.
 * The seed document GB.346/PFA/1 is imported into a fresh store, delegates of five owners table 300
 * pending amendments by form over HTTP (on distinct words of the numbered paragraphs, with one in ten a
 * rival insertion on words another group already amends), and then we time:
 *  - `GET /api/documents/:id/desk` (the whole desk: every paragraph, its official text, the pending
 *    amendments side by side with rivals, tallies, comment counts), cold and warm;
 *  - in Chromium (when the client is built): from navigation to the desk until all 300 cards are on the
 *    page, and one accept from its button until the desk announces it;
 *  - the accept round-trip: `POST /api/amendments/:id/accept` until its HTTP answer, and until a
 *    socket.io client in the document receives the `amendment:changed` event.
 * Options: --amendments=300 --accepts=30 --desk-runs=20.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { io as connect } from 'socket.io-client';
import { importGbDocument } from '../seed/importer/index.js';
import { startServer } from '../server/app.js';
import { hashPassword } from '../server/auth/passwords.js';
import { importDocument } from '../server/commands/importDocument.js';
import { loadConfig } from '../server/config.js';
import type { DeskResponse } from '../server/desk/desk.js';
import { SqliteStore } from '../server/storage/sqliteStore.js';
import { ClientEvent, type PresencePayload, ServerEvent } from '../shared/events.js';
import type { ParagraphText } from '../shared/versions.js';
import { round, summarise } from './stats.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const AMENDMENTS = arg('amendments', 300);
const ACCEPTS = arg('accepts', 30);
const DESK_RUNS = arg('desk-runs', 20);
const PASSWORD = 'bench-password-1';
const CHROMIUM = CHROMIUM_PATH;

const seedFile = fileURLToPath(new URL('../seed/GB.346-PFA-1.fr.txt', import.meta.url));
const imported = importGbDocument(readFileSync(seedFile, 'utf8'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-bench-desk-'));
const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
await importDocument(store, imported);
const passwordHash = await hashPassword(PASSWORD);
const owners = [
  { username: 'office', role: 'secretariat', group: null, memberState: null },
  { username: 'employers', role: 'delegate', group: 'employers', memberState: null },
  { username: 'workers', role: 'delegate', group: 'workers', memberState: null },
  { username: 'gov-fr', role: 'delegate', group: 'government', memberState: 'France' },
  { username: 'gov-za', role: 'delegate', group: 'government', memberState: 'South Africa' },
  { username: 'gov-br', role: 'delegate', group: 'government', memberState: 'Brazil' },
] as const;
for (const o of owners) {
  await store.createUser({ id: o.username, name: o.username, passwordHash, demo: false, ...o });
}
const clientDir = fileURLToPath(new URL('../dist/client', import.meta.url));
const withBrowser = existsSync(path.join(clientDir, 'index.html')) && existsSync(CHROMIUM);
const config = loadConfig(
  {},
  { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: withBrowser ? clientDir : '' },
);
const server = await startServer(config, store);

async function login(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}
const tokens = new Map<string, string>();
for (const o of owners) tokens.set(o.username, await login(o.username));
const delegates = owners.filter((o) => o.role === 'delegate').map((o) => o.username);

async function api<T>(
  method: string,
  url: string,
  username: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.get(username)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

// Distinct words of each paragraph (once in it, not inside another chosen word), round-robin over paragraphs.
const doc = imported.id;
const paragraphs = (await api<{ paragraphs: ParagraphText[] }>('GET', `/api/documents/${doc}/revised`, 'office')).body
  .paragraphs;
const candidates = paragraphs.map((p) => {
  const words = [...new Set(p.text.match(/[\p{L}]{6,}/gu) ?? [])].filter((w) => p.text.split(w).length === 2);
  return { p, words };
});
const outline = (
  await api<{ sections: { id: string; paragraphs: number[] }[] }>('GET', `/api/documents/${doc}`, 'office')
).body;
const sectionOf = new Map<number, string>();
for (const s of outline.sections) for (const n of s.paragraphs) sectionOf.set(n, s.id);

const seedStart = performance.now();
const tabled: { id: string; ownerKey: string }[] = [];
let rivals = 0;
let failures = 0;
for (let i = 0, pass = 0; tabled.length < AMENDMENTS && pass < 50; pass++) {
  for (const { p, words } of candidates) {
    if (tabled.length >= AMENDMENTS) break;
    const word = words[pass];
    const n = Number.parseInt(p.number, 10);
    const sectionId = sectionOf.get(n);
    if (!word || !sectionId || String(n) !== p.number) continue;
    const who = delegates[i % delegates.length] as string;
    const op = (['insert', 'replace', 'delete'] as const)[i % 3];
    const body = {
      sectionId,
      paragraph: n,
      op,
      find: word,
      text: op === 'delete' ? undefined : op === 'insert' ? ' (modifié)' : `${word}s`,
    };
    i++;
    const res = await api<{ id: string; ownerKey: string }>('POST', `/api/documents/${doc}/amendments`, who, body);
    if (res.status !== 201) {
      failures++;
      continue;
    }
    tabled.push(res.body);
    // One in ten: a rival insertion after the same words, by the next owner.
    if (tabled.length % 10 === 0 && tabled.length < AMENDMENTS) {
      const rival = delegates[i % delegates.length] as string;
      const r = await api<{ id: string; ownerKey: string }>('POST', `/api/documents/${doc}/amendments`, rival, {
        sectionId,
        paragraph: n,
        op: 'insert',
        find: word,
        text: ' (variante)',
      });
      if (r.status === 201) {
        tabled.push(r.body);
        rivals++;
      } else failures++;
      i++;
    }
  }
}
const seedMs = performance.now() - seedStart;

// The desk, cold (sections loaded from the store) then warm.
const deskTimes: number[] = [];
let desk: DeskResponse | null = null;
for (let run = 0; run < DESK_RUNS; run++) {
  const t = performance.now();
  const res = await api<DeskResponse>('GET', `/api/documents/${doc}/desk`, 'office');
  deskTimes.push(performance.now() - t);
  desk = res.body;
}
const deskBytes = JSON.stringify(desk).length;
const pendingShown = desk?.paragraphs.reduce((n, p) => n + p.amendments.length, 0) ?? 0;
const alternatives =
  desk?.paragraphs.reduce((n, p) => n + p.amendments.filter((a) => a.alternatives.length > 0).length, 0) ?? 0;

/**
 * The desk as the Office sees it, in Chromium (when the client is built): from navigation until every
 * pending amendment's card is on the page, then (on the last run) one accept from its button until the desk announces it.
 */
async function browserDesk(pending: number): Promise<{ renderMs: number[]; acceptMs: number[] } | null> {
  if (!withBrowser) return null;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const renderMs: number[] = [];
  const acceptMs: number[] = [];
  try {
    for (let run = 0; run < 3; run++) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
      await context.request.post('/api/session', { data: { username: 'office', password: PASSWORD } });
      const page = await context.newPage();
      const t = Date.now();
      await page.goto(`/d/${doc}/desk`, { waitUntil: 'commit' });
      // A string, not a function: tsx would wrap a function in helpers the page does not have.
      await page.waitForFunction(`document.querySelectorAll('[data-testid^="desk-A-"]').length >= ${pending}`, null, {
        polling: 'raf',
        timeout: 30_000,
      });
      renderMs.push(Date.now() - t);
      if (run === 2) {
        const announcer = page.getByTestId('desk-announcer');
        const before = (await announcer.textContent()) ?? '';
        const a = Date.now();
        await page
          .locator('[data-testid^="desk-A-"]')
          .first()
          .getByRole('button', { name: /^Accept A-\d+$/ })
          .click();
        await page.waitForFunction(
          `(document.querySelector('[data-testid="desk-announcer"]')?.textContent ?? '') !== ${JSON.stringify(before)}`,
          null,
          { polling: 'raf', timeout: 10_000 },
        );
        acceptMs.push(Date.now() - a);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { renderMs, acceptMs };
}
const inBrowser = await browserDesk(pendingShown);

// Accept round-trips, seen by a delegate's socket.
const socket = connect(server.url, {
  path: '/socket.io',
  auth: { token: tokens.get('workers') },
  transports: ['websocket'],
});
await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
await new Promise<void>((resolve) => {
  socket.on(ServerEvent.Presence, (p: PresencePayload) => {
    if (p.documentId === doc && p.people.length > 0) resolve();
  });
  socket.emit(ClientEvent.JoinDocument, { documentId: doc });
});
const waiting = new Map<string, () => void>();
socket.on(ServerEvent.AmendmentChanged, (p: { amendment: { id: string; status: string } }) => {
  if (p.amendment.status === 'accepted') waiting.get(p.amendment.id)?.();
});
const httpTimes: number[] = [];
const eventTimes: number[] = [];
const deskAfterAccept: number[] = [];
const acceptable = tabled
  .filter((_, i) => i % Math.max(1, Math.floor(tabled.length / ACCEPTS)) === 0)
  .slice(0, ACCEPTS);
for (const a of acceptable) {
  const t = performance.now();
  const seen = new Promise<void>((resolve) => waiting.set(a.id, resolve));
  const res = await api<{ status: string }>('POST', `/api/amendments/${a.id}/accept`, 'office');
  // The browser phase may have accepted this one already: then there is no event to wait for.
  if (res.status !== 200) {
    waiting.delete(a.id);
    continue;
  }
  httpTimes.push(performance.now() - t);
  await seen;
  eventTimes.push(performance.now() - t);
  const d = performance.now();
  await api('GET', `/api/documents/${doc}/desk`, 'office');
  deskAfterAccept.push(performance.now() - d);
}
socket.disconnect();

console.log(
  JSON.stringify({
    bench: 'desk',
    document: imported.symbol,
    paragraphs: paragraphs.length,
    amendments: {
      pending: tabled.length,
      rivals,
      failures,
      seedMs: round(seedMs, 0),
      perAmendmentMs: round(seedMs / Math.max(1, tabled.length), 2),
    },
    desk: {
      coldMs: round(deskTimes[0] ?? Number.NaN, 1),
      warm: summarise(deskTimes.slice(1), 1),
      bytes: deskBytes,
      pendingShown,
      withAlternatives: alternatives,
    },
    browser: inBrowser
      ? {
          navigationToAllCardsMs: summarise(inBrowser.renderMs, 0),
          acceptClickToAnnouncedMs: summarise(inBrowser.acceptMs, 0),
        }
      : 'skipped: no built client (vite build) or no Chromium',
    accept: {
      count: httpTimes.length,
      httpMs: summarise(httpTimes, 1),
      eventMs: summarise(eventTimes, 1),
      deskAfterAcceptMs: summarise(deskAfterAccept, 1),
    },
  }),
);
await server.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
