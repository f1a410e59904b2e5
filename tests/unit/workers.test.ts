import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { RESTART_BACKOFF, nextRestartDelay, workersRefusal } from '../../server/workers/primary.js';

describe('CONCORD_WORKERS', () => {
  it('is one process unless set; 0 means one', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ CONCORD_WORKERS: '0' }).workers).toBe(1);
    expect(loadConfig({ CONCORD_WORKERS: '3' }).workers).toBe(3);
    expect(() => loadConfig({ CONCORD_WORKERS: 'three' })).toThrow(/CONCORD_WORKERS/);
  });

  it('refuses several processes without both PostgreSQL and Redis, naming what is missing', () => {
    const pg = 'postgres://x@h/db';
    const redis = 'redis://h:6379';
    expect(workersRefusal(1, { databaseUrl: null, redisUrl: null })).toBeNull();
    expect(workersRefusal(3, { databaseUrl: pg, redisUrl: redis })).toBeNull();
    expect(workersRefusal(3, { databaseUrl: null, redisUrl: null })).toMatch(/needs DATABASE_URL and REDIS_URL/);
    expect(workersRefusal(2, { databaseUrl: pg, redisUrl: null })).toMatch(/needs REDIS_URL:/);
    expect(workersRefusal(2, { databaseUrl: null, redisUrl: redis })).toMatch(/needs DATABASE_URL:/);
  });

  it('backs off restarts of a worker that keeps dying, and forgives one that lived long enough', () => {
    let delay = nextRestartDelay(null, 10);
    const seen = [delay];
    for (let i = 0; i < 10; i++) {
      delay = nextRestartDelay(delay, 10);
      seen.push(delay);
    }
    expect(seen[0]).toBe(RESTART_BACKOFF.firstMs);
    expect(seen[1]).toBe(RESTART_BACKOFF.firstMs * 2);
    expect(seen.at(-1)).toBe(RESTART_BACKOFF.maxMs);
    expect(nextRestartDelay(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.healthyAfterMs)).toBe(RESTART_BACKOFF.firstMs);
  });
});
