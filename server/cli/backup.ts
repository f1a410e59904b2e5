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
  // These commands copy the SQLite file; a PostgreSQL store has PostgreSQL's own tools (README).
  if (config.databaseUrl)
    throw new Error(
      `DATABASE_URL is set, so the store is PostgreSQL: back it up with pg_dump -Fc (README, Operating Concord).`,
    );
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
