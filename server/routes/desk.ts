import { z } from 'zod';
import { SlugParam } from '../../shared/api.js';
import { AuditQuery, type AuditPage } from '../../shared/audit.js';
import { auditCsv, auditFilename } from '../audit/csv.js';
import { buildDesk } from '../desk/desk.js';
import { notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { whyNotOffice } from '../policies/rounds.js';
import type { UserRecord } from '../storage/Store.js';
import { liveParagraphs } from '../versions/snapshot.js';
import { type AppServices, requireUser } from './context.js';
import { throwIfRefused } from '../policies/refusal.js';

const DocumentParams = z.object({ documentId: SlugParam });
const DeskQuery = z.object({ pendingOnly: z.enum(['true', 'false']).optional() }).strict();
const RevisedQuery = z.object({ include: z.enum(['accepted', 'pending']).default('accepted') }).strict();

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

  router.get('/api/documents/:documentId/desk', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'works at the consolidation desk');
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const query = parseWith(DeskQuery, Object.fromEntries(ctx.url.searchParams));
    return buildDesk(services, documentId, user, { pendingOnly: query.pendingOnly === 'true' });
  });

  router.get('/api/documents/:documentId/revised', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'previews the revised text');
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const { include } = parseWith(RevisedQuery, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(documentId);
    const paragraphs = await liveParagraphs(services, documentId, include === 'pending' ? 'pending' : 'official');
    return { documentId, include, generatedAt: services.clock.now(), paragraphs };
  });

  /**
   * A group's draft is its own until tabled, metadata included: the Office's audit view leaves out every
   * line about an amendment that is still a draft, and shows them all once it is tabled.
   */
  async function draftIds(documentId: string): Promise<string[]> {
    return (await services.store.amendments.list(documentId, { status: 'draft' })).map((a) => a.id);
  }

  router.get('/api/documents/:documentId/audit', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'reads the audit log');
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const query = parseWith(AuditQuery, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(documentId);
    const hiddenTargets = await draftIds(documentId);
    const { entries, total } = await services.store.audit.list(documentId, { ...query, hiddenTargets });
    const page: AuditPage = { entries, total, limit: query.limit, offset: query.offset };
    return page;
  });

  router.get('/api/documents/:documentId/audit.csv', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    officeOnly(user, 'exports the audit log');
    const { documentId } = parseWith(DocumentParams, ctx.params);
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
