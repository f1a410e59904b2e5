import type { Server } from 'socket.io';
import type { SessionEnd } from '../collab/CollabServer.js';
import { LoginThrottle, type SignInThrottle } from '../auth/loginThrottle.js';
import { RedisLoginThrottle } from '../auth/redisLoginThrottle.js';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { ReadinessCheck } from '../observability/readiness.js';
import { type PresenterStore, RedisPresenterStore } from '../realtime/presenterStore.js';
import { attachRedisAdapter } from '../realtime/redisAdapter.js';
import { type FanOut, LocalFanOut } from './FanOut.js';
import { RedisFanOut } from './RedisFanOut.js';
import { type RedisConnections, openRedis } from './redisConnections.js';

/** How long start-up waits for Redis before serving anyway (`/readyz` answers 503 until it is reached). */
const REDIS_START_WAIT_MS = 5000;

/**
 * What one process shares with the others: everything in this process without REDIS_URL (the
 * defaults), in Redis with it — the section fan-out, the socket.io adapter, the presenters and the
 * sign-in throttle, plus the readiness check of the Redis links.
 */
export interface SharedState {
  fanOut: FanOut;
  signInThrottle: SignInThrottle;
  /** Undefined: the socket server keeps presenters in memory. */
  presenters: PresenterStore | undefined;
  readinessChecks: ReadinessCheck[];
  /**
   * Puts socket.io on the Redis adapter (nothing to do in one process). `local` acts on this process's
   * live connections; the result tells the other processes to do the same.
   */
  attachSocketServer(io: Server, local: LiveConnectionChanges): LiveConnectionChanges;
  close(): Promise<void>;
}

/** What ends or renews live connections: in this process, or announced to the others. */
export interface LiveConnectionChanges {
  /** A session ended (sign-out): its connections close now. */
  sessionEnded(tokenHash: string, why: SessionEnd): void;
  /** The Office changed what a user may do: connections admitted with other powers come back with these. */
  powersChanged(userId: string, powers: string): void;
}

/** The socket.io server-side event between processes; never sent to or accepted from a client. */
const SESSION_ENDED = 'concord:session-ended';
const SESSION_ENDS: readonly SessionEnd[] = ['signedOut', 'expired'];
const POWERS_CHANGED = 'concord:powers-changed';

export async function openSharedState(config: Config, logger: Logger, givenFanOut?: FanOut): Promise<SharedState> {
  if (!config.redisUrl) {
    return {
      fanOut: givenFanOut ?? new LocalFanOut(),
      signInThrottle: new LoginThrottle(),
      presenters: undefined,
      readinessChecks: [],
      attachSocketServer: () => ({ sessionEnded: () => {}, powersChanged: () => {} }),
      close: async () => {},
    };
  }
  const log = logger.child({ component: 'redis' });
  const redis: RedisConnections = openRedis(config.redisUrl, config.redisPrefix, logger);
  if (!(await redis.whenConnected(REDIS_START_WAIT_MS))) {
    log.warn('Redis not reachable at start: serving, /readyz answers 503 until it is');
  }
  const presenters = new RedisPresenterStore(
    () => redis.ready(),
    redis.prefix,
    (err) => log.warn({ err: String(err) }, 'presenter store'),
  );
  return {
    fanOut: givenFanOut ?? new RedisFanOut(redis.commands, redis.fanOutSubscriber, redis.prefix, log),
    signInThrottle: new RedisLoginThrottle(() => redis.ready(), redis.prefix, log),
    presenters,
    readinessChecks: [{ name: 'redis', check: () => redis.check() }],
    attachSocketServer(io, local) {
      attachRedisAdapter(io, redis.commands, redis.adapterSubscriber, `${redis.prefix}socket.io`, (err) =>
        log.debug({ err: String(err) }, 'socket.io adapter call failed'),
      );
      // Without it, a session signed out on one process keeps its sockets on the others until their
      // next session check (CONCORD_SESSION_CHECK_MS).
      io.on(SESSION_ENDED, (tokenHash: unknown, why: unknown) => {
        if (typeof tokenHash !== 'string' || !SESSION_ENDS.includes(why as SessionEnd)) return;
        local.sessionEnded(tokenHash, why as SessionEnd);
      });
      // Likewise a role or group changed on one process: the others' sockets would keep the old powers.
      io.on(POWERS_CHANGED, (userId: unknown, powers: unknown) => {
        if (typeof userId !== 'string' || typeof powers !== 'string') return;
        local.powersChanged(userId, powers);
      });
      return {
        sessionEnded: (tokenHash, why) => io.serverSideEmit(SESSION_ENDED, tokenHash, why),
        powersChanged: (userId, powers) => io.serverSideEmit(POWERS_CHANGED, userId, powers),
      };
    },
    async close() {
      presenters.close();
      await redis.close();
    },
  };
}
