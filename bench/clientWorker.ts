/**
 * A share of the stock y-websocket clients, on its own thread: stock `WebsocketProvider`s (ws polyfill,
 * BroadcastChannel off), writers typing markers into the section at their scheduled times, every
 * client recording when each marker reaches it.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { SECTION_FRAGMENT } from '../shared/limits.js';
import { nowMs } from './clock.js';
import { SUGGEST_INSERT } from '../shared/suggestions.js';
import { countMarkers, marker, scanMarkers } from './markers.js';
import { COUNTER_SLOTS, Counter, type FromWorker, type ToWorker, type WorkerClient, type WorkerInit } from './workerProtocol.js';

// Every stock provider adds a process 'exit' listener.
process.setMaxListeners(0);
const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error('clientWorker must run as a worker thread');
const counters = new Int32Array(init.counters);
const base = init.workerIndex * COUNTER_SLOTS;
const E = init.edits;

function post(message: FromWorker): void {
  port?.postMessage(message);
}

/** The stock ws client, counting the frames it receives (to tell when traffic has settled). */
class CountingWebSocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols);
    this.on('message', () => Atomics.add(counters, base + Counter.Frames, 1));
  }
}

interface Client {
  index: number;
  writer: number;
  suggestAs: WorkerClient['suggestAs'];
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: boolean;
}

const clients: Client[] = [];
const receiveTimes = new Float64Array(init.clients.length * E);
const sendTimes = new Float64Array(E).fill(Number.NaN);
let eluStart: ReturnType<typeof performance.eventLoopUtilization> | null = null;
let editElu = Number.NaN;

function connect(): void {
  let pending = init.clients.length;
  for (const [slot, spec] of init.clients.entries()) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(spec.wsBase ?? init.wsBase, init.room, doc, {
      params: spec.token ? { token: spec.token } : {},
      WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    // A presence state like an editor's. The 15 s automatic renewal (and 30 s expiry) is switched off
    // so that it cannot fall into a measured window; the presence phase triggers the same renewal.
    clearInterval(provider.awareness._checkInterval);
    provider.awareness.setLocalState({ user: { name: `Client ${spec.index}`, color: '#1f5fa8' }, cursor: null });
    const client: Client = { index: spec.index, writer: spec.writer, suggestAs: spec.suggestAs, doc, provider, synced: false };
    clients.push(client);
    const offset = slot * E;
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== provider) return;
      const t = nowMs();
      scanMarkers(update, (k) => {
        if (k < E && receiveTimes[offset + k] === 0) {
          receiveTimes[offset + k] = t;
          Atomics.add(counters, base + Counter.Receipts, 1);
        }
      });
    });
    provider.on('connection-close', () => Atomics.add(counters, base + Counter.Closes, 1));
    provider.on('sync', (isSynced: boolean) => {
      if (!isSynced || client.synced) return;
      client.synced = true;
      Atomics.add(counters, base + Counter.Synced, 1);
      if (--pending === 0) post({ type: 'synced', workerIndex: init.workerIndex, at: nowMs() });
    });
  }
}

/** The text a writer types into: the XmlText of paragraph (writer mod paragraphs). */
function textOf(doc: Y.Doc, writer: number): Y.XmlText {
  const texts: Y.XmlText[] = [];
  const walker = doc.getXmlFragment(SECTION_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText);
  for (const node of walker) texts.push(node as Y.XmlText);
  if (texts.length === 0) throw new Error('the section has no text to type into');
  // Skip the heading (first text) when there are paragraphs.
  const usable = texts.length > 1 ? texts.slice(1) : texts;
  return usable[writer % usable.length] as Y.XmlText;
}

function edit(t0: number, rateHz: number): void {
  eluStart = performance.eventLoopUtilization();
  const due: { k: number; at: number; client: Client; text: Y.XmlText }[] = [];
  for (const client of clients) {
    if (client.writer < 0) continue;
    const text = textOf(client.doc, client.writer);
    for (let k = client.writer; k < E; k += init.writers) due.push({ k, at: t0 + (k * 1000) / rateHz, client, text });
  }
  due.sort((a, b) => a.at - b.at);
  let next = 0;
  const tick = () => {
    const now = nowMs();
    while (next < due.length && (due[next]?.at ?? Number.POSITIVE_INFINITY) <= now) {
      const d = due[next++];
      if (!d) break;
      sendTimes[d.k] = nowMs();
      const attrs = d.client.suggestAs;
      d.text.insert(d.text.length, marker(d.client.writer, d.k), attrs ? { [SUGGEST_INSERT]: attrs } : undefined);
    }
    if (next < due.length) setTimeout(tick, Math.max(0, (due[next]?.at ?? now) - nowMs()));
    else post({ type: 'edited', workerIndex: init.workerIndex, sent: due.length });
  };
  tick();
}

function renew(): void {
  // What the stock awareness does every 15 s: set the same state again, which bumps its clock.
  for (const { provider } of clients) provider.awareness.setLocalState(provider.awareness.getLocalState());
  post({ type: 'renewed', workerIndex: init.workerIndex, at: nowMs() });
}

function report(): void {
  const hashes: string[] = [];
  const markerCounts: number[] = [];
  for (const { doc } of clients) {
    const text = doc.getXmlFragment(SECTION_FRAGMENT).toString();
    const sv = [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0]);
    hashes.push(createHash('sha256').update(text).update(JSON.stringify(sv)).digest('hex').slice(0, 16));
    markerCounts.push(countMarkers(text));
  }
  post({
    type: 'report',
    workerIndex: init.workerIndex,
    sendTimes,
    receiveTimes,
    clientIndexes: clients.map((c) => c.index),
    hashes,
    markerCounts,
    editElu,
  });
}

port.on('message', (message: ToWorker) => {
  try {
    switch (message.type) {
      case 'connect':
        connect();
        return;
      case 'edit':
        edit(message.t0, message.rateHz);
        return;
      case 'editEnd':
        if (eluStart) editElu = performance.eventLoopUtilization(eluStart).utilization;
        return;
      case 'renew':
        renew();
        return;
      case 'report':
        report();
        return;
      case 'close':
        for (const { provider, doc } of clients) {
          provider.destroy();
          doc.destroy();
        }
        port.close();
        return;
    }
  } catch (err) {
    post({
      type: 'error',
      workerIndex: init.workerIndex,
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});

post({ type: 'ready', workerIndex: init.workerIndex });
