import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import * as Y from 'yjs';
import type { Version } from '../../shared/versions.js';
import { auditCsv } from '../audit/csv.js';
import { archivedAmendments, archivedThreads } from '../policies/archive.js';
import { presentAmendment } from '../presenters/amendment.js';
import { presentThread } from '../presenters/thread.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { renderAkn } from './akn/akn.js';
import { renderCompilationDocx } from './compilation/docx.js';
import { renderCompilationHtml } from './compilation/html.js';
import { buildCompilation } from './compilation/model.js';
import { renderTextDocx } from './docx/textDocument.js';
import { exportFileName } from './fileNames.js';
import { gatherExport } from './gather.js';
import type { ExportSource, SectionModel } from './model.js';
import { readSection } from './readSection.js';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ArchiveManifest {
  format: 'concord-archive/1';
  document: { id: string; symbol: string; title: string; language: string };
  generatedAt: string;
  generatedBy: { id: string; name: string };
  /** Every other file of the archive, with its SHA-256 (hex). */
  files: ManifestFile[];
}

export interface Archive {
  fileName: string;
  zip: Uint8Array;
  manifest: ArchiveManifest;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const slug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase() || 'version';

/** A version's text as an export source: each section's frozen Yjs state, read like the live text. */
function versionSource(live: ExportSource, version: Version): ExportSource {
  const metas = new Map(live.outline.sections.map((s) => [s.id, s]));
  const sections: SectionModel[] = [];
  for (const frozen of version.sections) {
    const meta = metas.get(frozen.sectionId);
    if (!meta) continue;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(frozen.state, 'base64'));
    sections.push(readSection(doc, meta, []).model);
    doc.destroy();
  }
  const outline = {
    ...live.outline,
    sections: live.outline.sections.filter((s) => version.sections.some((v) => v.sectionId === s.id)),
  };
  return { ...live, outline, sections, threads: [], generatedAt: version.createdAt };
}

/**
 * The record of a consultation in one zip: the official text (clean DOCX, Akoma Ntoso), every version
 * (JSON and clean DOCX), the compilation (HTML, DOCX), every tabled amendment with its history and
 * votes, the public threads, the audit log, and a manifest with the SHA-256 of each file, so that a
 * copy filed years later can be checked.
 */
export async function buildArchive(services: AppServices, user: UserRecord, documentId: string): Promise<Archive> {
  const source = await gatherExport(services, user, documentId, { withThreads: false });
  const { outline } = source;
  const files: Record<string, Uint8Array> = {};
  const add = (path: string, content: Uint8Array | string) => {
    files[path] = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  };

  add('official-text/official-text.docx', renderTextDocx(source, 'clean'));
  add('official-text/official-text.akn.xml', renderAkn(source));
  const compilation = buildCompilation(source);
  add('compilation/compilation.html', renderCompilationHtml(compilation));
  add('compilation/compilation.docx', renderCompilationDocx(compilation, outline.language));

  const summaries = [...(await services.store.versions.list(documentId))].sort((a, b) => a.createdAt - b.createdAt);
  let n = 0;
  for (const summary of summaries) {
    const version = await services.store.versions.get(summary.id);
    if (!version) continue;
    n++;
    const base = `versions/${String(n).padStart(2, '0')}-${slug(version.name)}`;
    add(`${base}.json`, json(version));
    add(`${base}.docx`, renderTextDocx(versionSource(source, version), 'clean'));
  }

  const amendments = archivedAmendments([...source.amendments.values()]).map((a) => presentAmendment(a));
  add('amendments.json', json(amendments));
  const threads = archivedThreads(await services.store.threads.listByDocument(documentId)).map(presentThread);
  add('threads.json', json(threads));
  add('audit-log.csv', `\uFEFF${auditCsv(await services.store.audit.all(documentId))}`);

  const manifest: ArchiveManifest = {
    format: 'concord-archive/1',
    document: { id: outline.id, symbol: outline.symbol, title: outline.title, language: outline.language },
    generatedAt: new Date(source.generatedAt).toISOString(),
    generatedBy: { id: user.id, name: user.name },
    files: Object.entries(files).map(([path, bytes]) => ({
      path,
      bytes: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    })),
  };
  add('manifest.json', json(manifest));
  const mtime = new Date(source.generatedAt);
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([p, b]) => [p, [b, { mtime }]])), { level: 6 });
  return { fileName: exportFileName(outline.symbol, 'archive', source.generatedAt, 'zip'), zip, manifest };
}
