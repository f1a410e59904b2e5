import type { DocumentContentResponse, SectionContentResponse } from '../../shared/api.js';
import { routes } from '../../shared/contract/index.js';
import { notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { presentSection } from '../presenters/section.js';
import { type AppServices, requireUser } from './context.js';

/** Every section's live content, in document order: what a client needs to search and to render the
 * sections it has not connected yet, in one request instead of one per section. */
export function documentContentRoutes(router: Router, services: AppServices): void {
  router.route(routes.content, async (ctx) => {
    await requireUser(services, ctx);
    const { documentId } = parseWith(routes.content.params, ctx.params);
    const outline = await services.store.getDocument(documentId);
    if (!outline) throw notFound(`There is no document "${documentId}".`);
    const sections: SectionContentResponse[] = [];
    // One at a time: each read may load a section from the store, and a document has dozens.
    for (const meta of outline.sections) {
      sections.push(
        await services.collab.withSectionDoc(documentId, meta.id, (room) => presentSection(meta, room.doc)),
      );
    }
    const body: DocumentContentResponse = { documentId, sections };
    return body;
  });
}
