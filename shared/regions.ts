import { z } from 'zod';
import { REGION_CODE_PATTERN } from './ownerKey.js';

/**
 * A regional group of the Government group (Africa, GRULAC, ASPAG, …): data the Office keeps
 * (`npm run groups`), never code. Its delegates are those of its member States (ISO 3166-1 alpha-2).
 */
export const RegionalGroup = z.object({
  code: z.string().regex(REGION_CODE_PATTERN),
  nameEn: z.string().min(1).max(200),
  nameFr: z.string().min(1).max(200),
  nameEs: z.string().min(1).max(200),
  /** Shown on tinted badges and in the text ("AFR"). */
  shortName: z.string().min(1).max(20),
  members: z.array(z.string().regex(/^[A-Z]{2}$/)),
});
export type RegionalGroup = z.infer<typeof RegionalGroup>;

/** The codes of the regional groups a State belongs to, in the order given. */
export function regionsOf(state: string | null, groups: readonly RegionalGroup[]): string[] {
  if (!state) return [];
  return groups.filter((g) => g.members.includes(state)).map((g) => g.code);
}

/** A regional group's name in `language` (en, fr or es; English otherwise). */
export function regionName(group: Pick<RegionalGroup, 'nameEn' | 'nameFr' | 'nameEs'>, language: string): string {
  const lang = language.slice(0, 2).toLowerCase();
  if (lang === 'fr') return group.nameFr;
  if (lang === 'es') return group.nameEs;
  return group.nameEn;
}
