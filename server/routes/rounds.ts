import { routes } from '../../shared/contract/index.js';
import { closeRound, openRound } from '../commands/rounds.js';
import { notFound } from '../errors.js';
import { type Router, parseWith, readJson } from '../http/router.js';
import { whyCannotOpenRound } from '../policies/rounds.js';
import { presentRound } from '../presenters/round.js';
import { presentVersionSummary } from '../presenters/version.js';
import { type AppServices, requireUser } from './context.js';

/** Consultation rounds: anyone reads them (the UI counts down); the Office opens and closes them. */
export function roundRoutes(router: Router, services: AppServices): void {
  async function requireDocument(documentId: string): Promise<void> {
    if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
  }

  router.route(routes.openRound, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.openRound.params, ctx.params);
    const request = await readJson(ctx.req, routes.openRound.request);
    const round = await openRound(services, user, documentId, request);
    return presentRound(round, services.clock.now(), user);
  });

  router.route(routes.rounds, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.rounds.params, ctx.params);
    await requireDocument(documentId);
    const now = services.clock.now();
    return (await services.store.rounds.list(documentId)).map((r) => presentRound(r, now, user));
  });

  router.route(routes.currentRound, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { documentId } = parseWith(routes.currentRound.params, ctx.params);
    await requireDocument(documentId);
    const now = services.clock.now();
    const round = await services.store.rounds.latest(documentId);
    return {
      documentId,
      now,
      round: round ? presentRound(round, now, user) : null,
      abilities: { open: whyCannotOpenRound(user, round) === null },
    };
  });

  router.route(routes.round, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.round.params, ctx.params);
    const round = await services.store.rounds.get(id);
    if (!round) throw notFound(`There is no round "${id}".`);
    return presentRound(round, services.clock.now(), user);
  });

  router.route(routes.closeRound, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const { id } = parseWith(routes.closeRound.params, ctx.params);
    const length = Number(ctx.req.headers['content-length'] ?? '0');
    const { name } = length > 0 ? await readJson(ctx.req, routes.closeRound.request) : { name: undefined };
    const { round, version } = await closeRound(services, user, id, name);
    return { round: presentRound(round, services.clock.now(), user), version: presentVersionSummary(version, user) };
  });
}
