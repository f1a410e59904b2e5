import { routes } from '../../shared/contract/index.js';
import { requireDocument } from '../commands/threads.js';
import { notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { throwIfRefused } from '../policies/refusal.js';
import { whyNotOffice } from '../policies/rounds.js';
import { documentOverview } from '../whatsNew/overview.js';
import { recentDecisions } from '../whatsNew/recentDecisions.js';
import { sinceLastVisit } from '../whatsNew/sinceLastVisit.js';
import { type AppServices, requireUser } from './context.js';

/** What changed for the reader: section visits, "since your last visit", the document list, recent decisions. */
export function whatsNewRoutes(router: Router, services: AppServices): void {
  router.route(routes.visitSection, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, sectionId } = parseWith(routes.visitSection.params, ctx.params);
    const outline = await requireDocument(services, documentId);
    if (!outline.sections.some((s) => s.id === sectionId))
      throw notFound(`There is no section "${sectionId}" in "${documentId}".`);
    const visitedAt = services.clock.now();
    await services.store.visits.markVisited(user.id, documentId, sectionId, visitedAt);
    return { documentId, sectionId, visitedAt };
  });

  router.route(routes.whatsNew, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.whatsNew.params, ctx.params);
    parseWith(routes.whatsNew.query, Object.fromEntries(ctx.url.searchParams));
    const outline = await requireDocument(services, documentId);
    return sinceLastVisit(
      services,
      user,
      documentId,
      outline.sections.map((s) => s.id),
    );
  });

  router.route(routes.documentOverview, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    parseWith(routes.documentOverview.query, Object.fromEntries(ctx.url.searchParams));
    return documentOverview(services, user);
  });

  router.route(routes.recentDecisions, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyNotOffice(user, 'reads the desk’s recent decisions'));
    const { documentId } = parseWith(routes.recentDecisions.params, ctx.params);
    parseWith(routes.recentDecisions.query, Object.fromEntries(ctx.url.searchParams));
    await requireDocument(services, documentId);
    return { documentId, decisions: await recentDecisions(services, user, documentId) };
  });
}
