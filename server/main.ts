import { startServer } from './app.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, setUpDemoIfEmpty } from './commands/demo.js';
import { loadConfig } from './config.js';
import { createLogger } from './observability/logger.js';
import { DataDirLockedError, lockDataDir } from './storage/dataDirLock.js';
import { openStore } from './storage/openStore.js';
import { isPrimary, runPrimary, workersRefusal } from './workers/primary.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  if (config.workers > 1 && isPrimary()) {
    const refusal = workersRefusal(config.workers, config);
    if (refusal) {
      console.error(`[concord] failed to start: ${refusal}`);
      process.exit(1);
    }
    // The primary only supervises: each worker runs this file again and takes the branch below.
    runPrimary(config.workers, logger);
    return;
  }
  // Before the store is opened: a second server must not even run its migrations on the folder.
  // PostgreSQL has no data folder: its processes share the database (migrations under a lock).
  const lock = config.databaseUrl ? null : lockDataDir(config.dataDir);
  const store = openStore(config);
  if (config.demo && (await setUpDemoIfEmpty(store))) {
    logger.info(
      `demo set up in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}: document GB.346/PFA/1 and ${DEMO_ACCOUNTS.length} accounts`,
    );
  }
  const server = await startServer(config, store, logger);
  // Tests and scripts read the URL from this line: keep "listening on <url>" followed by a space.
  logger.info(`listening on ${server.url}  (data: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})`);
  if (server.metricsUrl) logger.info(`metrics on ${server.metricsUrl}`);
  if (config.demo) {
    logger.info(`DEMO MODE: accounts ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')} — password "${DEMO_PASSWORD}"`);
    logger.info('set CONCORD_DEMO=0 to turn demo mode off (demo accounts can then no longer sign in)');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Readiness first, so the load balancer stops sending traffic while everything still works.
    server.drain();
    logger.info({ signal, drainDelayMs: config.drainDelayMs }, 'draining: /readyz answers 503');
    if (config.drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs));
    logger.info('storing what the sections hold and closing');
    try {
      await server.close();
      await store.close();
      lock?.release();
    } catch (err) {
      logger.error({ err }, 'failed to close cleanly');
      process.exit(1);
    }
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError) {
    console.error(`[concord] failed to start: ${err.message}`);
    process.exit(1);
  }
  console.error('[concord] failed to start:', err);
  process.exit(1);
});
