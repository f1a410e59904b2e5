/**
 * The reference: @y/websocket-server 0.1.1, the bare in-memory y-websocket backend, on a plain HTTP and
 * ws server, in its own process. YPERSISTENCE is left unset, so it keeps everything in memory. The
 * section's initial content is applied to its document before anyone connects, as Concord loads it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getYDoc, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { BENCH_DOCUMENT_ID, BENCH_SECTION_ID } from './benchDocument.js';
import { type ServerReady, exitWithParent, readSpec } from './childProtocol.js';
import { profileOnSignal } from './childProfiler.js';

delete process.env.YPERSISTENCE;
const spec = readSpec();
profileOnSignal('bare');
const room = `${BENCH_DOCUMENT_ID}/${BENCH_SECTION_ID}`;
if (spec.seed) Y.applyUpdate(getYDoc(room), Buffer.from(spec.seed, 'base64'));

const http = createServer((_req, res) => {
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ noServer: true });
http.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req));
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;

exitWithParent(
  () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      http.close(() => resolve());
    }),
);

const ready: ServerReady = {
  port,
  wsBase: `ws://127.0.0.1:${port}`,
  room,
  clients: Array.from({ length: spec.clients }, () => ({ token: null, role: 'anonymous' })),
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
