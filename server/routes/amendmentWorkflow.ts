import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AcceptRequest, BulkRequest, EditDraftRequest } from '../../shared/amendments.js';
import { SlugParam } from '../../shared/api.js';
import { SUGGESTION_ID_PATTERN } from '../../shared/suggestions.js';
import type { Authenticated } from '../auth/sessions.js';
import { bulkDecide, decideAmendment, undoDecision } from '../commands/decisions.js';
import { cosponsorAmendment, editDraft, tableDraft } from '../commands/drafts.js';
import { type RequestContext, type Router, parseWith, readJson } from '../http/router.js';
import { whyNotOffice } from '../policies/rounds.js';
import { presentAmendment } from '../presenters/amendment.js';
import { type AppServices, requireUser } from './context.js';
import { throwIfRefused } from '../policies/refusal.js';

const AmendmentId = z.string().regex(SUGGESTION_ID_PATTERN, 'Amendment ids are 8 to 32 lowercase letters and digits.');
const DocumentAmendmentParams = z.object({ documentId: SlugParam, id: AmendmentId });
const AmendmentParams = z.object({ id: AmendmentId });
const DocumentParams = z.object({ documentId: SlugParam });

/** A JSON body that may be absent: an empty request is `{}`. */
async function readOptionalJson<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const length = Number(req.headers['content-length'] ?? '0');
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && length === 0) return parseWith(schema, {});
  return readJson(req, schema);
}

type Action = (
  ctx: RequestContext,
  auth: Authenticated,
  id: string,
  documentId: string | undefined,
) => Promise<unknown>;

/** Registers an action at `/api/documents/:documentId/amendments/:id/<name>` and `/api/amendments/:id/<name>`. */
function both(router: Router, services: AppServices, method: string, name: string, action: Action): void {
  const suffix = name ? `/${name}` : '';
  router.add(method, `/api/documents/:documentId/amendments/:id${suffix}`, async (ctx) => {
    const auth = await requireUser(services, ctx);
    const { documentId, id } = parseWith(DocumentAmendmentParams, ctx.params);
    return action(ctx, auth, id, documentId);
  });
  router.add(method, `/api/amendments/:id${suffix}`, async (ctx) => {
    const auth = await requireUser(services, ctx);
    const { id } = parseWith(AmendmentParams, ctx.params);
    return action(ctx, auth, id, undefined);
  });
}

/**
 * The consolidation workflow on amendments: accept (with the Office's modifications), undo, tabling and
 * editing group drafts, co-sponsoring, and bulk decisions. Every rule is in server/policies/.
 */
export function amendmentWorkflowRoutes(router: Router, services: AppServices): void {
  both(router, services, 'POST', 'accept', async (ctx, { user }, id, documentId) => {
    const { text } = await readOptionalJson(ctx.req, AcceptRequest);
    return presentAmendment(await decideAmendment(services, user, id, 'accept', { documentId, text }), user);
  });

  both(router, services, 'POST', 'undo', async (_ctx, { user }, id, documentId) =>
    presentAmendment(await undoDecision(services, user, id, documentId), user),
  );

  both(router, services, 'POST', 'table', async (_ctx, { user }, id, documentId) =>
    presentAmendment(await tableDraft(services, user, id, documentId), user),
  );

  both(router, services, 'PATCH', '', async (ctx, { user }, id, documentId) => {
    const patch = await readJson(ctx.req, EditDraftRequest);
    return presentAmendment(await editDraft(services, user, id, patch, documentId), user);
  });

  both(router, services, 'POST', 'cosponsor', async (_ctx, { user }, id, documentId) =>
    presentAmendment(await cosponsorAmendment(services, user, id, true, documentId), user),
  );

  both(router, services, 'DELETE', 'cosponsor', async (_ctx, { user }, id, documentId) =>
    presentAmendment(await cosponsorAmendment(services, user, id, false, documentId), user),
  );

  router.post('/api/documents/:documentId/amendments/bulk', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const refusal = whyNotOffice(user, 'accepts or rejects amendments');
    throwIfRefused(refusal);
    const { action, ids } = await readJson(ctx.req, BulkRequest);
    const results = await bulkDecide(services, user, documentId, action, ids);
    return {
      action,
      done: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).length,
      results: results.map(({ amendment, ...rest }) => ({
        ...rest,
        ...(amendment ? { amendment: presentAmendment(amendment, user) } : {}),
      })),
    };
  });
}
