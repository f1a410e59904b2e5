import type { AuditPage } from '../../shared/audit.js';
import { routes } from '../../shared/contract/index.js';
import type { RevisedResponse } from '../../shared/desk.js';
import { auditCsv, auditFilename } from '../audit/csv.js';
import { buildDesk } from '../desk/desk.js';
import { notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { whyNotOffice } from '../policies/rounds.js';
import type { UserRecord } from '../storage/Store.js';
import { liveParagraphs } from '../versions/snapshot.js';
import { type AppServices, requireUser } from './context.js';
import { throwIfRefused } from '../policies/refusal.js';

/** The Office's consolidation views: the desk, the revised text preview and the audit log. */
export function deskRoutes(router: Router, services: AppServices): void {
  function officeOnly(user: UserRecord, what: string): void {
    const refusal = whyNotOffice(user, what);
    throwIfRefused(refusal);
  }

  async function requireDocument(documentId: string) {
    const outline = await services.store.getDocument(documentId);
    if (!outline) throw notFound(`There is no document "${documentId}".`);
    return outline;
  }

  router.route(routes.desk, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'works at the consolidation desk');
    const { documentId } = parseWith(routes.desk.params, ctx.params);
    const query = parseWith(routes.desk.query, Object.fromEntries(ctx.url.searchParams));
    return buildDesk(services, documentId, user, { pendingOnly: query.pendingOnly === 'true' });
  });

  router.route(routes.revised, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'previews the revised text');
    const { documentId } = parseWith(routes.revised.params, ctx.params);
    const { include } = parseWith(routes.revised.query, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(documentId);
    const paragraphs = await liveParagraphs(services, documentId, include === 'pending' ? 'pending' : 'official');
    const body: RevisedResponse = { documentId, include, generatedAt: services.clock.now(), paragraphs };
    return body;
  });

  /**
   * A group's draft is its own until tabled, metadata included: the Office's audit view leaves out every
   * line about an amendment that is still a draft, and shows them all once it is tabled.
   */
  async function draftIds(documentId: string): Promise<string[]> {
    return (await services.store.amendments.list(documentId, { status: 'draft' })).map((a) => a.id);
  }

  router.route(routes.audit, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'reads the audit log');
    const { documentId } = parseWith(routes.audit.params, ctx.params);
    const query = parseWith(routes.audit.query, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(documentId);
    const hiddenTargets = await draftIds(documentId);
    const { entries, total } = await services.store.audit.list(documentId, { ...query, hiddenTargets });
    const page: AuditPage = { entries, total, limit: query.limit, offset: query.offset };
    return page;
  });

  router.route(routes.auditCsv, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'exports the audit log');
    const { documentId } = parseWith(routes.auditCsv.params, ctx.params);
    const outline = await requireDocument(documentId);
    const body = `\uFEFF${auditCsv(await services.store.audit.all(documentId, await draftIds(documentId)))}`;
    ctx.res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${auditFilename(outline.symbol)}"`,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    ctx.res.end(body);
    return undefined;
  });
}
