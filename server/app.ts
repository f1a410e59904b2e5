import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerEvent } from '../shared/events.js';
import { Sessions } from './auth/sessions.js';
import { createAmendmentSync } from './amendments/sync.js';
import { withRequestOrigin } from './audit/requestOrigin.js';
import { deadlineCheckForCollab } from './rounds/deadlines.js';
import { CollabServer, type CollabServerOptions } from './collab/CollabServer.js';
import type { RoomOptions } from './collab/Room.js';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import { type FanOut, LocalFanOut } from './fanout/FanOut.js';
import { Router, sendJson } from './http/router.js';
import { serveClient } from './http/staticFiles.js';
import { createSocketServer } from './realtime/socketServer.js';
import type { AppServices } from './routes/context.js';
import { registerRoutes } from './routes/index.js';
import type { Store } from './storage/Store.js';

export interface ConcordServer {
  url: string;
  port: number;
  services: AppServices;
  close(): Promise<void>;
}

/**
 * Assembles Concord on one port: the HTTP API, the built client, socket.io on `/socket.io/` and the
 * y-websocket endpoint on `/collab/…`. Websocket upgrades are routed by path; anything else is closed.
 */
export async function startServer(
  config: Config,
  store: Store,
  log: (m: string) => void = () => {},
  fanOut: FanOut = new LocalFanOut(),
): Promise<ConcordServer> {
  const sessions = new Sessions(store, config.sessionTtlMs, config.demo);
  // Bound once the services exist: the amendment records follow every change applied to a section.
  let onApplied: RoomOptions['onApplied'];
  let checkNewSuggestions: RoomOptions['checkNewSuggestions'];
  let onRefused: CollabServerOptions['onRefused'];
  const collab = new CollabServer(store, sessions, {
    fanOut,
    onApplied: (room, update, origin) => onApplied?.(room, update, origin),
    checkNewSuggestions: (documentId, author, ids) =>
      checkNewSuggestions?.(documentId, author, ids) ?? Promise.resolve(null),
    unloadAfterMs: config.unloadAfterMs,
    presenceFlushMs: config.presenceFlushMs,
    compactAfterUpdates: config.compactAfterUpdates,
    log,
    onRefused: (userId, payload) => onRefused?.(userId, payload),
  });
  const router = new Router();
  const httpServer = createServer((req, res) => void handle(req, res));
  const realtime = createSocketServer(httpServer, sessions, store);
  onRefused = (userId, payload) => realtime.events.toUser(userId, ServerEvent.UpdateRefused, payload);
  const services: AppServices = {
    clock: { now: () => Date.now() },
    config,
    store,
    sessions,
    collab,
    events: realtime.events,
    onSessionEnded: (tokenHash) => {
      collab.endSession(tokenHash);
      realtime.endSession(tokenHash);
    },
  };
  onApplied = createAmendmentSync(services);
  checkNewSuggestions = deadlineCheckForCollab(services);
  registerRoutes(router, services);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname.startsWith('/api/')) {
        const found = router.match(req.method ?? 'GET', url.pathname);
        if (found === null) throw new HttpError(404, 'not_found', `No API endpoint ${url.pathname}.`);
        if (found === 'methodMismatch')
          throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}.`);
        const body = await withRequestOrigin(req, () => found.route.handler({ req, res, url, params: found.params }));
        if (!res.headersSent) sendJson(res, 200, body);
        return;
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && (await serveClient(config.clientDir, url.pathname, res)))
        return;
      throw new HttpError(404, 'not_found', `Nothing at ${url.pathname}.`);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        sendJson(res, err.status, { error: err.error, message: err.message, details: err.details });
      } else {
        log(`internal error on ${req.method} ${url.pathname}: ${err instanceof Error ? err.stack : String(err)}`);
        sendJson(res, 500, { error: 'internal', message: 'Something went wrong on the server. Try again.' });
      }
    }
  }

  // socket.io adds its own upgrade listener; ours runs first and leaves /socket.io/ to it.
  httpServer.prependListener('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/socket.io/')) return;
    if (collab.handles(req)) {
      collab.upgrade(req, socket, head);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  const sweep = setInterval(() => void store.deleteExpiredSessions(Date.now()), 3600_000);
  sweep.unref();

  return {
    url: `http://${host}:${port}`,
    port,
    services,
    async close() {
      clearInterval(sweep);
      await collab.close();
      await fanOut.close();
      realtime.close();
      await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
