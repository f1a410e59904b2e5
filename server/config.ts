import path from 'node:path';
import { parseTrustedProxies } from './http/clientAddress.js';
import { parseAllowedOrigins } from './http/origin.js';

/** Server configuration, read once from the environment. Every variable is documented in the README. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `postgres://…`: the store is PostgreSQL; null: SQLite in dataDir (the default). */
  databaseUrl: string | null;
  /** Seed the demo document and accounts on an empty store, and allow demo accounts to sign in. */
  demo: boolean;
  /** Session lifetime in milliseconds. */
  sessionTtlMs: number;
  /** Secure flag on the session cookie (turn on behind HTTPS). */
  secureCookies: boolean;
  /** Milliseconds a section stays in memory after its last connection leaves. */
  unloadAfterMs: number;
  /** Compact a section's stored updates once it has this many. */
  compactAfterUpdates: number;
  /** Milliseconds over which presence (awareness) changes are gathered into one frame per client. */
  presenceFlushMs: number;
  /** Folder of the built client to serve; empty to serve none. */
  clientDir: string;
  durability: 'normal' | 'full';
  /** Bearer token that opens `GET /metrics` on the main port; empty: not served there. */
  metricsToken: string;
  /** A separate port serving `/metrics` without a token (on metricsHost); null: none. */
  metricsPort: number | null;
  metricsHost: string;
  logLevel: string;
  /** `pretty` for a terminal, `json` for a log collector. */
  logFormat: 'json' | 'pretty';
  /** Milliseconds between SIGTERM (readiness turns 503) and closing, so a load balancer can notice. */
  drainDelayMs: number;
  /** Page origins besides the server's own whose cookie-authenticated requests are accepted. */
  allowedOrigins: string[];
  /** Addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` names the client; empty: none. */
  trustedProxies: string[];
  /** Milliseconds between checks that close live connections of expired sessions. */
  sessionCheckMs: number;
  /** Collaboration sockets one user may hold at once (every tab opens one per visible section). */
  maxConnectionsPerUser: number;
  /** socket.io connections one user may hold at once (one per tab). */
  maxRealtimeConnectionsPerUser: number;
  /** Websocket connections an address may open per second, sustained, and in a burst. */
  connectRatePerIp: number;
  connectBurstPerIp: number;
  /** How long a store call retries while another process holds the SQLite file's lock. */
  storeBusyRetryMs: number;
  /** Longest a Word import may take to read before it is stopped and refused. */
  importTimeoutMs: number;
  /** Redis for socket.io fan-out, section fan-out and shared ephemeral state; null: all in this process. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel Concord uses, so that deployments can share one Redis. */
  redisPrefix: string;
  /** Processes `npm start` runs on this machine, sharing the port (Node's cluster module); 1: this process alone. */
  workers: number;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function boolFrom(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevelFrom(value: string | undefined): string {
  if (value === undefined || value === '') return 'info';
  if (!LOG_LEVELS.includes(value)) throw new Error(`CONCORD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

/** Readable in a terminal (the demo), JSON lines otherwise; CONCORD_LOG_FORMAT decides when set. */
function logFormatFrom(value: string | undefined): 'json' | 'pretty' {
  if (value === 'json' || value === 'pretty') return value;
  if (value) throw new Error('CONCORD_LOG_FORMAT must be json or pretty');
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/** Only PostgreSQL URLs: anything else is a mistake to report at start, not a store to guess. */
function databaseUrlFrom(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('DATABASE_URL must be a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error('DATABASE_URL must be a postgres:// URL');
  }
  return value;
}

function redisUrlFrom(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('REDIS_URL must be a URL such as redis://127.0.0.1:6379/0');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error('REDIS_URL must start with redis:// or rediss://');
  return value;
}

/**
 * Printable characters only: the prefix is part of every key and channel name. No glob characters
 * either: the socket.io adapter listens with PSUBSCRIBE `<prefix>socket.io#/#*`, so `concord-?:` would
 * also receive another deployment's events on the same Redis.
 */
function redisPrefixFrom(value: string | undefined): string {
  if (value === undefined) return 'concord:';
  if (!/^[\x21-\x7e]{0,64}$/.test(value))
    throw new Error('CONCORD_REDIS_PREFIX must be at most 64 printable characters, no spaces');
  if (/[*?[\]\\]/.test(value))
    throw new Error(
      'CONCORD_REDIS_PREFIX must not hold *, ?, [, ] or \\ (Redis patterns would match other deployments)',
    );
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const durability = env.CONCORD_DURABILITY === 'full' ? 'full' : 'normal';
  return {
    port: intFrom(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: databaseUrlFrom(env.DATABASE_URL),
    demo: boolFrom(env.CONCORD_DEMO, true),
    sessionTtlMs: intFrom(env.CONCORD_SESSION_HOURS, 12, 'CONCORD_SESSION_HOURS') * 3600_000,
    secureCookies: boolFrom(env.CONCORD_SECURE_COOKIES, false),
    unloadAfterMs: intFrom(env.CONCORD_UNLOAD_AFTER_MS, 30_000, 'CONCORD_UNLOAD_AFTER_MS'),
    compactAfterUpdates: intFrom(env.CONCORD_COMPACT_AFTER, 500, 'CONCORD_COMPACT_AFTER'),
    presenceFlushMs: intFrom(env.CONCORD_PRESENCE_FLUSH_MS, 50, 'CONCORD_PRESENCE_FLUSH_MS'),
    clientDir: env.CONCORD_CLIENT_DIR ?? path.resolve('dist/client'),
    durability,
    metricsToken: env.CONCORD_METRICS_TOKEN ?? '',
    metricsPort: env.CONCORD_METRICS_PORT ? intFrom(env.CONCORD_METRICS_PORT, 0, 'CONCORD_METRICS_PORT') : null,
    metricsHost: env.CONCORD_METRICS_HOST || '127.0.0.1',
    logLevel: logLevelFrom(env.CONCORD_LOG_LEVEL),
    logFormat: logFormatFrom(env.CONCORD_LOG_FORMAT),
    drainDelayMs: intFrom(env.CONCORD_DRAIN_DELAY_MS, 0, 'CONCORD_DRAIN_DELAY_MS'),
    allowedOrigins: parseAllowedOrigins(env.CONCORD_ALLOWED_ORIGINS),
    trustedProxies: parseTrustedProxies(env.CONCORD_TRUSTED_PROXIES),
    sessionCheckMs: intFrom(env.CONCORD_SESSION_CHECK_MS, 30_000, 'CONCORD_SESSION_CHECK_MS'),
    maxConnectionsPerUser: intFrom(env.CONCORD_MAX_CONNECTIONS_PER_USER, 32, 'CONCORD_MAX_CONNECTIONS_PER_USER'),
    maxRealtimeConnectionsPerUser: intFrom(
      env.CONCORD_MAX_REALTIME_CONNECTIONS_PER_USER,
      16,
      'CONCORD_MAX_REALTIME_CONNECTIONS_PER_USER',
    ),
    connectRatePerIp: intFrom(env.CONCORD_CONNECT_RATE_PER_IP, 20, 'CONCORD_CONNECT_RATE_PER_IP'),
    connectBurstPerIp: intFrom(env.CONCORD_CONNECT_BURST_PER_IP, 60, 'CONCORD_CONNECT_BURST_PER_IP'),
    storeBusyRetryMs: intFrom(env.CONCORD_STORE_BUSY_RETRY_MS, 5000, 'CONCORD_STORE_BUSY_RETRY_MS'),
    importTimeoutMs: intFrom(env.CONCORD_IMPORT_TIMEOUT_MS, 15_000, 'CONCORD_IMPORT_TIMEOUT_MS'),
    redisUrl: redisUrlFrom(env.REDIS_URL),
    redisPrefix: redisPrefixFrom(env.CONCORD_REDIS_PREFIX),
    workers: Math.max(1, intFrom(env.CONCORD_WORKERS, 1, 'CONCORD_WORKERS')),
    ...overrides,
  };
}
