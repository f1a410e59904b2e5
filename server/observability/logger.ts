import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
}

/**
 * Never in a log line: tokens, passwords, cookies, document text. Request logs carry the path only (a
 * token may travel in a query string), and these paths are cut in case a caller logs a header or body.
 */
const REDACT = [
  'token',
  'password',
  'authorization',
  'cookie',
  '*.token',
  '*.password',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** The server's logger: JSON lines in production, readable lines in a terminal. */
export function createLogger(options: LoggerOptions, destination?: NodeJS.WritableStream): Logger {
  const base = { level: options.level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } };
  if (options.format === 'pretty') {
    return pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', destination }));
  }
  return destination ? pino(base, destination) : pino(base);
}

/** Tests and tools that pass no logger hear nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Lets callers that still hand over `(message) => void` keep doing so (benchmarks): each line is passed
 * on. Warnings and errors only, as that plumbing carried: per-request lines would swamp a benchmark.
 */
export function loggerFromFunction(log: (message: string) => void): Logger {
  return pino({ level: 'warn', base: undefined }, { write: (line: string) => log(line.trimEnd()) });
}
