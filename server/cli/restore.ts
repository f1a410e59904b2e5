import { restoreSqlite } from '../storage/sqliteBackup.js';
import { runSqliteFileCommand } from './sqliteFileCommand.js';

runSqliteFileCommand({
  usage: 'Usage: npm run restore -- <file>   (restores a backup into DATA_DIR, which must be empty)',
  postgresAdvice: 'restore it with pg_restore into an empty database (README, Operating Concord).',
  failure: 'Restore failed',
  run(source, config) {
    restoreSqlite(source, config.dataDir);
    console.log(`Restored ${source} into ${config.dataDir}. Start Concord with DATA_DIR=${config.dataDir}.`);
  },
});
