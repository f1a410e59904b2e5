import { randomUUID } from 'node:crypto';
import { ServerEvent } from '../../shared/events.js';
import type { Version, VersionSummary } from '../../shared/versions.js';
import { recordAudit } from '../audit/record.js';
import { whyNotOffice } from '../policies/rounds.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { snapshotSections } from '../versions/snapshot.js';
import { throwIfRefused } from '../policies/refusal.js';

/** Summary of a version, for lists and events. */
export function summaryOf(version: Version): VersionSummary {
  const { sections: _sections, ...summary } = version;
  return summary;
}

/**
 * Takes a named, immutable version of a document: every section's content, exact state and official
 * paragraph texts as they are now. The Office only; `roundId` when a round's closing takes it.
 */
export async function createVersion(
  services: AppServices,
  user: UserRecord,
  documentId: string,
  name: string,
  roundId: string | null = null,
): Promise<Version> {
  const refusal = whyNotOffice(user, 'names versions of the document');
  throwIfRefused(refusal);
  // Everything accepted before this instant is in the rooms' documents (writes are applied in order).
  const sections = await snapshotSections(services, documentId);
  const version = await services.store.versions.create({
    id: randomUUID(),
    documentId,
    name,
    createdAt: services.clock.now(),
    createdById: user.id,
    createdByName: user.name,
    roundId,
    sections,
  });
  services.events.toDocument(documentId, ServerEvent.VersionCreated, { version: summaryOf(version) });
  await recordAudit(services, user, {
    action: 'version.created',
    documentId,
    targetType: 'version',
    targetId: version.id,
    targetRef: version.name,
    details: { name, roundId, sections: sections.length },
  });
  return version;
}
