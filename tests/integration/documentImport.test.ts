import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_FILE } from '../../server/commands/demo.js';
import type { ImportOutline, PublishedImport } from '../../shared/documentImport.js';
import { type Cast, type Person, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

let server: TestServer;
let cast: Cast;
let text: string;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument('gb-999-import-1') });
  cast = await buildCast(server);
  // A second GB document: the seed's text under another symbol, as another session's PDF would give it.
  text = (await readFile(SEED_FILE, 'utf8')).replaceAll('GB.346/PFA/1', 'GB.347/PFA/2');
});

afterAll(async () => {
  await server.stop();
});

const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T & { error?: string; message?: string }>(server, method, path, who, body);

describe('the Office imports a document in the browser', () => {
  it('only the Office previews or publishes', async () => {
    for (const who of [cast.france, cast.workers, cast.observer]) {
      expect((await api('POST', '/api/admin/documents/preview', who, { text })).status).toBe(403);
      expect((await api('POST', '/api/admin/documents', who, { text })).status).toBe(403);
    }
  });

  it('shows the outline the importer found, stores nothing, then publishes it, audited', async () => {
    const preview = await api<ImportOutline>('POST', '/api/admin/documents/preview', cast.office, { text });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ id: 'gb-347-pfa-2', symbol: 'GB.347/PFA/2', language: 'fr', exists: false });
    const { counts } = preview.body;
    expect(counts.parts).toBeGreaterThan(0);
    expect(counts.outcomes).toBeGreaterThan(0);
    expect(counts.outputs).toBeGreaterThan(counts.outcomes);
    expect(counts.paragraphs).toBeGreaterThan(100);
    expect(counts.footnotes).toBeGreaterThan(0);
    expect(preview.body.sections.reduce((n, s) => n + s.paragraphs, 0)).toBe(counts.paragraphs);
    expect((await api('GET', '/api/documents/gb-347-pfa-2', cast.observer)).status).toBe(404);

    const published = await api<PublishedImport>('POST', '/api/admin/documents', cast.office, { text });
    expect(published.status).toBe(201);
    expect(published.body.created).toBe(preview.body.sections.length);
    expect(published.body.counts).toEqual(counts);
    const doc = await api<{ sections: unknown[] }>('GET', '/api/documents/gb-347-pfa-2', cast.observer);
    expect(doc.status).toBe(200);
    expect(doc.body.sections).toHaveLength(preview.body.sections.length);

    const { entries } = await server.store.audit.list('gb-347-pfa-2', { limit: 10, offset: 0 });
    expect(entries.map((e) => [e.action, e.userId])).toEqual([['document.imported', cast.office.user.id]]);

    // Again: the outline is refreshed, the text delegates may have written is kept.
    const again = await api<PublishedImport>('POST', '/api/admin/documents', cast.office, { text });
    expect(again.body).toMatchObject({ exists: true, created: 0, kept: preview.body.sections.length });
  });

  it('answers a text that is no GB document with a 400 that says so', async () => {
    const res = await api('POST', '/api/admin/documents/preview', cast.office, { text: 'Bonjour.' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/GB document/);
  });
});
