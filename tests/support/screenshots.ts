import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The folder tests write screenshots to: `CONCORD_SCREENSHOTS` (relative to the repository) when set —
 * `npm run screenshots` sets it to docs/screenshots — else a folder under the system's temp dir, so a
 * normal test run leaves the working tree untouched.
 */
export function screenshotDir(): string {
  const configured = process.env.CONCORD_SCREENSHOTS;
  const dir = configured ? path.resolve(ROOT, configured) : path.join(tmpdir(), 'concord-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
