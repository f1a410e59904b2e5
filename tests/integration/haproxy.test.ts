import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import { ServerEvent } from '../../shared/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { freePort } from '../support/childServer.js';
import { clusterAvailable, startCluster } from '../support/cluster.js';
import { type Person, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { TEST_PASSWORD, buildUser } from '../support/fixtures.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { eventually } from '../support/testServer.js';

/**
 * The HAProxy example of docs/deploy/ (Debian's haproxy), rendered with this test's ports, in front of
 * three real Concord processes: sign-in, socket.io and a collaboration section work through it.
 */
const DOC = 'gb-999-haproxy-1';
const ROOT = path.resolve(import.meta.dirname, '../..');
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find(
  (bin) => spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0,
);
if (!HAPROXY) {
  console.warn('[haproxy.test.ts] SKIPPED: haproxy is not installed (apt-get install -y haproxy; .ci/run does).');
}
const AVAILABLE = Boolean(HAPROXY) && clusterAvailable('haproxy.test.ts');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The example configuration with the listening port and the servers replaced, nothing else. */
function renderHaproxyConfig(template: string, listenPort: number, serverPorts: number[]): string {
  const lines: string[] = [];
  let serversWritten = false;
  for (const line of template.split('\n')) {
    if (/^\s*bind\s/.test(line)) {
      lines.push(`    bind 127.0.0.1:${listenPort}`);
    } else if (/^\s*server concord\d+\s/.test(line)) {
      if (serversWritten) continue;
      serversWritten = true;
      for (const [i, port] of serverPorts.entries()) lines.push(`    server concord${i + 1} 127.0.0.1:${port}`);
    } else {
      if (/^\S/.test(line)) serversWritten = false;
      lines.push(line);
    }
  }
  return lines.join('\n');
}

describe.skipIf(!AVAILABLE)('HAProxy in front of three processes (docs/deploy/haproxy.cfg)', () => {
  it('serves sign-in, socket.io events and a co-edited section through the balancer', async () => {
    const seeded: Partial<Record<'office' | 'workers', Person['user']>> = {};
    const cluster = await startCluster({
      // The balancer's address: its X-Forwarded-For names the client (README, CONCORD_TRUSTED_PROXIES).
      env: { CONCORD_TRUSTED_PROXIES: '127.0.0.1' },
      seed: async (store) => {
        await importDocument(store, consultationDocument(DOC));
        seeded.office = await buildUser(store, { name: 'Bureau Officer', role: 'secretariat', group: null });
        seeded.workers = await buildUser(store, { name: 'Walter Worker', group: 'workers' });
      },
    });
    cleanups.push(() => cluster.stop());
    if (!seeded.office || !seeded.workers) throw new Error('seeding did not run');

    const dir = mkdtempSync(path.join(tmpdir(), 'concord-haproxy-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const template = readFileSync(path.join(ROOT, 'docs/deploy/haproxy.cfg'), 'utf8');
    const rendered = renderHaproxyConfig(
      template,
      port,
      cluster.processes.map((p) => p.port),
    );
    expect(rendered.match(/server concord\d/g)).toHaveLength(6);
    const file = path.join(dir, 'haproxy.cfg');
    writeFileSync(file, rendered);
    const check = spawnSync(HAPROXY as string, ['-c', '-f', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    const output: string[] = [];
    const haproxy: ChildProcess = spawn(HAPROXY as string, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    haproxy.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
    haproxy.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    const exited = new Promise<void>((resolve) => haproxy.once('exit', () => resolve()));
    cleanups.push(async () => {
      haproxy.kill('SIGKILL');
      await exited;
    });
    const balancer = { url: `http://127.0.0.1:${port}` };
    try {
      await eventually(async () => expect((await fetch(`${balancer.url}/readyz`)).status).toBe(200), 15_000);

      // Sign-in through the balancer (sessions live in PostgreSQL: any process may serve the next call).
      const signIn = async (user: Person['user']): Promise<Person> => {
        const res = await fetch(`${balancer.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
        });
        expect(res.status).toBe(200);
        return { user, token: ((await res.json()) as { token: string }).token };
      };
      // A failed sign-in is audited with the client's address as the balancer forwards it. This test's
      // client is on 127.0.0.1 too, a trusted address, so the hop it declares itself stands for a client
      // behind one more proxy: 203.0.113.5.
      const wrong = await fetch(`${balancer.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5' },
        body: JSON.stringify({ username: seeded.workers.username, password: 'not-the-password' }),
      });
      expect(wrong.status).toBe(401);
      const { entries } = await cluster.store.audit.list('', { limit: 10, offset: 0 });
      expect(entries.find((e) => e.action === 'session.sign_in_failed')?.ip).toBe('203.0.113.5');

      const office = await signIn(seeded.office);
      const workers = await signIn(seeded.workers);
      expect((await call(balancer, 'GET', '/api/me', workers)).status).toBe(200);

      // socket.io through the balancer (websocket transport: no stickiness needed).
      const officeSocket = await joinedSocket(balancer, office, DOC);
      const workersSocket = await joinedSocket(balancer, workers, DOC);
      cleanups.push(
        () => void officeSocket.socket.disconnect(),
        () => void workersSocket.socket.disconnect(),
      );
      const thread = await call<{ id: string }>(balancer, 'POST', `/api/documents/${DOC}/threads`, workers, {
        sectionId: 'part-1',
        paragraph: 1,
        body: 'Through HAProxy.',
        visibility: 'all',
      });
      expect(thread.status, JSON.stringify(thread.body)).toBe(201);
      for (const joined of [officeSocket, workersSocket]) {
        await eventually(() => {
          const ids = joined.events
            .filter((e) => e.name === ServerEvent.ThreadChanged)
            .map((e) => (e.payload as { thread: { id: string } }).thread.id);
          expect(ids).toContain(thread.body.id);
        }, 10_000);
      }

      // A section co-edited by two stock y-websocket clients through the balancer.
      const a = connectProvider(balancer.url, `${DOC}/part-1`, office.token);
      const b = connectProvider(balancer.url, `${DOC}/part-1`, office.token);
      cleanups.push(
        () => a.provider.destroy(),
        () => b.provider.destroy(),
      );
      await Promise.all([waitForSync(a.provider, 15_000), waitForSync(b.provider, 15_000)]);
      typeInto(a.doc, ' VIA-HAPROXY');
      const text = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();
      await eventually(() => expect(text(b.doc)).toContain('VIA-HAPROXY'), 10_000);
      typeInto(b.doc, ' ET-RETOUR');
      await eventually(() => expect(text(a.doc)).toContain('ET-RETOUR'), 10_000);
      await eventually(async () => {
        const rows = await cluster.store.loadUpdates(DOC, 'part-1');
        const stored = new Y.Doc();
        for (const row of rows) Y.applyUpdate(stored, row.update);
        expect(text(stored)).toBe(text(a.doc));
      }, 10_000);
    } catch (err) {
      console.log(`----- haproxy -----\n${output.join('')}`);
      throw err;
    }
  }, 420_000);
});
