import { routes } from '../../shared/contract/index.js';
import { recordAudit } from '../audit/record.js';
import { notFound } from '../errors.js';
import { buildArchive } from '../exports/archive.js';
import { attachment } from '../exports/fileNames.js';
import { type Router, parseWith } from '../http/router.js';
import { whyCannotDownloadArchive } from '../policies/archive.js';
import { type AppServices, requireUser } from './context.js';
import { throwIfRefused } from '../policies/refusal.js';

/** `GET /api/documents/:documentId/archive.zip`: the record of a consultation, for the Office to file. */
export function archiveRoutes(router: Router, services: AppServices): void {
  router.route(routes.archive, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyCannotDownloadArchive(user));
    const { documentId } = parseWith(routes.archive.params, ctx.params);
    parseWith(routes.archive.query, Object.fromEntries(ctx.url.searchParams));
    const outline = await services.store.getDocument(documentId);
    if (!outline) throw notFound(`There is no document "${documentId}".`);
    const archive = await buildArchive(services, user, documentId);
    await recordAudit(services, user, {
      action: 'document.archived',
      documentId,
      targetType: 'document',
      targetId: documentId,
      targetRef: outline.symbol,
      details: { fileName: archive.fileName, files: archive.manifest.files.length, bytes: archive.zip.byteLength },
    });
    ctx.res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': archive.zip.byteLength,
      'content-disposition': attachment(archive.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    ctx.res.end(Buffer.from(archive.zip.buffer, archive.zip.byteOffset, archive.zip.byteLength));
    return undefined;
  });
}
