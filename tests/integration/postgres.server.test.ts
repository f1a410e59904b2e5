import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { consultationDocument } from '../support/consultation.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';

/** The whole server on PostgreSQL: live editing, an amendment, and a backup with pg_dump / pg_restore. */

const run = promisify(execFile);
const DOC = 'gb-999-pg-1';

function textOf(doc: Y.Doc): string {
  return doc.getXmlFragment(SECTION_FRAGMENT).toString();
}

describe.skipIf(!postgresAvailable())('Concord on PostgreSQL', () => {
  const databases: TestDatabase[] = [];
  const servers: TestServer[] = [];
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    for (const s of servers.splice(0)) await s.stop();
    for (const d of databases.splice(0)) await d.drop();
  });

  async function start(databaseUrl: string, document: ReturnType<typeof consultationDocument> | null) {
    const server = await startTestServer({ databaseUrl, document });
    servers.push(server);
    return server;
  }

  async function api(server: TestServer, method: string, url: string, token: string, body?: unknown) {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it('co-edits a section, tables and accepts an amendment, and restores from pg_dump with everything', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const server = await start(db.url, consultationDocument(DOC));
    const office = await buildUser(server.store, { username: 'office', role: 'secretariat', group: null });
    const workers = await buildUser(server.store, { username: 'workers', group: 'workers' });
    const officeToken = await server.login(office);
    const workersToken = await server.login(workers);

    // Live editing: what one client types reaches the other through the server (stored before relayed).
    const room = `${DOC}/part-1`;
    const a = connectProvider(server.url, room, officeToken);
    const b = connectProvider(server.url, room, officeToken);
    cleanups.push(
      () => a.provider.destroy(),
      () => b.provider.destroy(),
    );
    await Promise.all([waitForSync(a.provider), waitForSync(b.provider)]);
    typeInto(a.doc, ' TAPÉ-SUR-POSTGRES');
    await eventually(() => expect(textOf(b.doc)).toContain('TAPÉ-SUR-POSTGRES'));
    typeInto(b.doc, ' ET-REPONDU');
    await eventually(() => expect(textOf(a.doc)).toContain('ET-REPONDU'));

    // An amendment tabled by a group and accepted by the Office.
    const tabled = await api(server, 'POST', `/api/documents/${DOC}/amendments`, workersToken, {
      sectionId: 'decision',
      paragraph: 9,
      op: 'insert',
      find: 'les orientations',
      text: ' fournies',
      rationale: 'Plus clair.',
    });
    expect(tabled.status, JSON.stringify(tabled.body)).toBe(201);
    const amendment = tabled.body as AmendmentView;
    expect(amendment.ref).toBe('A-1');
    const accepted = await api(server, 'POST', `/api/amendments/${amendment.id}/accept`, officeToken);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const stored = await server.store.loadUpdates(DOC, 'part-1');
    expect(stored.length).toBeGreaterThan(0);

    // A backup of the live database (the server keeps running), restored into a fresh database.
    const dir = mkdtempSync(path.join(tmpdir(), 'concord-pgdump-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dump = path.join(dir, 'concord.dump');
    await run('pg_dump', ['-Fc', '-f', dump, '-d', db.url]);
    const restored = await createTestDatabase();
    databases.push(restored);
    await run('pg_restore', ['--no-owner', '-d', restored.url, dump]);

    const second = await start(restored.url, null);
    const token = await second.login(office);
    const view = await api(second, 'GET', `/api/amendments/${amendment.id}`, token);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ ref: 'A-1', status: 'accepted' });
    const c = connectProvider(second.url, room, token);
    cleanups.push(() => c.provider.destroy());
    await waitForSync(c.provider);
    expect(textOf(c.doc)).toContain('TAPÉ-SUR-POSTGRES');
    expect(textOf(c.doc)).toContain('ET-REPONDU');
    const decision = connectProvider(second.url, `${DOC}/decision`, token);
    cleanups.push(() => decision.provider.destroy());
    await waitForSync(decision.provider);
    expect(textOf(decision.doc)).toContain('fournies');
    // The restored database is still append-only, and still numbers on from where it was.
    const next = await api(second, 'POST', `/api/documents/${DOC}/amendments`, await second.login(workers), {
      sectionId: 'decision',
      paragraph: 9,
      op: 'insert',
      find: 'Directeur général',
      text: ' du BIT',
      rationale: '',
    });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect((next.body as AmendmentView).ref).toBe('A-2');
    const audit = await second.store.audit.all(DOC);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('is ready only while it reaches its PostgreSQL store', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const server = await start(db.url, null);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // The database goes away (its sessions are terminated): readiness fails, the process stays up.
    await db.drop();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
