import { z } from 'zod';
import { SlugParam } from '../../shared/api.js';
import { CorrectionQuery, type CorrectionList } from '../../shared/corrections.js';
import { forbidden, notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { canReadDocument } from '../policies/index.js';
import { type AppServices, requireUser } from './context.js';

const DocumentParams = z.object({ documentId: SlugParam });

/** The Office's direct corrections of the official text, for the "corrected by the Office" markers. */
export function correctionRoutes(router: Router, services: AppServices): void {
  router.get('/api/documents/:documentId/corrections', async (ctx): Promise<CorrectionList> => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const query = parseWith(CorrectionQuery, Object.fromEntries(ctx.url.searchParams));
    if (!canReadDocument(user)) throw forbidden('Your role does not give access to this document.');
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
    return { corrections: await services.store.corrections.list(documentId, query.section) };
  });
}
