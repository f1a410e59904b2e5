/**
 * Concord under test, in its own process so that its CPU and memory can be read from /proc: a fresh
 * SQLite store in a temporary folder, the bench document imported, W delegates and N − W observers with
 * sessions, and the real server (`startServer`) with its default collaboration settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../server/app.js';
import { importDocument } from '../server/commands/importDocument.js';
import { loadConfig } from '../server/config.js';
import { SqliteStore } from '../server/storage/sqliteStore.js';
import { COLLAB_PATH } from '../shared/limits.js';
import { newSuggestionId, ownerKeyOf } from '../shared/suggestions.js';
import { buildUser } from '../tests/support/fixtures.js';
import { BENCH_DOCUMENT_ID, BENCH_SECTION_ID, benchDocument } from './benchDocument.js';
import { type ServerReady, exitWithParent, readSpec } from './childProtocol.js';
import { profileOnSignal } from './childProfiler.js';

const spec = readSpec();
profileOnSignal('concord');
const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-bench-'));
const store = new SqliteStore(path.join(dataDir, 'concord.sqlite'));
await importDocument(store, benchDocument());
if (process.env.BENCH_TRACE === '1') (await import('./serverTrace.js')).installTrace(store);

const clients: ServerReady['clients'] = [];
// Every simulated client connects from 127.0.0.1 at once: the per-address connect rate would turn most away.
const config = loadConfig(
  {},
  { port: 0, host: '127.0.0.1', dataDir, demo: false, clientDir: '', connectRatePerIp: 0 },
);
const server = await startServer(config, store, (m) => process.stderr.write(`[concord] ${m}\n`));
for (let i = 0; i < spec.clients; i++) {
  const role = i < spec.writers ? 'delegate' : 'observer';
  const user = await buildUser(store, {
    username: `bench-${i}`,
    name: `${role === 'delegate' ? 'Délégué' : 'Observateur'} ${i}`,
    role,
    group: role === 'delegate' ? (['government', 'employers', 'workers'] as const)[i % 3] : null,
  });
  const { token } = await server.services.sessions.create(user.id);
  // Writers type as delegates do: suggestions of their group, which the server checks on every update.
  const suggestAs = role === 'delegate' ? { id: newSuggestionId(), by: ownerKeyOf(user), author: user.id } : undefined;
  clients.push({ token, role, ...(suggestAs ? { suggestAs } : {}) });
}

exitWithParent(async () => {
  await server.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const ready: ServerReady = {
  port: server.port,
  wsBase: `ws://127.0.0.1:${server.port}${COLLAB_PATH}`,
  room: `${BENCH_DOCUMENT_ID}/${BENCH_SECTION_ID}`,
  clients,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
