import type { Amendment } from '../../shared/amendments.js';
import type { PublicUser } from '../../shared/roles.js';
import type { RecentDecision } from '../../shared/whatsNew.js';
import { whyCannotUndo } from '../policies/drafts.js';
import { roundTiming } from '../rounds/deadlines.js';
import type { AppServices } from '../services.js';

/** Enough to take back the last run of decisions, short enough to keep the desk's top calm. */
const KEEP = 10;

/**
 * The Office's last decisions that still stand, newest first — read from the amendments' own history
 * (the record the decision wrote), so they survive a reload and show what any member of the Office
 * decided. An amendment proposed again (undone) drops out; undoing is offered by the rule the undo
 * route applies.
 */
export async function recentDecisions(
  services: Pick<AppServices, 'store' | 'clock'>,
  reader: Pick<PublicUser, 'role' | 'group' | 'memberState'>,
  documentId: string,
): Promise<RecentDecision[]> {
  const timing = await roundTiming(services, documentId);
  const decided: { a: Amendment; at: number; byName: string }[] = [];
  for (const a of await services.store.amendments.list(documentId)) {
    if (a.status !== 'accepted' && a.status !== 'rejected') continue;
    const last = a.history.at(-1);
    if (!last || last.status !== a.status) continue;
    decided.push({ a, at: last.at, byName: last.byName });
  }
  decided.sort((x, y) => y.at - x.at);
  return decided.slice(0, KEEP).map(({ a, at, byName }) => ({
    amendmentId: a.id,
    ref: a.ref,
    decision: a.status as 'accepted' | 'rejected',
    at,
    byName,
    ownerKey: a.ownerKey,
    paragraph: a.paragraphs[0] ?? null,
    modified: a.modifiedText !== null,
    undo: whyCannotUndo(reader, a, timing) === null,
  }));
}
