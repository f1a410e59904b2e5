import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { routes } from '../../shared/contract/index.js';
import type { AmendmentView } from '../../shared/amendments.js';
import type { Authenticated } from '../auth/sessions.js';
import { bulkDecide, decideAmendment, undoDecision } from '../commands/decisions.js';
import { cosponsorAmendment, editDraft, tableDraft } from '../commands/drafts.js';
import { secondAmendment } from '../commands/seconding.js';
import { type RequestContext, type Router, parseWith, readJson } from '../http/router.js';
import { whyNotOffice } from '../policies/rounds.js';
import { presentAmendment } from '../presenters/amendment.js';
import { presentAmendmentFor, readerOf } from '../presenters/amendmentReader.js';
import { type AppServices, requireUser } from './context.js';
import { throwIfRefused } from '../policies/refusal.js';

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
) => Promise<AmendmentView>;

type AmendmentRoute = (typeof routes)[
  | 'undo'
  | 'table'
  | 'editDraft'
  | 'cosponsor'
  | 'uncosponsor'
  | 'accept'
  | 'second'];
type InDocumentRoute = (typeof routes)[
  | 'undoInDocument'
  | 'tableInDocument'
  | 'editDraftInDocument'
  | 'cosponsorInDocument'
  | 'uncosponsorInDocument'
  | 'acceptInDocument'
  | 'secondInDocument'];

/** Registers an action at both its contract paths: in a document, and by amendment id alone. */
function both(
  router: Router,
  services: AppServices,
  short: AmendmentRoute,
  inDocument: InDocumentRoute,
  action: Action,
): void {
  router.route(inDocument, async (ctx) => {
    const auth = await requireUser(services, ctx);
    const { documentId, id } = parseWith(inDocument.params, ctx.params);
    return action(ctx, auth, id, documentId);
  });
  router.route(short, async (ctx) => {
    const auth = await requireUser(services, ctx);
    const { id } = parseWith(short.params, ctx.params);
    return action(ctx, auth, id, undefined);
  });
}

/**
 * The consolidation workflow on amendments: accept (with the Office's modifications), undo, tabling and
 * editing group drafts, co-sponsoring, and bulk decisions. Every rule is in server/policies/.
 */
export function amendmentWorkflowRoutes(router: Router, services: AppServices): void {
  both(router, services, routes.accept, routes.acceptInDocument, async (ctx, { user }, id, documentId) => {
    const { text, secondedInRoom } = await readOptionalJson(ctx.req, routes.accept.request);
    return presentAmendmentFor(
      services,
      user,
      await decideAmendment(services, user, id, 'accept', { documentId, text, secondedInRoom }),
    );
  });

  both(router, services, routes.undo, routes.undoInDocument, async (_ctx, { user }, id, documentId) =>
    presentAmendmentFor(services, user, await undoDecision(services, user, id, documentId)),
  );

  both(router, services, routes.table, routes.tableInDocument, async (_ctx, { user }, id, documentId) =>
    presentAmendmentFor(services, user, await tableDraft(services, user, id, documentId)),
  );

  both(router, services, routes.editDraft, routes.editDraftInDocument, async (ctx, { user }, id, documentId) => {
    const patch = await readJson(ctx.req, routes.editDraft.request);
    return presentAmendmentFor(services, user, await editDraft(services, user, id, patch, documentId));
  });

  both(router, services, routes.cosponsor, routes.cosponsorInDocument, async (_ctx, { user }, id, documentId) =>
    presentAmendmentFor(services, user, await cosponsorAmendment(services, user, id, true, documentId)),
  );

  both(router, services, routes.uncosponsor, routes.uncosponsorInDocument, async (_ctx, { user }, id, documentId) =>
    presentAmendmentFor(services, user, await cosponsorAmendment(services, user, id, false, documentId)),
  );

  both(router, services, routes.second, routes.secondInDocument, async (_ctx, { user }, id, documentId) =>
    presentAmendmentFor(services, user, await secondAmendment(services, user, id, documentId)),
  );

  router.route(routes.bulk, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.bulk.params, ctx.params);
    throwIfRefused(whyNotOffice(user, 'accepts or rejects amendments'));
    const { action, ids } = await readJson(ctx.req, routes.bulk.request);
    const results = await bulkDecide(services, user, documentId, action, ids);
    const decided = results.flatMap((r) => (r.amendment ? [r.amendment] : []));
    const reader = await readerOf(services, user, documentId, decided);
    return {
      action,
      done: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).length,
      results: results.map(({ amendment, ...rest }) => ({
        ...rest,
        ...(amendment ? { amendment: presentAmendment(amendment, reader) } : {}),
      })),
    };
  });
}
