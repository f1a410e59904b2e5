import { startServer } from './app.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, setUpDemoIfEmpty } from './commands/demo.js';
import { loadConfig } from './config.js';
import { DataDirLockedError, lockDataDir } from './storage/dataDirLock.js';
import { openStore } from './storage/openStore.js';

const log = (message: string) => console.log(`[concord] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig();
  // Before the store is opened: a second server must not even run its migrations on the folder.
  const lock = lockDataDir(config.dataDir);
  const store = openStore(config);
  if (config.demo && (await setUpDemoIfEmpty(store))) {
    log(`demo set up in ${config.dataDir}: document GB.346/PFA/1 and ${DEMO_ACCOUNTS.length} accounts`);
  }
  const server = await startServer(config, store, log);
  log(`listening on ${server.url}  (data: ${config.dataDir})`);
  if (config.demo) {
    log(`DEMO MODE: accounts ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')} — password "${DEMO_PASSWORD}"`);
    log('set CONCORD_DEMO=0 to turn demo mode off (demo accounts can then no longer sign in)');
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: storing and closing`);
    await server.close();
    await store.close();
    lock.release();
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
