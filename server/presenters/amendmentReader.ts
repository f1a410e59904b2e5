import type { Amendment, AmendmentView } from '../../shared/amendments.js';
import { roundTiming } from '../rounds/deadlines.js';
import type { AppServices } from '../services.js';
import { type AmendmentReader, presentAmendment } from './amendment.js';

/*
 * Apart from presenters/amendment.ts, which broadcasts import: reading the round needs the services,
 * and the services' types reach the amendment lifecycle, which broadcasts.
 */

/**
 * The reader of a document's amendments now: the latest round is read once for a whole list, with the
 * owners of the parents of the sub-amendments among `amendments` (the deadline of a sub-amendment of
 * one's own amendment is the amendment deadline) — taken from the list, else read.
 */
export async function readerOf(
  services: Pick<AppServices, 'store' | 'clock'>,
  viewer: AmendmentReader['viewer'],
  documentId: string,
  amendments: readonly Pick<Amendment, 'id' | 'ownerKey' | 'parentId'>[] = [],
): Promise<AmendmentReader> {
  const owners = new Map(amendments.map((a) => [a.id, a.ownerKey]));
  const parentOwners = new Map<string, string>();
  for (const { parentId } of amendments) {
    if (parentId === null || parentOwners.has(parentId)) continue;
    const owner = owners.get(parentId) ?? (await services.store.amendments.get(parentId))?.ownerKey;
    if (owner) parentOwners.set(parentId, owner);
  }
  return { viewer, timing: await roundTiming(services, documentId), parentOwners };
}

/** One amendment as `viewer` sees it now (an HTTP answer). */
export async function presentAmendmentFor(
  services: Pick<AppServices, 'store' | 'clock'>,
  viewer: AmendmentReader['viewer'],
  amendment: Amendment,
): Promise<AmendmentView> {
  return presentAmendment(amendment, await readerOf(services, viewer, amendment.documentId, [amendment]));
}
