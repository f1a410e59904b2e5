import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';
import { docxLibraryFile } from '../support/wordFixtures.js';
import { bombs, emptyParagraphsXml, honestEntry, rawZip } from '../support/zipBombs.js';

const DOCUMENT = 'gb-999-test-1';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MiB = 1024 * 1024;

// The reported bombs froze the server for 3 to 14 s and grew it by up to 2.5 GB. On an idle machine
// the delays measured here stay under 100 ms; the bounds are ten times that because a shared 2-core
// machine under load shows pauses of 250 ms with no import at all.
const MAX_EVENT_LOOP_DELAY_MS = 1000;
const MAX_API_LATENCY_MS = 1500;
const MAX_COLLAB_ROUND_TRIP_MS = 2000;
const MAX_RSS_GROWTH = 300 * MiB;

let server: TestServer;
let delegateToken: string;
let officeToken: string;
let writer: { doc: Y.Doc; provider: ReturnType<typeof connectProvider>['provider'] };
let reader: { doc: Y.Doc; provider: ReturnType<typeof connectProvider>['provider'] };

beforeAll(async () => {
  server = await startTestServer();
  delegateToken = await server.login(await buildUser(server.store, { role: 'delegate', group: 'workers' }));
  officeToken = await server.login(await buildUser(server.store, { role: 'secretariat', group: null }));
  writer = connectProvider(server.url, `${DOCUMENT}/part-1`, officeToken);
  reader = connectProvider(server.url, `${DOCUMENT}/part-1`, officeToken);
  await Promise.all([waitForSync(writer.provider), waitForSync(reader.provider)]);
});

afterAll(async () => {
  writer.provider.destroy();
  reader.provider.destroy();
  await server.stop();
});

async function upload(bytes: Uint8Array): Promise<{ status: number; body: { error?: string; message?: string } }> {
  const res = await fetch(`${server.url}/api/documents/${DOCUMENT}/imports`, {
    method: 'POST',
    headers: { 'content-type': DOCX, authorization: `Bearer ${delegateToken}` },
    body: Buffer.from(bytes),
  });
  return { status: res.status, body: (await res.json()) as { error?: string; message?: string } };
}

function importRows(): number {
  const db = new Database(path.join(server.dataDir, 'concord.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM imports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Runs `attack` while measuring, in this process (which hosts the server): the event loop's delay, the
 * latency of API requests and of collaboration round trips made meanwhile, and the peak RSS growth.
 */
async function whileMeasuring<T>(attack: () => Promise<T>) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 10);
  let done = false;
  const api: number[] = [];
  const collab: number[] = [];
  const requests = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${officeToken}` } });
      await res.arrayBuffer();
      api.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const edits = (async () => {
    for (let i = 0; !done; i++) {
      const marker = `[${Date.now()}-${i}]`;
      const t = performance.now();
      typeInto(writer.doc, marker);
      await eventually(() => expect(reader.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain(marker), 10_000);
      collab.push(performance.now() - t);
    }
  })();
  const result = await attack();
  done = true;
  await Promise.all([requests, edits]);
  clearInterval(sampler);
  delay.disable();
  return {
    result,
    maxDelayMs: delay.max / 1e6,
    maxApiMs: Math.max(...api),
    maxCollabMs: Math.max(...collab),
    requests: api.length,
    rssGrowth: rssPeak - rssBefore,
  };
}

describe('Word import bombs', () => {
  it.each([
    ['a zip whose declared sizes lie (1 GiB of zeros)', bombs.lyingSizes, [400, 413], /sizes|larger/],
    ['a zip declaring 1 GiB honestly', bombs.declaredHuge, [413], /larger than 32 MiB/],
    ['20 entries all named word/document.xml', bombs.duplicateNames, [400], /several parts named/],
    ['16 MiB of empty paragraphs in a small upload', bombs.emptyParagraphs, [413], /more than 50,000 paragraphs/],
    ['16 MiB of other empty elements', bombs.emptyElements, [413], /more than 1,000,000 XML elements/],
    ['60,000 empty paragraphs', bombs.manyParagraphs, [413], /more than 50,000 paragraphs/],
  ])('refuses %s, while the server keeps answering', async (_name, make, statuses, message) => {
    const bytes = make();
    const amendmentsBefore = (await server.store.amendments.list(DOCUMENT)).length;
    const importsBefore = importRows();
    const measured = await whileMeasuring(() => upload(bytes));
    expect(statuses).toContain(measured.result.status);
    expect(measured.result.body.message).toMatch(message);
    expect(measured.requests).toBeGreaterThan(0);
    expect(measured.maxDelayMs).toBeLessThan(MAX_EVENT_LOOP_DELAY_MS);
    expect(measured.maxApiMs).toBeLessThan(MAX_API_LATENCY_MS);
    expect(measured.maxCollabMs).toBeLessThan(MAX_COLLAB_ROUND_TRIP_MS);
    expect(measured.rssGrowth).toBeLessThan(MAX_RSS_GROWTH);
    // Nothing was kept.
    expect(importRows()).toBe(importsBefore);
    expect((await server.store.amendments.list(DOCUMENT)).length).toBe(amendmentsBefore);
  });

  it('still imports an honest file afterwards', async () => {
    const file = await docxLibraryFile([{ pieces: ['1.\tPremier paragraphe ', { ins: 'nouveau ' }, 'du texte.'] }]);
    const res = await upload(file);
    expect(res.status).toBe(201);
  });

  it('stops a read that takes longer than the time limit', async () => {
    const slow = await startTestServer({ config: { importTimeoutMs: 20 } });
    try {
      const token = await slow.login(await buildUser(slow.store, { role: 'delegate', group: 'workers' }));
      // Within every cap, but 45,000 paragraphs take far longer than 20 ms to parse, worker warm or not.
      const file = rawZip([
        honestEntry('word/document.xml', emptyParagraphsXml(45_000, '<w:p><w:r><w:t>x</w:t></w:r></w:p>')),
      ]);
      const res = await fetch(`${slow.url}/api/documents/${DOCUMENT}/imports`, {
        method: 'POST',
        headers: { 'content-type': DOCX, authorization: `Bearer ${token}` },
        body: Buffer.from(file),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { message: string }).message).toMatch(/took more than 0.02 s/);
    } finally {
      await slow.stop();
    }
  });
});
