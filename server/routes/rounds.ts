import { z } from 'zod';
import { SlugParam } from '../../shared/api.js';
import { CloseRoundRequest, OpenRoundRequest } from '../../shared/rounds.js';
import { closeRound, openRound } from '../commands/rounds.js';
import { summaryOf } from '../commands/versions.js';
import { notFound } from '../errors.js';
import { type Router, parseWith, readJson, sendJson } from '../http/router.js';
import { presentRound } from '../presenters/round.js';
import { type AppServices, requireUser } from './context.js';

const DocumentParams = z.object({ documentId: SlugParam });
const RoundParams = z.object({ id: z.string().uuid() });

/** Consultation rounds: anyone reads them (the UI counts down); the Office opens and closes them. */
export function roundRoutes(router: Router, services: AppServices): void {
  async function requireDocument(documentId: string): Promise<void> {
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
  }

  router.post('/api/documents/:documentId/rounds', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    const request = await readJson(ctx.req, OpenRoundRequest);
    const round = await openRound(services, user, documentId, request);
    sendJson(ctx.res, 201, presentRound(round, services.clock.now()));
    return undefined;
  });

  router.get('/api/documents/:documentId/rounds', async (ctx) => {
    await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    await requireDocument(documentId);
    const now = services.clock.now();
    return (await services.store.rounds.list(documentId)).map((r) => presentRound(r, now));
  });

  router.get('/api/documents/:documentId/rounds/current', async (ctx) => {
    await requireUser(services, ctx);
    const { documentId } = parseWith(DocumentParams, ctx.params);
    await requireDocument(documentId);
    const now = services.clock.now();
    const round = await services.store.rounds.latest(documentId);
    return { documentId, now, round: round ? presentRound(round, now) : null };
  });

  router.get('/api/rounds/:id', async (ctx) => {
    await requireUser(services, ctx);
    const { id } = parseWith(RoundParams, ctx.params);
    const round = await services.store.rounds.get(id);
    if (!round) throw notFound(`There is no round "${id}".`);
    return presentRound(round, services.clock.now());
  });

  router.post('/api/rounds/:id/close', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(RoundParams, ctx.params);
    const length = Number(ctx.req.headers['content-length'] ?? '0');
    const { name } = length > 0 ? await readJson(ctx.req, CloseRoundRequest) : { name: undefined };
    const { round, version } = await closeRound(services, user, id, name);
    return { round: presentRound(round, services.clock.now()), version: summaryOf(version) };
  });
}
