import type { Amendment, AmendmentView } from '../../shared/amendments.js';
import { roundTiming } from '../rounds/deadlines.js';
import type { AppServices } from '../services.js';
import { type AmendmentReader, presentAmendment } from './amendment.js';

/*
 * Apart from presenters/amendment.ts, which broadcasts import: reading the round needs the services,
 * and the services' types reach the amendment lifecycle, which broadcasts.
 */

/** The reader of a document's amendments now: the latest round is read once for a whole list. */
export async function readerOf(
  services: Pick<AppServices, 'store' | 'clock'>,
  viewer: AmendmentReader['viewer'],
  documentId: string,
): Promise<AmendmentReader> {
  return { viewer, timing: await roundTiming(services, documentId) };
}

/** One amendment as `viewer` sees it now (an HTTP answer). */
export async function presentAmendmentFor(
  services: Pick<AppServices, 'store' | 'clock'>,
  viewer: AmendmentReader['viewer'],
  amendment: Amendment,
): Promise<AmendmentView> {
  return presentAmendment(amendment, await readerOf(services, viewer, amendment.documentId));
}
