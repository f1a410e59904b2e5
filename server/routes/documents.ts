import type { DocumentResponse } from '../../shared/api.js';
import { routes } from '../../shared/contract/index.js';
import { notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { presentAbilities } from '../presenters/abilities.js';
import { presentSection } from '../presenters/section.js';
import { roundTiming } from '../rounds/deadlines.js';
import { type AppServices, requireUser } from './context.js';

export function documentRoutes(router: Router, services: AppServices): void {
  router.route(routes.documents, async (ctx) => {
    await requireUser(services, ctx);
    return services.store.listDocuments();
  });

  router.route(routes.document, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.document.params, ctx.params);
    const outline = await services.store.getDocument(documentId);
    if (!outline) throw notFound(`There is no document "${documentId}".`);
    const body: DocumentResponse = {
      ...outline,
      abilities: presentAbilities(user, await roundTiming(services, outline.id)),
    };
    return body;
  });

  router.route(routes.section, async (ctx) => {
    await requireUser(services, ctx);
    const { documentId, sectionId } = parseWith(routes.section.params, ctx.params);
    const meta = await services.store.getSection(documentId, sectionId);
    if (!meta) throw notFound(`There is no section "${sectionId}" in document "${documentId}".`);
    return services.collab.withSectionDoc(documentId, sectionId, (room) => presentSection(meta, room.doc));
  });
}
