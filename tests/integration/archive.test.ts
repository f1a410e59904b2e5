import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveManifest } from '../../server/exports/archive.js';
import { AKN_NS } from '../../server/exports/akn/akn.js';
import { type Cast, buildCast, call, consultationDocument } from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';
import { SOFFICE, convertWithLibreOffice } from '../support/wordFixtures.js';

const DOC = 'gb-999-archive-1';
const HOUR = 3600_000;

describe('the archive of a consultation', () => {
  let server: TestServer;
  let cast: Cast;
  let files: Record<string, Uint8Array>;
  let manifest: ArchiveManifest;

  beforeAll(async () => {
    server = await startTestServer({ document: consultationDocument(DOC) });
    cast = await buildCast(server);
    const now = Date.now();
    const round = await call<{ id: string }>(server, 'POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: now + HOUR,
      subAmendmentDeadline: now + 2 * HOUR,
    });
    expect(round.status).toBe(201);
    const table = async (who: Cast[keyof Cast], body: Record<string, unknown>) => {
      const res = await call<{ id: string; ref: string }>(
        server,
        'POST',
        `/api/documents/${DOC}/amendments`,
        who,
        body,
      );
      expect(res.status).toBe(201);
      return res.body;
    };
    const accepted = await table(cast.workers, {
      sectionId: 'part-1',
      paragraph: 1,
      op: 'replace',
      find: 'soutient',
      text: 'appuie',
      rationale: 'Plus net.',
    });
    const rejected = await table(cast.france, {
      sectionId: 'part-1',
      paragraph: 2,
      op: 'replace',
      find: 'au cœur',
      text: 'au centre',
    });
    expect((await call(server, 'POST', `/api/amendments/${accepted.id}/support`, cast.employers)).status).toBe(200);
    expect((await call(server, 'POST', `/api/amendments/${rejected.id}/oppose`, cast.workers)).status).toBe(200);
    expect((await call(server, 'POST', `/api/amendments/${accepted.id}/accept`, cast.office)).status).toBe(200);
    expect((await call(server, 'POST', `/api/amendments/${rejected.id}/reject`, cast.office)).status).toBe(200);
    const thread = (who: Cast[keyof Cast], visibility: 'all' | 'group', body: string) =>
      call(server, 'POST', `/api/documents/${DOC}/threads`, who, {
        sectionId: 'part-1',
        paragraph: 3,
        visibility,
        body,
      });
    expect((await thread(cast.workers, 'all', 'Une remarque publique.')).status).toBe(201);
    expect((await thread(cast.employers, 'group', 'Note interne des employeurs.')).status).toBe(201);
    const closed = await call(server, 'POST', `/api/rounds/${round.body.id}/close`, cast.office, {
      name: 'Clôture du cycle 1',
    });
    expect(closed.status).toBe(200);

    const res = await fetch(`${server.url}/api/documents/${DOC}/archive.zip`, {
      headers: { authorization: `Bearer ${cast.office.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/GB\.999-CONS-1_archive_\d{4}-\d\d-\d\d\.zip/);
    files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array)) as ArchiveManifest;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('is the Office’s alone', async () => {
    for (const who of [cast.workers, cast.france, cast.observer]) {
      const res = await call<{ message: string }>(server, 'GET', `/api/documents/${DOC}/archive.zip`, who);
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('Only the Office downloads the archive of a consultation.');
    }
    expect((await call(server, 'GET', `/api/documents/${DOC}/archive.zip`, null)).status).toBe(401);
    expect((await call(server, 'GET', '/api/documents/no-such-doc/archive.zip', cast.office)).status).toBe(404);
  });

  it('holds every file its manifest lists, with matching SHA-256, and nothing else', () => {
    const listed = manifest.files.map((f) => f.path).sort();
    expect(Object.keys(files).sort()).toEqual([...listed, 'manifest.json'].sort());
    for (const entry of manifest.files) {
      const bytes = files[entry.path] as Uint8Array;
      expect(bytes.byteLength).toBe(entry.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
    }
    expect(listed).toEqual(
      expect.arrayContaining([
        'official-text/official-text.docx',
        'official-text/official-text.akn.xml',
        'compilation/compilation.html',
        'compilation/compilation.docx',
        'amendments.json',
        'threads.json',
        'audit-log.csv',
      ]),
    );
    expect(listed.filter((p) => p.startsWith('versions/'))).toEqual([
      'versions/01-cloture-du-cycle-1.docx',
      'versions/01-cloture-du-cycle-1.json',
    ]);
    expect(manifest.document).toMatchObject({ id: DOC, symbol: 'GB.999/CONS/1' });
    expect(manifest.generatedBy.id).toBe(cast.office.user.id);
  });

  it('holds the amendments with their history and votes, the closed version and the audit log', () => {
    const amendments = JSON.parse(strFromU8(files['amendments.json'] as Uint8Array)) as {
      ref: string;
      status: string;
      history: { action?: string }[];
      votes: { stance: string }[];
    }[];
    expect(amendments.map((a) => [a.ref, a.status])).toEqual([
      ['A-1', 'accepted'],
      ['A-2', 'rejected'],
    ]);
    expect(amendments[0]?.votes.map((v) => v.stance)).toEqual(['support']);
    expect(amendments[1]?.votes.map((v) => v.stance)).toEqual(['oppose']);
    expect(amendments.every((a) => a.history.length >= 2)).toBe(true);
    const version = JSON.parse(strFromU8(files['versions/01-cloture-du-cycle-1.json'] as Uint8Array)) as {
      name: string;
      sections: { paragraphs: { text: string }[] }[];
    };
    expect(version.name).toBe('Clôture du cycle 1');
    expect(version.sections[0]?.paragraphs[0]?.text).toContain('appuie');
    const audit = strFromU8(files['audit-log.csv'] as Uint8Array);
    expect(audit).toContain('amendment.accepted');
    expect(audit).toContain('round.closed');
  });

  it('keeps public threads only', () => {
    const threads = JSON.parse(strFromU8(files['threads.json'] as Uint8Array)) as {
      visibility: string;
      comments: { body: string }[];
    }[];
    expect(threads.map((t) => [t.visibility, t.comments[0]?.body])).toEqual([['all', 'Une remarque publique.']]);
    for (const [name, bytes] of Object.entries(files)) {
      if (!name.endsWith('.docx')) expect(strFromU8(bytes), name).not.toContain('Note interne des employeurs');
    }
  });

  it('carries the official text as Akoma Ntoso that parses, with the accepted amendment in it', () => {
    const xml = strFromU8(files['official-text/official-text.akn.xml'] as Uint8Array);
    const dom = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'application/xml');
    const root = dom.documentElement;
    expect(root?.namespaceURI).toBe(AKN_NS);
    expect(root?.localName).toBe('akomaNtoso');
    const first = root?.getElementsByTagNameNS(AKN_NS, 'paragraph')[0];
    expect(first?.getAttribute('eId')).toBe('para_1');
    expect(first?.textContent).toContain('Le Bureau appuie les mandants');
  });

  it('records the download in the audit log', async () => {
    const res = await call<{ entries: { action: string; userId: string; targetType: string }[] }>(
      server,
      'GET',
      `/api/documents/${DOC}/audit?action=document.archived`,
      cast.office,
    );
    expect(res.body.entries).toEqual([
      expect.objectContaining({ action: 'document.archived', userId: cast.office.user.id, targetType: 'document' }),
    ]);
  });

  it.skipIf(!SOFFICE)(
    'has DOCX files LibreOffice opens',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'concord-archive-'));
      try {
        for (const name of [
          'official-text/official-text.docx',
          'compilation/compilation.docx',
          'versions/01-cloture-du-cycle-1.docx',
        ]) {
          const file = path.join(dir, path.basename(name));
          writeFileSync(file, files[name] as Uint8Array);
          const pdf = await convertWithLibreOffice(file, 'pdf', dir);
          expect(existsSync(pdf), name).toBe(true);
          expect(statSync(pdf).size, name).toBeGreaterThan(5_000);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
