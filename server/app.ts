import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { watchSessions } from './auth/sessionWatch.js';
import { Sessions } from './auth/sessions.js';
import { createAmendmentSync } from './amendments/sync.js';
import { withRequestOrigin } from './audit/requestOrigin.js';
import { deadlineCheckForCollab } from './rounds/deadlines.js';
import { CollabServer } from './collab/CollabServer.js';
import type { RoomOptions } from './collab/Room.js';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import { type FanOut, LocalFanOut } from './fanout/FanOut.js';
import { refuseStateChange } from './http/guards.js';
import type { OriginPolicy } from './http/origin.js';
import { Router, sendJson } from './http/router.js';
import { applySecurityHeaders } from './http/securityHeaders.js';
import { serveClient } from './http/staticFiles.js';
import { createSocketServer } from './realtime/socketServer.js';
import type { AppServices } from './routes/context.js';
import { registerRoutes } from './routes/index.js';
import type { Store } from './storage/Store.js';

export interface ConcordServer {
  url: string;
  port: number;
  services: AppServices;
  /** Ends the live connections of sessions that expired or were revoked now, without waiting for the next check. */
  checkSessions(): Promise<void>;
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
  // Sessions keep the real time: tests move `services.clock` days ahead to pass round deadlines, and
  // their users must stay signed in.
  const sessions = new Sessions(store, config.sessionTtlMs, config.demo);
  // Bound once the services exist: the amendment records follow every change applied to a section.
  let onApplied: RoomOptions['onApplied'];
  let checkNewSuggestions: RoomOptions['checkNewSuggestions'];
  const collab = new CollabServer(store, sessions, {
    fanOut,
    onApplied: (room, update, origin) => onApplied?.(room, update, origin),
    checkNewSuggestions: (documentId, author, ids) =>
      checkNewSuggestions?.(documentId, author, ids) ?? Promise.resolve(null),
    unloadAfterMs: config.unloadAfterMs,
    presenceFlushMs: config.presenceFlushMs,
    compactAfterUpdates: config.compactAfterUpdates,
    log,
  });
  const originPolicy: OriginPolicy = { allowed: new Set(config.allowedOrigins), secure: config.secureCookies };
  collab.originPolicy = originPolicy;
  const router = new Router();
  const httpServer = createServer((req, res) => void handle(req, res));
  const realtime = createSocketServer(httpServer, sessions, store, originPolicy);
  const services: AppServices = {
    clock: { now: () => Date.now() },
    config,
    store,
    sessions,
    collab,
    events: realtime.events,
    onSessionEnded: (tokenHash, why) => {
      collab.endSession(tokenHash, why);
      realtime.endSession(tokenHash, why);
    },
  };
  const sessionWatch = watchSessions({
    sessions,
    intervalMs: config.sessionCheckMs,
    liveSessions: function* () {
      yield* collab.liveSessions();
      yield* realtime.liveSessions();
    },
    end: (tokenHash) => services.onSessionEnded(tokenHash, 'expired'),
    log,
  });
  onApplied = createAmendmentSync(services);
  checkNewSuggestions = deadlineCheckForCollab(services);
  registerRoutes(router, services);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applySecurityHeaders(res, req.headers.host);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { error: 'bad_request', message: 'The address of this request is not valid.' });
      return;
    }
    try {
      if (url.pathname.startsWith('/api/')) {
        const found = router.match(req.method ?? 'GET', url.pathname);
        if (found === null) throw new HttpError(404, 'not_found', `No API endpoint ${url.pathname}.`);
        if (found === 'methodMismatch')
          throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}.`);
        refuseStateChange(req, found.route, originPolicy);
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
        sendJson(res, err.status, { error: err.error, message: err.message, details: err.details }, err.headers);
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
    checkSessions: () => sessionWatch.check(),
    async close() {
      clearInterval(sweep);
      sessionWatch.stop();
      await collab.close();
      await fanOut.close();
      realtime.close();
      await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
