import { routes } from '../../shared/contract/index.js';
import type { CorrectionList } from '../../shared/corrections.js';
import { forbidden, notFound } from '../errors.js';
import { type Router, parseWith } from '../http/router.js';
import { canReadDocument } from '../policies/index.js';
import { type AppServices, requireUser } from './context.js';

/** The Office's direct corrections of the official text, for the "corrected by the Office" markers. */
export function correctionRoutes(router: Router, services: AppServices): void {
  router.route(routes.corrections, async (ctx): Promise<CorrectionList> => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.corrections.params, ctx.params);
    const query = parseWith(routes.corrections.query, Object.fromEntries(ctx.url.searchParams));
    if (!canReadDocument(user)) throw forbidden('Your role does not give access to this document.');
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
    return { corrections: await services.store.corrections.list(documentId, query.section) };
  });
}
