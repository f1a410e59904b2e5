import type { AmendmentLifecycle } from './amendments/lifecycle.js';
import type { SignInThrottle } from './auth/loginThrottle.js';
import type { Sessions } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { CollabServer, SessionEnd } from './collab/CollabServer.js';
import type { Config } from './config.js';
import type { ClientAddressOf } from './http/clientAddress.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';
import type { LiveEvents } from './realtime/socketServer.js';
import type { Store, UserRecord } from './storage/Store.js';

export type { Clock } from './clock.js';

/**
 * What the running server offers to routes, commands and the domain modules below them. It lives outside
 * routes/ because layers point one way: routes → commands → (policies, storage, collab).
 */
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
  /**
   * Called when the Office changed what a user may do (role, group, State): their live connections, in
   * every process, are admitted again with the user as given.
   */
  onPowersChanged: (user: UserRecord) => void;
  /** Called when a round of the document was opened or closed: every process reads its latest round again. */
  onRoundChanged: (documentId: string) => void;
  /** This server's Prometheus metrics (its own registry). */
  metrics: Metrics;
  logger: Logger;
  /** The client's address of a request: its peer's, or behind a trusted proxy the one it forwards. */
  clientAddress: ClientAddressOf;
  /** Counts failed sign-ins: in memory, or in Redis shared by every process when REDIS_URL is set. */
  signInThrottle: SignInThrottle;
}
