import { type Answer, IDEMPOTENCY_KEEP_MS, idempotencyOf } from './http/idempotency.js';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { powersOf } from './auth/powers.js';
import { watchSessions } from './auth/sessionWatch.js';
import { ServerEvent } from '../shared/events.js';
import { Sessions } from './auth/sessions.js';
import { AmendmentLifecycle } from './amendments/lifecycle.js';
import { withRequestOrigin } from './audit/requestOrigin.js';
import { deadlineCheckForCollab } from './rounds/deadlines.js';
import { followRoundChanges, roundChanged } from './rounds/latestRounds.js';
import { watchRoundDeadlines } from './rounds/deadlineWatch.js';
import { presentRound } from './presenters/round.js';
import { documentRoom } from './realtime/socketServer.js';
import { CollabServer, type CollabServerOptions, type SessionEnd } from './collab/CollabServer.js';
import type { RoomOptions } from './collab/Room.js';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import type { FanOut } from './fanout/FanOut.js';
import { RedisFanOut } from './fanout/RedisFanOut.js';
import { LeasedOwnership, LocalOwnership, type SectionOwnership } from './cluster/SectionOwnership.js';
import { NotOwner } from './cluster/notOwner.js';
import {
  FORWARDED_HEADER,
  type ForwardedAnswer,
  RequestForwarder,
  forwardableHeaders,
} from './cluster/requestForwarding.js';
import { openSharedState } from './fanout/sharedState.js';
import { clientAddressResolver } from './http/clientAddress.js';
import { refuseStateChange } from './http/guards.js';
import type { OriginPolicy } from './http/origin.js';
import { Router, bufferJsonBody, sendJson } from './http/router.js';
import { applySecurityHeaders } from './http/securityHeaders.js';
import { serveClient } from './http/staticFiles.js';
import { createSocketServer } from './realtime/socketServer.js';
import type { AppServices } from './services.js';
import { systemClock } from './clock.js';
import { registerRoutes } from './routes/index.js';
import type { Store } from './storage/Store.js';
import { observeCollab } from './observability/collabObserver.js';
import { serveOperations, startMetricsServer } from './observability/endpoints.js';
import { type Logger, loggerFromFunction, silentLogger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { Readiness, type ReadinessCheck } from './observability/readiness.js';
import { requestUserOf } from './observability/requestUser.js';
import { timedStore } from './observability/timedStore.js';

/** An id a load balancer may pass in X-Request-Id; anything else is replaced by ours. */
const REPLAYED = { 'idempotent-replayed': 'true' };

/** The answer an error gets (as sent below), for the idempotency key's record. */
function errorAnswer(err: unknown): Answer {
  if (err instanceof HttpError)
    return {
      status: err.status,
      body: { error: err.error, message: err.message, details: err.details, reason: err.reason },
    };
  return { status: 500, body: { error: 'internal', message: 'Something went wrong on the server. Try again.' } };
}

const FORWARDED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface ConcordServer {
  url: string;
  port: number;
  services: AppServices;
  /** Where `/metrics` is served without a token, when CONCORD_METRICS_PORT is set. */
  metricsUrl: string | null;
  /** Readiness turns 503 (SIGTERM): the load balancer stops sending traffic; everything still works. */
  drain(): void;
  /** Ends the live connections of sessions that expired or were revoked now, without waiting for the next check. */
  checkSessions(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** More dependencies `/readyz` checks; the store is always checked, and Redis when `config.redisUrl` is set. */
  readinessChecks?: ReadinessCheck[];
}

function sendForwarded(res: ServerResponse, answer: ForwardedAnswer): void {
  const headers: Record<string, string> = {};
  if (answer.contentType) headers['content-type'] = answer.contentType;
  res.writeHead(answer.status, headers);
  res.end(Buffer.from(answer.body, 'base64'));
}

/**
 * One writer per section once several processes share the store: PostgreSQL for the leases and fences,
 * Redis for forwarding to the owner. Otherwise this process writes every section, unfenced, as always.
 */
function sectionOwnership(
  store: Store,
  fanOut: FanOut,
  logger: Logger,
  onLost: (documentId: string, sectionId: string) => void,
): SectionOwnership {
  const engine = (store as { engine?: string }).engine;
  if (!(fanOut instanceof RedisFanOut) || engine !== 'postgres') return new LocalOwnership('local');
  // The id `section_lease.owner` names this process by: operators (and the fault tests) map a lease to
  // a process with it.
  logger.info({ component: 'ownership', processId: fanOut.processId }, 'sections are leased as this process id');
  return new LeasedOwnership(fanOut.processId, store.ownership, onLost, undefined, (err) =>
    logger.warn({ component: 'ownership', err: String(err) }, 'lease renewal failed'),
  );
}

/**
 * Assembles Concord on one port: the HTTP API, the built client, socket.io on `/socket.io/` and the
 * y-websocket endpoint on `/collab/…`. Websocket upgrades are routed by path; anything else is closed.
 */
export async function startServer(
  config: Config,
  store: Store,
  log: Logger | ((message: string) => void) = silentLogger(),
  givenFanOut?: FanOut,
  options: StartOptions = {},
): Promise<ConcordServer> {
  const logger = typeof log === 'function' ? loggerFromFunction(log) : log;
  const metrics = new Metrics();
  // Every call below, by every module, is timed; callers keep the store they passed.
  store = timedStore(store, metrics);
  // With REDIS_URL, fan-out and shared ephemeral state go through Redis; without it nothing leaves the process.
  const shared = await openSharedState(config, logger, givenFanOut);
  const { fanOut } = shared;
  const readiness = new Readiness([
    // A primary-key lookup: proves the store answers, costs nothing.
    { name: 'store', check: () => store.findSession('readyz') },
    ...shared.readinessChecks,
    ...(options.readinessChecks ?? []),
  ]);
  const collabObserver = observeCollab(metrics, logger.child({ component: 'collab' }));
  const ownership = sectionOwnership(store, fanOut, logger, (documentId, sectionId) =>
    collab.ownershipLost(documentId, sectionId),
  );
  // Sessions keep the real time: tests move `services.clock` days ahead to pass round deadlines, and
  // their users must stay signed in.
  const sessions = new Sessions(store, config.sessionTtlMs, config.demo);
  const clientAddress = clientAddressResolver(config.trustedProxies);
  // Bound once the services exist: the amendment records follow every change applied to a section.
  let lifecycle: AmendmentLifecycle | null = null;
  let checkNewSuggestions: RoomOptions['checkNewSuggestions'];
  let onRefused: CollabServerOptions['onRefused'];
  // Commands that reach a process not owning their section are run by the owner (see handle below).
  const forwarder = ownership.shared
    ? new RequestForwarder(fanOut, ownership.processId, () => (httpServer.address() as AddressInfo).port)
    : null;
  const collab = new CollabServer(store, sessions, {
    fanOut,
    lifecycle: {
      loaded: (room) => lifecycle?.loaded(room),
      settle: (room, all) => lifecycle?.settle(room, all) ?? Promise.resolve(),
      record: (tx, room, step) =>
        lifecycle ? lifecycle.record(tx, room, step) : Promise.resolve({ after: () => {}, result: undefined }),
    },
    checkNewSuggestions: (documentId, author, ids) =>
      checkNewSuggestions?.(documentId, author, ids) ?? Promise.resolve(null),
    unloadAfterMs: config.unloadAfterMs,
    presenceFlushMs: config.presenceFlushMs,
    compactAfterUpdates: config.compactAfterUpdates,
    log: (message) => logger.warn({ component: 'collab' }, message),
    observer: collabObserver,
    maxConnectionsPerUser: config.maxConnectionsPerUser,
    connectRatePerIp: config.connectRatePerIp,
    connectBurstPerIp: config.connectBurstPerIp,
    clientAddress,
    onRefused: (userId, payload) => onRefused?.(userId, payload),
    ownership,
    // Read through the services at each use: a test that replaces `services.clock` moves the rooms' time too.
    clock: { now: () => services.clock.now() },
  });
  const originPolicy: OriginPolicy = { allowed: new Set(config.allowedOrigins), secure: config.secureCookies };
  collab.originPolicy = originPolicy;
  const router = new Router();
  const httpServer = createServer((req, res) => void handle(req, res));
  const realtime = createSocketServer(httpServer, sessions, store, originPolicy, {
    maxConnectionsPerUser: config.maxRealtimeConnectionsPerUser,
    presenters: shared.presenters,
    onError: (err, context) => logger.warn({ component: 'socket.io', err: String(err), context }, 'live event failed'),
    clock: { now: () => services.clock.now() },
  });
  const local = {
    sessionEnded: (tokenHash: string, why: SessionEnd) => {
      collab.endSession(tokenHash, why);
      realtime.endSession(tokenHash, why);
    },
    powersChanged: (userId: string, powers: string) => {
      collab.powersChanged(userId, powers);
      realtime.powersChanged(userId, powers);
    },
  };
  const announce = shared.attachSocketServer(realtime.io, local);
  onRefused = (userId, payload) => realtime.events.toUser(userId, ServerEvent.UpdateRefused, payload);
  // A deadline passing is told to this process's own clients (every process watches): `round:changed`,
  // so that they follow the server's `amendmentsOpen` live.
  const deadlines = watchRoundDeadlines(
    store,
    { now: () => services.clock.now() },
    (round, now) =>
      realtime.io.local
        .to(documentRoom(round.documentId))
        .emit(ServerEvent.RoundChanged, { round: presentRound(round, now) }),
    (err) => logger.warn({ component: 'rounds', err: String(err) }, 'deadline watch failed'),
  );
  // The lifecycle needs the services it belongs to, so it joins them right after.
  const services = {
    clock: systemClock,
    config,
    store,
    sessions,
    collab,
    events: realtime.events,
    metrics,
    logger,
    signInThrottle: shared.signInThrottle,
    clientAddress,
    onSessionEnded: (tokenHash, why) => {
      local.sessionEnded(tokenHash, why ?? 'signedOut');
      // Every process finds expired sessions itself; a sign-out is known only where it happened.
      if (why !== 'expired') announce.sessionEnded(tokenHash, why ?? 'signedOut');
    },
    onRoundChanged: (documentId) => {
      roundChanged(store, fanOut, documentId);
      deadlines.watch(documentId);
    },
    onPowersChanged: (user) => {
      const powers = powersOf(user);
      local.powersChanged(user.id, powers);
      // The other processes' session checks would find it too, but only at their next check.
      announce.powersChanged(user.id, powers);
    },
  } as AppServices;
  lifecycle = new AmendmentLifecycle(services);
  const stopFollowingRounds = followRoundChanges(store, fanOut, {
    changed: (documentId) => deadlines.watch(documentId),
    missed: () => deadlines.watchAll(),
  });
  deadlines.watchAll();
  services.lifecycle = lifecycle;
  const sessionWatch = watchSessions({
    sessions,
    intervalMs: config.sessionCheckMs,
    liveSessions: function* () {
      yield* collab.liveSessions();
      yield* realtime.liveSessions();
    },
    end: (tokenHash) => services.onSessionEnded(tokenHash, 'expired'),
    powersChanged: local.powersChanged,
    log: (message) => logger.warn({ component: 'sessions' }, message),
  });
  checkNewSuggestions = deadlineCheckForCollab(services);
  registerRoutes(router, services);
  metrics.watch({
    collabConnectionsByRole: () => collabObserver.byRole(),
    loadedSections: () => collab.loadedRooms().length,
    socketConnections: () => realtime.io.engine.clientsCount,
  });
  realtime.io.on('connection', (socket) => {
    const userId = (socket.data as { user?: { id: string } }).user?.id;
    const socketLog = logger.child({
      component: 'socket.io',
      connId: socket.id,
      userId,
      ip: clientAddress(socket.request),
    });
    socketLog.info('socket.io connected');
    socket.on('disconnect', (reason) => socketLog.info({ reason }, 'socket.io disconnected'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applySecurityHeaders(res, req.headers.host);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendJson(res, 400, { error: 'bad_request', message: 'The address of this request is not valid.' });
      return;
    }
    const forwarded = req.headers['x-request-id'];
    const reqId = typeof forwarded === 'string' && FORWARDED_REQUEST_ID.test(forwarded) ? forwarded : randomUUID();
    res.setHeader('x-request-id', reqId);
    const ip = clientAddress(req);
    const reqLog = logger.child({ reqId, ip });
    // A route pattern, never the raw path: metric labels stay few, and ids stay out of them.
    let route = 'unmatched';
    const end = metrics.httpSeconds.startTimer();
    res.once('finish', () => {
      const labels = { method: req.method ?? 'GET', route, status: String(res.statusCode) };
      const seconds = end(labels);
      metrics.httpRequests.inc(labels);
      const line = { ...labels, path: url.pathname, ms: Math.round(seconds * 1000), userId: requestUserOf(req) };
      if (route === '/healthz' || route === '/readyz' || route === '/metrics') reqLog.debug(line, 'request');
      else reqLog.info(line, 'request');
    });
    // Kept for forwarding: a command whose section another process owns is sent there as it came.
    let rawBody: Buffer | null = null;
    try {
      if (url.pathname === '/healthz' || url.pathname === '/readyz' || url.pathname === '/metrics') {
        // Named before answering: the response may finish (and be logged) before the call returns.
        route = url.pathname;
        if (await serveOperations(req, res, url.pathname, { readiness, metrics, metricsToken: config.metricsToken }))
          return;
        route = 'unmatched';
      }
      if (url.pathname.startsWith('/api/')) {
        const found = router.match(req.method ?? 'GET', url.pathname);
        if (found === null) throw new HttpError(404, 'not_found', `No API endpoint ${url.pathname}.`);
        if (found === 'methodMismatch')
          throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}.`);
        route = `/${found.route.parts.join('/')}`;
        refuseStateChange(req, found.route, originPolicy);
        if (forwarder && found.route.body === 'json' && req.method !== 'GET' && req.method !== 'HEAD') {
          // Kept (the router holds the bytes for readJson too) so that the command can be forwarded.
          if (req.headers[FORWARDED_HEADER] === undefined) rawBody = await bufferJsonBody(req);
        }
        const idempotent = await idempotencyOf(req, url, found.route, { ...services, clock: systemClock });
        if (idempotent?.replay) {
          sendJson(res, idempotent.replay.status, idempotent.replay.body, REPLAYED);
          return;
        }
        const run = () =>
          withRequestOrigin(req, ip, () => found.route.handler({ req, res, url, params: found.params }));
        let body: unknown;
        try {
          body = idempotent ? await idempotent.run(run) : await run();
        } catch (err) {
          // Another process owns the section: the request is forwarded with its key, and the owner keeps it.
          if (!idempotent || res.headersSent || err instanceof NotOwner) throw err;
          // A rival request with the same key committed first: its answer is this one's too.
          const rival = await idempotent.rivalAnswer();
          if (rival) {
            sendJson(res, rival.status, rival.body, REPLAYED);
            return;
          }
          await idempotent.finish(errorAnswer(err));
          throw err;
        }
        if (!res.headersSent) {
          // Stored before it is sent: a client that never reads this answer gets it on its retry.
          await idempotent?.finish({ status: found.route.status, body });
          sendJson(res, found.route.status, body);
        }
        return;
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && (await serveClient(config.clientDir, url.pathname, res))) {
        route = 'client';
        return;
      }
      throw new HttpError(404, 'not_found', `Nothing at ${url.pathname}.`);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof NotOwner && forwarder && rawBody !== null) {
        const answer = await forwarder.forward(err.processId, {
          method: req.method ?? 'POST',
          path: req.url ?? url.pathname,
          headers: forwardableHeaders(req.headers),
          body: rawBody.toString('base64'),
        });
        sendForwarded(res, answer);
        return;
      }
      if (err instanceof NotOwner) {
        // Forwarded once already (the section changed hands meanwhile), or not forwardable: retry later.
        sendJson(res, 503, { error: 'unavailable', message: 'This section is moving to another server. Try again.' });
      } else if (err instanceof HttpError) {
        sendJson(
          res,
          err.status,
          { error: err.error, message: err.message, details: err.details, reason: err.reason },
          err.headers,
        );
      } else {
        reqLog.error({ err, method: req.method, path: url.pathname }, 'internal error');
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
  }).catch(async (err: unknown) => {
    await shared.close();
    throw err;
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let metricsServer: Server | null = null;
  let metricsUrl: string | null = null;
  if (config.metricsPort !== null) {
    metricsServer = await startMetricsServer(metrics, config.metricsPort, config.metricsHost);
    const address = metricsServer.address() as AddressInfo;
    const metricsHost = config.metricsHost.includes(':') ? `[${config.metricsHost}]` : config.metricsHost;
    metricsUrl = `http://${metricsHost}:${address.port}/metrics`;
  }
  readiness.ready();

  // Sessions keep the real time (see above).
  const sweep = setInterval(() => {
    void store.deleteExpiredSessions(systemClock.now());
    void store.idempotency.deleteOlderThan(systemClock.now() - IDEMPOTENCY_KEEP_MS);
  }, 3600_000);
  sweep.unref();

  return {
    url: `http://${host}:${port}`,
    port,
    services,
    metricsUrl,
    drain: () => readiness.drain(),
    checkSessions: () => sessionWatch.check(),
    async close() {
      readiness.drain();
      // Stop accepting first; connections already open finish below.
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      clearInterval(sweep);
      sessionWatch.stop();
      await collab.close();
      forwarder?.close();
      stopFollowingRounds();
      deadlines.stop();
      await fanOut.close();
      realtime.close();
      await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
      await httpClosed;
      await shared.close();
      if (metricsServer) {
        const closing = metricsServer;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
    },
  };
}
