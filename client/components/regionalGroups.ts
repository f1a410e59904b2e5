import { type RegionalGroup, regionName } from '../../shared/regions.js';

/**
 * The regional groups of the Government group, read once per session (GET /api/regional-groups), so
 * that "region:AFRICA" reads "Groupe de l'Afrique" wherever an owner is named. Until they arrive (or
 * for a code no longer listed) the code stands in.
 */
let known: readonly RegionalGroup[] = [];

export function rememberRegionalGroups(groups: readonly RegionalGroup[]): void {
  known = groups;
}

/** A regional group's short name ("AFR"), or its code when unknown. */
export function regionShortName(code: string): string {
  return known.find((g) => g.code === code)?.shortName ?? code;
}

/** A regional group's name in `language`, or its code when unknown. */
export function regionLabel(code: string, language: string): string {
  const group = known.find((g) => g.code === code);
  return group ? regionName(group, language) : code;
}
