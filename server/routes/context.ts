import type { AmendmentLifecycle } from '../amendments/lifecycle.js';
import type { SignInThrottle } from '../auth/loginThrottle.js';
import type { Sessions } from '../auth/sessions.js';
import { type Authenticated, tokenOf } from '../auth/sessions.js';
import type { CollabServer, SessionEnd } from '../collab/CollabServer.js';
import type { Config } from '../config.js';
import type { LiveEvents } from '../realtime/socketServer.js';
import { unauthorized } from '../errors.js';
import type { RequestContext } from '../http/router.js';
import type { Store } from '../storage/Store.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { noteRequestUser } from '../observability/requestUser.js';

/** The time, injectable: deadlines are judged against `clock.now()`, so tests can stand one second either side. */
export interface Clock {
  now(): number;
}

/** What every route needs from the running server. */
export interface AppServices {
  /** Read at each use: replace it (tests) and every deadline check follows. */
  clock: Clock;
  config: Config;
  store: Store;
  sessions: Sessions;
  collab: CollabServer;
  /** The one writer of amendment records (server/amendments/lifecycle.ts). */
  lifecycle: AmendmentLifecycle;
  /** Pushes live events over socket.io to a document's or a group's room. */
  events: LiveEvents;
  /** Called when a session ends (sign-out, expiry, revocation), so its live connections end too. */
  onSessionEnded: (tokenHash: string, why?: SessionEnd) => void;
  /** This server's Prometheus metrics (its own registry). */
  metrics: Metrics;
  logger: Logger;
  /** Counts failed sign-ins: in memory, or in Redis shared by every process when REDIS_URL is set. */
  signInThrottle: SignInThrottle;
}

/** The signed-in user of a request, or a 401. */
export async function requireUser(services: AppServices, ctx: RequestContext): Promise<Authenticated> {
  const auth = await services.sessions.authenticate(tokenOf(ctx.req));
  if (!auth) throw unauthorized('Your session has ended or is missing. Sign in again.');
  noteRequestUser(ctx.req, auth.user.id);
  return auth;
}
