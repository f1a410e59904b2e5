import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

describe('operations settings', () => {
  it('reads metrics, log and drain settings from the environment', () => {
    const config = loadConfig({
      CONCORD_METRICS_TOKEN: 's3cret',
      CONCORD_METRICS_PORT: '9464',
      CONCORD_METRICS_HOST: '0.0.0.0',
      CONCORD_LOG_LEVEL: 'debug',
      CONCORD_LOG_FORMAT: 'pretty',
      CONCORD_DRAIN_DELAY_MS: '5000',
    });
    expect(config).toMatchObject({
      metricsToken: 's3cret',
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      logLevel: 'debug',
      logFormat: 'pretty',
      drainDelayMs: 5000,
    });
  });

  it('serves no metrics, logs JSON at info off a terminal, and closes at once by default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ metricsToken: '', metricsPort: null, metricsHost: '127.0.0.1', logLevel: 'info' });
    expect(config.logFormat).toBe(process.stdout.isTTY ? 'pretty' : 'json');
    expect(loadConfig({ CONCORD_LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(config.drainDelayMs).toBe(0);
  });

  it('refuses settings it cannot honour', () => {
    expect(() => loadConfig({ CONCORD_LOG_LEVEL: 'loud' })).toThrow(/CONCORD_LOG_LEVEL/);
    expect(() => loadConfig({ CONCORD_LOG_FORMAT: 'xml' })).toThrow(/CONCORD_LOG_FORMAT/);
    expect(() => loadConfig({ CONCORD_METRICS_PORT: 'nine' })).toThrow(/CONCORD_METRICS_PORT/);
  });
});
