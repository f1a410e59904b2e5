import path from 'node:path';
import { type Config, loadConfig } from '../config.js';

/**
 * `npm run backup` and `npm run restore`: one file argument and the SQLite store of DATA_DIR. Both copy
 * the SQLite file; a PostgreSQL store has PostgreSQL's own tools, which `postgresAdvice` names. `run`
 * gets the file's absolute path; a failure is printed after `failure` and exits 1, bad arguments exit 2.
 */
export function runSqliteFileCommand(options: {
  usage: string;
  postgresAdvice: string;
  failure: string;
  run: (file: string, config: Config) => void;
}): void {
  const [file, ...rest] = process.argv.slice(2);
  if (!file || rest.length > 0 || file.startsWith('-')) {
    console.error(options.usage);
    process.exit(2);
  }
  try {
    const config = loadConfig();
    if (config.databaseUrl)
      throw new Error(`DATABASE_URL is set, so the store is PostgreSQL: ${options.postgresAdvice}`);
    options.run(path.resolve(file), config);
  } catch (err) {
    console.error(`${options.failure}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
