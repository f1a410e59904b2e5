import { backupSqlite } from '../storage/sqliteBackup.js';
import { runSqliteFileCommand } from './sqliteFileCommand.js';

runSqliteFileCommand({
  usage: 'Usage: npm run backup -- <file>   (backs up the store in DATA_DIR, default ./data, while the server runs)',
  postgresAdvice: 'back it up with pg_dump -Fc (README, Operating Concord).',
  failure: 'Backup failed',
  run(target, config) {
    const started = performance.now();
    const { bytes } = backupSqlite(config.dataDir, target);
    console.log(
      `Backed up ${config.dataDir} to ${target} (${bytes} bytes, ${Math.round(performance.now() - started)} ms).`,
    );
  },
});
