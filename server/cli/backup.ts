import path from 'node:path';
import { loadConfig } from '../config.js';
import { backupSqlite } from '../storage/sqliteBackup.js';

const USAGE =
  'Usage: npm run backup -- <file>   (backs up the store in DATA_DIR, default ./data, while the server runs)';

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file || rest.length > 0 || file.startsWith('-')) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const target = path.resolve(file);
  const started = performance.now();
  const { bytes } = backupSqlite(config.dataDir, target);
  console.log(
    `Backed up ${config.dataDir} to ${target} (${bytes} bytes, ${Math.round(performance.now() - started)} ms).`,
  );
}

try {
  main();
} catch (err) {
  console.error(`Backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
