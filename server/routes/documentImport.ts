import { routes } from '../../shared/contract/index.js';
import type { ImportedDocument } from '../../shared/document.js';
import type { ImportOutline, ImportTextRequest } from '../../shared/documentImport.js';
import type { PMNode } from '../../shared/schema/index.js';
import { appendAudit } from '../audit/record.js';
import { importDocument } from '../commands/importDocument.js';
import { HttpError, badRequest } from '../errors.js';
import { ImportReadError } from '../imports/readErrors.js';
import { readGbTextInWorker } from '../imports/readInWorker.js';
import { type Router, readJson } from '../http/router.js';
import { whyNotOffice } from '../policies/rounds.js';
import { throwIfRefused } from '../policies/refusal.js';
import type { AppServices } from './context.js';
import { requireUser } from './context.js';

function countFootnotes(node: PMNode): number {
  return (node.type === 'footnote' ? 1 : 0) + (node.content ?? []).reduce((n, c) => n + countFootnotes(c), 0);
}

/**
 * The importer `npm run import` uses, run in the import worker: the text is up to 900,000 characters of
 * the sender's choosing. What cannot be read is a 400 (or 413) with its sentence.
 */
async function read(services: AppServices, request: ImportTextRequest): Promise<ImportedDocument> {
  let imported: ImportedDocument;
  try {
    imported = await readGbTextInWorker(request.text, request.language, services.config.importTimeoutMs);
  } catch (err) {
    if (err instanceof ImportReadError) {
      throw err.status === 413 ? new HttpError(413, 'payload_too_large', err.message) : badRequest(err.message);
    }
    throw err;
  }
  if (imported.sections.length === 0) {
    throw badRequest(
      'This text could not be read as a GB document: No part, outcome or output was found in this text.',
    );
  }
  return imported;
}

function outlineOf(imported: ImportedDocument, exists: boolean): ImportOutline {
  const kinds = (kind: string) => imported.sections.filter((s) => s.kind === kind).length;
  return {
    id: imported.id,
    symbol: imported.symbol,
    title: imported.title,
    language: imported.language,
    exists,
    counts: {
      parts: kinds('part'),
      outcomes: kinds('outcome'),
      enablers: kinds('enabler'),
      outputs: kinds('output'),
      paragraphs: imported.sections.reduce((n, s) => n + s.paragraphs.length, 0),
      footnotes: imported.sections.reduce((n, s) => n + countFootnotes(s.content), 0),
    },
    sections: imported.sections.map((s) => ({
      id: s.id,
      kind: s.kind,
      label: s.label,
      title: s.title,
      paragraphs: s.paragraphs.length,
    })),
  };
}

/** "Import a document": the Office checks the outline the importer found, then publishes it (audited). */
export function documentImportRoutes(router: Router, services: AppServices): void {
  router.route(routes.previewDocumentImport, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyNotOffice(user, 'imports documents'));
    const imported = await read(services, await readJson(ctx.req, routes.previewDocumentImport.request));
    return outlineOf(imported, (await services.store.getDocument(imported.id)) !== null);
  });

  router.route(routes.publishDocumentImport, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyNotOffice(user, 'imports documents'));
    const imported = await read(services, await readJson(ctx.req, routes.publishDocumentImport.request));
    const exists = (await services.store.getDocument(imported.id)) !== null;
    const { created, kept } = await importDocument(services.store, imported);
    const outline = outlineOf(imported, exists);
    await appendAudit(
      services.store.audit,
      user,
      {
        action: 'document.imported',
        documentId: imported.id,
        targetType: 'document',
        targetId: imported.id,
        targetRef: imported.symbol,
        details: { ...outline.counts, created, kept, via: 'browser' },
      },
      'http',
      services.clock.now(),
    );
    return { ...outline, created, kept };
  });
}
