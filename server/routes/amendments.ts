import { DECISION_ACTIONS } from '../../shared/amendments.js';
import { routes } from '../../shared/contract/index.js';
import {
  createAmendmentByForm,
  findAmendment,
  runAmendmentAction,
  updateAmendmentRationale,
} from '../commands/amendments.js';
import { notFound } from '../errors.js';
import { type Router, parseWith, readJson } from '../http/router.js';
import { visibleAmendments } from '../policies/drafts.js';
import { presentAmendment } from '../presenters/amendment.js';
import { presentAmendmentFor, readerOf } from '../presenters/amendmentReader.js';
import { type AppServices, requireUser } from './context.js';

/** The short and the in-document route of each body-less vote or decision (`accept` takes a body). */
const ACTION_ROUTES = {
  support: [routes.support, routes.supportInDocument],
  oppose: [routes.oppose, routes.opposeInDocument],
  withdraw: [routes.withdraw, routes.withdrawInDocument],
  reject: [routes.reject, routes.rejectInDocument],
} as const;

/**
 * Amendment endpoints. Reading is open to everyone signed in; every write asks the amendment policies
 * (server/policies/amendments.ts) and answers a refusal with its reason.
 */
export function amendmentRoutes(router: Router, services: AppServices): void {
  router.route(routes.amendments, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.amendments.params, ctx.params);
    const query = parseWith(routes.amendments.query, Object.fromEntries(ctx.url.searchParams));
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
    const amendments = await services.store.amendments.list(documentId, {
      sectionId: query.section,
      paragraph: query.paragraph,
      group: query.group,
      status: query.status,
    });
    const reader = await readerOf(services, user, documentId, amendments);
    return visibleAmendments(user, amendments).map((a) => presentAmendment(a, reader));
  });

  router.route(routes.createAmendment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.createAmendment.params, ctx.params);
    const request = await readJson(ctx.req, routes.createAmendment.request);
    const amendment = await createAmendmentByForm(services, user, documentId, request);
    return presentAmendmentFor(services, user, amendment);
  });

  router.route(routes.documentAmendment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, id } = parseWith(routes.documentAmendment.params, ctx.params);
    return presentAmendmentFor(services, user, await findAmendment(services, id, documentId, user));
  });

  router.route(routes.amendment, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.amendment.params, ctx.params);
    return presentAmendmentFor(services, user, await findAmendment(services, id, undefined, user));
  });

  // `accept` takes an optional body (the Office's words): see routes/amendmentWorkflow.ts.
  for (const action of DECISION_ACTIONS.filter((a) => a !== 'accept')) {
    const [short, inDocument] = ACTION_ROUTES[action];
    router.route(inDocument, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { documentId, id } = parseWith(inDocument.params, ctx.params);
      return presentAmendmentFor(services, user, await runAmendmentAction(services, user, id, action, documentId));
    });
    router.route(short, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { id } = parseWith(short.params, ctx.params);
      return presentAmendmentFor(services, user, await runAmendmentAction(services, user, id, action));
    });
  }

  router.route(routes.rationaleInDocument, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, id } = parseWith(routes.rationaleInDocument.params, ctx.params);
    const { rationale } = await readJson(ctx.req, routes.rationaleInDocument.request);
    return presentAmendmentFor(
      services,
      user,
      await updateAmendmentRationale(services, user, id, rationale, documentId),
    );
  });

  router.route(routes.rationale, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.rationale.params, ctx.params);
    const { rationale } = await readJson(ctx.req, routes.rationale.request);
    return presentAmendmentFor(services, user, await updateAmendmentRationale(services, user, id, rationale));
  });
}
