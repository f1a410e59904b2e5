import { z } from 'zod';
import { SlugParam } from '../../shared/api.js';
import { CompareQuery, type CompareResponse, CreateVersionRequest, type ParagraphText } from '../../shared/versions.js';
import { createVersion, summaryOf } from '../commands/versions.js';
import { notFound } from '../errors.js';
import { type Router, parseWith, readJson, sendJson } from '../http/router.js';
import { compareParagraphs } from '../versions/compare.js';
import { liveParagraphs } from '../versions/snapshot.js';
import { type AppServices, requireUser } from './context.js';

const DocumentParams = z.object({ documentId: SlugParam });
const VersionParams = z.object({ documentId: SlugParam, versionId: z.string().min(1).max(64) });

/** Versions: everyone lists, opens and compares them; the Office names them (rounds also take them). */
export function versionRoutes(router: Router, services: AppServices): void {
  async function requireDocument(documentId: string): Promise<void> {
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
  }

  async function versionOf(documentId: string, versionId: string) {
    const version = await services.store.versions.get(versionId);
    if (!version || version.documentId !== documentId) {
      throw notFound(`There is no version "${versionId}" of document "${documentId}".`);
    }
    return version;
  }

  /** One side of a comparison: a version, or the live text (`live`). */
  async function side(
    documentId: string,
    ref: string,
  ): Promise<{ meta: CompareResponse['from']; paragraphs: ParagraphText[] }> {
    if (ref === 'live') {
      const now = services.clock.now();
      return {
        meta: { id: 'live', name: 'Live text', createdAt: now },
        paragraphs: await liveParagraphs(services, documentId),
      };
    }
    const version = await versionOf(documentId, ref);
    return {
      meta: { id: version.id, name: version.name, createdAt: version.createdAt },
      paragraphs: version.sections.flatMap((s) => s.paragraphs),
    };
  }

  router.get('/api/documents/:documentId/versions', async (ctx) => {
    await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    await requireDocument(documentId);
    return services.store.versions.list(documentId);
  });

  router.post('/api/documents/:documentId/versions', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const { name } = await readJson(ctx.req, CreateVersionRequest);
    const version = await createVersion(services, user, documentId, name);
    sendJson(ctx.res, 201, summaryOf(version));
    return undefined;
  });

  router.get('/api/documents/:documentId/versions/:versionId', async (ctx) => {
    await requireUser(services, ctx);
    const { documentId, versionId } = parseWith(VersionParams, ctx.params);
    return { ...(await versionOf(documentId, versionId)), readOnly: true };
  });

  router.get('/api/documents/:documentId/compare', async (ctx) => {
    await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const query = parseWith(CompareQuery, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(documentId);
    const from = await side(documentId, query.from);
    const to = await side(documentId, query.to);
    const amendments = await services.store.amendments.list(documentId, { status: 'accepted' });
    const body: CompareResponse = {
      documentId,
      from: from.meta,
      to: to.meta,
      paragraphs: compareParagraphs(from.paragraphs, to.paragraphs, amendments, from.meta.createdAt, to.meta.createdAt),
    };
    return body;
  });
}
