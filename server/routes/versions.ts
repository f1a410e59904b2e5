import { routes } from '../../shared/contract/index.js';
import type { CompareResponse, ParagraphText, VersionResponse } from '../../shared/versions.js';
import { createVersion } from '../commands/versions.js';
import { notFound } from '../errors.js';
import { type Router, parseWith, readJson } from '../http/router.js';
import { compareParagraphs } from '../versions/compare.js';
import { liveParagraphs } from '../versions/snapshot.js';
import { presentVersionSummary } from '../presenters/version.js';
import { type AppServices, requireUser } from './context.js';

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

  router.route(routes.versions, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.versions.params, ctx.params);
    await requireDocument(documentId);
    return (await services.store.versions.list(documentId)).map((v) => presentVersionSummary(v, user));
  });

  router.route(routes.createVersion, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.createVersion.params, ctx.params);
    const { name } = await readJson(ctx.req, routes.createVersion.request);
    const version = await createVersion(services, user, documentId, name);
    return presentVersionSummary(version, user);
  });

  router.route(routes.version, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, versionId } = parseWith(routes.version.params, ctx.params);
    const version = await versionOf(documentId, versionId);
    const body: VersionResponse = { ...version, ...presentVersionSummary(version, user), readOnly: true };
    return body;
  });

  router.route(routes.compare, async (ctx) => {
    await requireUser(services, ctx);
    const { documentId } = parseWith(routes.compare.params, ctx.params);
    const query = parseWith(routes.compare.query, Object.fromEntries(ctx.url.searchParams));
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
