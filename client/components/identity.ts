import { GROUP_COLOURS, type PublicUser } from '../../shared/roles.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { stateName } from '../../shared/states.js';
import { groupOfOwnerKey } from '../../shared/suggestions.js';
import type { Translate } from '../i18n';
import { regionLabel, regionShortName } from './regionalGroups';

/** "Government of France", "Employers", "Office", "Observer": how a person's affiliation reads. */
export function affiliationOf(user: Pick<PublicUser, 'role' | 'group' | 'memberState'>, t: Translate): string {
  if (user.role === 'secretariat') return t('role.secretariat');
  if (user.role === 'observer') return t('role.observer');
  if (user.group === 'government' && user.memberState) {
    return t('group.governmentOf', { state: stateName(user.memberState, t('meta.language')) });
  }
  if (user.group) return t(`group.${user.group}`);
  return '';
}

/** Initials for an avatar: first letters of the first and last words. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words.at(-1)?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/**
 * On whose behalf an amendment is made, for people: `government:FR` → France (in the reader's language),
 * `region:AFRICA` → Groupe de l'Afrique, `workers` → Workers.
 */
export function ownerLabelOf(ownerKey: string, t: Translate): string {
  const owner = parseOwnerKey(ownerKey);
  if (owner.kind === 'secretariat') return t('owner.secretariat');
  if (owner.kind === 'government') {
    return owner.memberState ? stateName(owner.memberState, t('meta.language')) : t('owner.government');
  }
  if (owner.kind === 'region') return regionLabel(owner.region, t('meta.language'));
  if (ownerKey === 'employers' || ownerKey === 'workers' || ownerKey === 'government') return t(`owner.${ownerKey}`);
  return ownerKey;
}

/**
 * A regional group's colour: a tint of the Government blue (styles.css `.owner-region` uses the same),
 * still 4.5:1 on white and on its own background tint.
 */
export const REGION_COLOUR = '#2f6db3';

/** A regional group's short name ("AFR") for its chip; null for any other owner. */
export function ownerShortOf(ownerKey: string): string | null {
  const owner = parseOwnerKey(ownerKey);
  return owner.kind === 'region' ? regionShortName(owner.region) : null;
}

/** The colour of an owner key's group (the Office's green for `secretariat`), a tint for a regional group. */
export function colourOfOwner(ownerKey: string): string {
  if (parseOwnerKey(ownerKey).kind === 'region') return REGION_COLOUR;
  const group = groupOfOwnerKey(ownerKey);
  if (group === 'government' || group === 'employers' || group === 'workers' || group === 'secretariat') {
    return GROUP_COLOURS[group];
  }
  return GROUP_COLOURS.observer;
}

/** A moment, as people read it in the interface language: "12 Mar 2025, 14:05". */
export function formatTime(ms: number, language: string): string {
  try {
    return new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : language === 'es' ? 'es-ES' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
  } catch {
    return new Date(ms).toISOString();
  }
}
