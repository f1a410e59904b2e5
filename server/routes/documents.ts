import { z } from 'zod';
import { type DocumentResponse, SlugParam } from '../../shared/api.js';
import { notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { abilitiesFor } from '../policies/index.js';
import { presentSection } from '../presenters/section.js';
import { type AppServices, requireUser } from './context.js';

const DocumentParams = z.object({ documentId: SlugParam });
const SectionParams = z.object({ documentId: SlugParam, sectionId: SlugParam });

export function documentRoutes(router: Router, services: AppServices): void {
  router.get('/api/documents', async (ctx) => {
    await requireUser(services, ctx);
    return services.store.listDocuments();
  });

  router.get('/api/documents/:documentId', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const outline = await services.store.getDocument(documentId);
    if (!outline) throw notFound(`There is no document "${documentId}".`);
    const body: DocumentResponse = { ...outline, abilities: abilitiesFor(user) };
    return body;
  });

  router.get('/api/documents/:documentId/sections/:sectionId', async (ctx) => {
    await requireUser(services, ctx);
    const { documentId, sectionId } = parseWith(SectionParams, ctx.params);
    const meta = await services.store.getSection(documentId, sectionId);
    if (!meta) throw notFound(`There is no section "${sectionId}" in document "${documentId}".`);
    return services.collab.withSectionDoc(documentId, sectionId, (room) => presentSection(meta, room.doc));
  });
}
