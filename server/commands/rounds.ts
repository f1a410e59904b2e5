import { randomUUID } from 'node:crypto';
import { ServerEvent } from '../../shared/events.js';
import { type OpenRoundRequest, type Round, deadlineOutOfRange } from '../../shared/rounds.js';
import type { Version } from '../../shared/versions.js';
import { recordAudit } from '../audit/record.js';
import { badRequest, notFound } from '../errors.js';
import { whyCannotCloseRound, whyCannotOpenRound, whyNotOffice } from '../policies/rounds.js';
import { presentRound } from '../presenters/round.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { createVersion } from './versions.js';
import { conflictBecause, refusalError, throwIfRefused } from '../policies/refusal.js';

/** Consultation rounds: the Office opens one with its deadlines, and closes it, which takes a version. */

function officeOnly(user: UserRecord, what: string): void {
  const refusal = whyNotOffice(user, what);
  throwIfRefused(refusal);
}

function announce(services: AppServices, round: Round): void {
  services.onRoundChanged(round.documentId);
  services.events.toDocument(round.documentId, ServerEvent.RoundChanged, {
    round: presentRound(round, services.clock.now()),
  });
}

/** Opens a round on a document; 409 while another is open. */
export async function openRound(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  request: OpenRoundRequest,
): Promise<Round> {
  officeOnly(user, 'opens consultation rounds');
  if (!(await services.store.getDocument(documentId))) throw notFound(`There is no document "${documentId}".`);
  // Judged before anything is saved: a round stored with an absurd date could not even be shown.
  const now = services.clock.now();
  for (const field of ['amendmentDeadline', 'subAmendmentDeadline'] as const) {
    const problem = deadlineOutOfRange(request[field], now);
    if (problem) throw badRequest(`${field}: ${problem}`);
  }
  const latest = await services.store.rounds.latest(documentId);
  throwIfRefused(whyCannotOpenRound(user, latest));
  const round = await services.store.rounds.create({
    id: randomUUID(),
    documentId,
    amendmentDeadline: request.amendmentDeadline,
    subAmendmentDeadline: request.subAmendmentDeadline,
    openedAt: services.clock.now(),
    openedById: user.id,
    openedByName: user.name,
    closedAt: null,
    closedById: null,
    closedByName: null,
    versionId: null,
  });
  announce(services, round);
  await recordAudit(services, user, {
    action: 'round.opened',
    documentId,
    targetType: 'round',
    targetId: round.id,
    targetRef: `Round ${round.number}`,
    details: {
      amendmentDeadline: new Date(round.amendmentDeadline).toISOString(),
      subAmendmentDeadline: new Date(round.subAmendmentDeadline).toISOString(),
    },
  });
  return round;
}

/** Closes a round and takes its version (named `name`, or `Round N — closing`). */
export async function closeRound(
  services: AppServices,
  user: UserRecord,
  id: string,
  name?: string,
): Promise<{ round: Round; version: Version }> {
  officeOnly(user, 'closes consultation rounds');
  const round = await services.store.rounds.get(id);
  if (!round) throw notFound(`There is no round "${id}".`);
  throwIfRefused(whyCannotCloseRound(user, round));
  // Closed first, its version taken after: from the close on, a tabling is refused, and one that passed
  // its deadline check before is in its section's queue ahead of the snapshot — so the closing version
  // holds everything tabled in the round (taken first, it missed what was tabled while it read 60 sections).
  const marked = await services.store.rounds.close(id, {
    at: services.clock.now(),
    byId: user.id,
    byName: user.name,
    versionId: null,
  });
  if (!marked) {
    throw refusalError(
      conflictBecause('round_already_closed', `Round ${round.number} was closed meanwhile.`, { n: round.number }),
    );
  }
  const version = await createVersion(
    services,
    user,
    round.documentId,
    name ?? `Round ${round.number} — closing`,
    round.id,
  );
  const closed = (await services.store.rounds.attachClosingVersion(id, version.id)) ?? marked;
  announce(services, closed);
  await recordAudit(services, user, {
    action: 'round.closed',
    documentId: round.documentId,
    targetType: 'round',
    targetId: round.id,
    targetRef: `Round ${round.number}`,
    details: { versionId: version.id, versionName: version.name },
  });
  return { round: closed, version };
}
