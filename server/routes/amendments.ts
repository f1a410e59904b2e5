import { z } from 'zod';
import {
  AmendmentListQuery,
  DECISION_ACTIONS,
  CreateAmendmentRequest,
  UpdateRationaleRequest,
} from '../../shared/amendments.js';
import { SlugParam } from '../../shared/api.js';
import { SUGGESTION_ID_PATTERN } from '../../shared/suggestions.js';
import {
  createAmendmentByForm,
  findAmendment,
  runAmendmentAction,
  updateAmendmentRationale,
} from '../commands/amendments.js';
import { notFound } from '../errors.js';
import { type Router, parseWith, readJson, sendJson } from '../http/router.js';
import { visibleAmendments } from '../policies/drafts.js';
import { presentAmendment } from '../presenters/amendment.js';
import { type AppServices, requireUser } from './context.js';

const AmendmentId = z.string().regex(SUGGESTION_ID_PATTERN, 'Amendment ids are 8 to 32 lowercase letters and digits.');
const DocumentParams = z.object({ documentId: SlugParam });
const DocumentAmendmentParams = z.object({ documentId: SlugParam, id: AmendmentId });
const AmendmentParams = z.object({ id: AmendmentId });
const ListQuery = AmendmentListQuery.strict();

/**
 * Amendment endpoints. Reading is open to everyone signed in; every write asks the amendment policies
 * (server/policies/amendments.ts) and answers a refusal with its reason.
 */
export function amendmentRoutes(router: Router, services: AppServices): void {
  router.get('/api/documents/:documentId/amendments', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const query = parseWith(ListQuery, Object.fromEntries(ctx.url.searchParams));
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
    const amendments = await services.store.amendments.list(documentId, {
      sectionId: query.section,
      paragraph: query.paragraph,
      group: query.group,
      status: query.status,
    });
    return visibleAmendments(user, amendments).map((a) => presentAmendment(a, user));
  });

  router.post('/api/documents/:documentId/amendments', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const request = await readJson(ctx.req, CreateAmendmentRequest);
    const amendment = await createAmendmentByForm(services, user, documentId, request);
    sendJson(ctx.res, 201, presentAmendment(amendment, user));
    return undefined;
  });

  router.get('/api/documents/:documentId/amendments/:id', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, id } = parseWith(DocumentAmendmentParams, ctx.params);
    return presentAmendment(await findAmendment(services, id, documentId, user), user);
  });

  router.get('/api/amendments/:id', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(AmendmentParams, ctx.params);
    return presentAmendment(await findAmendment(services, id, undefined, user), user);
  });

  // `accept` takes an optional body (the Office's words): see routes/amendmentWorkflow.ts.
  for (const action of DECISION_ACTIONS.filter((a) => a !== 'accept')) {
    router.post(`/api/documents/:documentId/amendments/:id/${action}`, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { documentId, id } = parseWith(DocumentAmendmentParams, ctx.params);
      return presentAmendment(await runAmendmentAction(services, user, id, action, documentId), user);
    });
    router.post(`/api/amendments/:id/${action}`, async (ctx) => {
      const { user } = await requireUser(services, ctx);
      const { id } = parseWith(AmendmentParams, ctx.params);
      return presentAmendment(await runAmendmentAction(services, user, id, action), user);
    });
  }

  router.post('/api/documents/:documentId/amendments/:id/rationale', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId, id } = parseWith(DocumentAmendmentParams, ctx.params);
    const { rationale } = await readJson(ctx.req, UpdateRationaleRequest);
    return presentAmendment(await updateAmendmentRationale(services, user, id, rationale, documentId), user);
  });

  router.post('/api/amendments/:id/rationale', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(AmendmentParams, ctx.params);
    const { rationale } = await readJson(ctx.req, UpdateRationaleRequest);
    return presentAmendment(await updateAmendmentRationale(services, user, id, rationale), user);
  });
}
