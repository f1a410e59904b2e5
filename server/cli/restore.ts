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
  // These commands copy the SQLite file; a PostgreSQL store has PostgreSQL's own tools (README).
  if (config.databaseUrl)
    throw new Error(
      `DATABASE_URL is set, so the store is PostgreSQL: restore it with pg_restore into an empty database (README, Operating Concord).`,
    );
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
