import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { routes } from '../../shared/contract/index.js';
import { findImport, previewImport, tableImport } from '../commands/imports.js';
import { HttpError, badRequest } from '../errors.js';
import { renderAkn } from '../exports/akn/akn.js';
import { renderCompilationDocx } from '../exports/compilation/docx.js';
import { renderCompilationHtml } from '../exports/compilation/html.js';
import { buildCompilation } from '../exports/compilation/model.js';
import { renderTextDocx } from '../exports/docx/textDocument.js';
import { CONTENT_TYPES, attachment, exportFileName } from '../exports/fileNames.js';
import { gatherExport } from '../exports/gather.js';
import { type Router, parseWith, readJson } from '../http/router.js';
import { readUpload } from '../imports/upload.js';
import { OWNER_KEY_PATTERN, importOwner, isRefusal, whyCannotExport } from '../policies/exports.js';
import { presentImport } from '../presenters/import.js';
import { roundTiming } from '../rounds/deadlines.js';
import { type AppServices, requireUser } from './context.js';
import { refusalError, throwIfRefused } from '../policies/refusal.js';

const OnBehalfOf = z
  .string()
  .regex(OWNER_KEY_PATTERN, 'onBehalfOf: name a group or State: employers, workers or government:<State>.')
  .optional();

function send(
  res: ServerResponse,
  body: Uint8Array | string,
  contentType: string,
  fileName: string,
  inline = false,
): undefined {
  const data =
    typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': data.byteLength,
    'content-disposition': inline ? `inline; filename="${fileName}"` : attachment(fileName),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(data);
  return undefined;
}

/**
 * Exports and Word imports. Every export is built for its reader (server/policies/exports.ts): the
 * comment threads it carries are those the threads API shows that reader, and drafts never leave their
 * group. File names come from the document symbol and the day.
 */
export function exportRoutes(router: Router, services: AppServices): void {
  async function reader(ctx: Parameters<Parameters<Router['get']>[1]>[0]) {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyCannotExport(user));
    const { documentId } = parseWith(routes.exportDocx.params, ctx.params);
    return { user, documentId };
  }

  router.route(routes.exportDocx, async (ctx) => {
    const { user, documentId } = await reader(ctx);
    const query = parseWith(routes.exportDocx.query, Object.fromEntries(ctx.url.searchParams));
    const source = await gatherExport(services, user, documentId, {
      sectionId: query.section,
      withThreads: query.changes === 'tracked',
      publicThreadsOnly: query.comments === 'public',
    });
    const what = `${query.section ? `${query.section}_` : ''}${query.changes === 'tracked' ? 'amendments' : 'clean'}`;
    const name = exportFileName(source.outline.symbol, what, source.generatedAt, 'docx');
    return send(ctx.res, renderTextDocx(source, query.changes), CONTENT_TYPES.docx, name);
  });

  router.route(routes.compilationDocx, async (ctx) => {
    const { user, documentId } = await reader(ctx);
    parseWith(routes.compilationDocx.query, Object.fromEntries(ctx.url.searchParams));
    const source = await gatherExport(services, user, documentId, { withThreads: false });
    const name = exportFileName(source.outline.symbol, 'compilation', source.generatedAt, 'docx');
    return send(
      ctx.res,
      renderCompilationDocx(buildCompilation(source), source.outline.language),
      CONTENT_TYPES.docx,
      name,
    );
  });

  router.route(routes.compilationHtml, async (ctx) => {
    const { user, documentId } = await reader(ctx);
    parseWith(routes.compilationHtml.query, Object.fromEntries(ctx.url.searchParams));
    const source = await gatherExport(services, user, documentId, { withThreads: false });
    const name = exportFileName(source.outline.symbol, 'compilation', source.generatedAt, 'html');
    return send(ctx.res, renderCompilationHtml(buildCompilation(source)), CONTENT_TYPES.html, name, true);
  });

  router.route(routes.akn, async (ctx) => {
    const { user, documentId } = await reader(ctx);
    parseWith(routes.akn.query, Object.fromEntries(ctx.url.searchParams));
    const source = await gatherExport(services, user, documentId, { withThreads: false });
    const name = exportFileName(source.outline.symbol, 'akn', source.generatedAt, 'xml');
    return send(ctx.res, renderAkn(source), CONTENT_TYPES.akn, name);
  });

  router.route(routes.importDocx, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.importDocx.params, ctx.params);
    if (!(await services.store.getDocument(documentId)))
      throw new HttpError(404, 'not_found', `There is no document "${documentId}".`);
    // Refuse before reading a body that could never be used (observers, accounts of no group).
    const allowed = importOwner(user, undefined);
    if (isRefusal(allowed)) throw refusalError(allowed);
    const upload = await readUpload(ctx.req, ctx.url);
    const onBehalfOf = parseWith(OnBehalfOf, upload.fields.onBehalfOf || undefined);
    if (upload.file.bytes.length === 0) throw badRequest('The file is empty.');
    const preview = await previewImport(services, user, documentId, upload.file, onBehalfOf);
    return presentImport(preview, user, await roundTiming(services, documentId));
  });

  router.route(routes.importPreview, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { importId } = parseWith(routes.importPreview.params, ctx.params);
    const preview = await findImport(services, user, importId);
    return presentImport(preview, user, await roundTiming(services, preview.documentId));
  });

  router.route(routes.tableImport, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { importId } = parseWith(routes.tableImport.params, ctx.params);
    const { amendments, rationales } = await readJson(ctx.req, routes.tableImport.request);
    const result = await tableImport(services, user, importId, amendments, rationales);
    const timing = await roundTiming(services, result.preview.documentId);
    return { ...result, preview: presentImport(result.preview, user, timing) };
  });
}
