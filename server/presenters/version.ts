import type { PublicUser } from '../../shared/roles.js';
import type { VersionSummary } from '../../shared/versions.js';
import { canCompareVersions } from '../policies/index.js';

/** A version's summary (its sections left out); with `viewer`, what that reader may do with it. */
export function presentVersionSummary(
  version: VersionSummary & { sections?: unknown },
  viewer?: Pick<PublicUser, 'role' | 'group'>,
): VersionSummary {
  const { sections: _sections, abilities: _abilities, ...summary } = version;
  return viewer ? { ...summary, abilities: { compare: canCompareVersions(viewer) } } : summary;
}
