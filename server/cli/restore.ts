import path from 'node:path';
import { loadConfig } from '../config.js';
import { restoreSqlite } from '../storage/sqliteBackup.js';

const USAGE = 'Usage: npm run restore -- <file>   (restores a backup into DATA_DIR, which must be empty)';

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file || rest.length > 0 || file.startsWith('-')) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const source = path.resolve(file);
  restoreSqlite(source, config.dataDir);
  console.log(`Restored ${source} into ${config.dataDir}. Start Concord with DATA_DIR=${config.dataDir}.`);
}

try {
  main();
} catch (err) {
  console.error(`Restore failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
