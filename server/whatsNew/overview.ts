import type { PublicUser } from '../../shared/roles.js';
import type { DocumentOverview, DocumentOverviewResponse } from '../../shared/whatsNew.js';
import { newsAmendments } from '../policies/whatsNew.js';
import { presentRound } from '../presenters/round.js';
import type { AppServices } from '../services.js';
import { unreadBySection } from './unread.js';

/** The document list's figures: per document its open round, its tabled amendments by state, unread comments. */
export async function documentOverview(
  services: Pick<AppServices, 'store' | 'clock'>,
  reader: Pick<PublicUser, 'id' | 'role' | 'group' | 'memberState'>,
): Promise<DocumentOverviewResponse> {
  const now = services.clock.now();
  const documents: DocumentOverview[] = [];
  for (const summary of await services.store.listDocuments()) {
    const outline = await services.store.getDocument(summary.id);
    if (!outline) continue;
    const latest = await services.store.rounds.latest(summary.id);
    const counts = { pending: 0, accepted: 0, rejected: 0 };
    for (const a of newsAmendments(reader, await services.store.amendments.list(summary.id))) {
      if (a.status === 'proposed') counts.pending++;
      else if (a.status === 'accepted') counts.accepted++;
      else if (a.status === 'rejected') counts.rejected++;
    }
    const unread = await unreadBySection(
      services,
      reader,
      summary.id,
      outline.sections.map((s) => s.id),
    );
    documents.push({
      documentId: summary.id,
      round: latest && latest.closedAt === null ? presentRound(latest, now, reader) : null,
      counts,
      unread: Object.values(unread).reduce((sum, n) => sum + n, 0),
    });
  }
  return { now, documents };
}
