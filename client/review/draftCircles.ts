import type { Amendment, DraftCircleChoice } from '../../shared/amendments.js';
import { parseOwnerKey } from '../../shared/ownerKey.js';
import { type RegionalGroup, regionName } from '../../shared/regions.js';
import type { PublicUser } from '../../shared/roles.js';
import { stateName } from '../../shared/states.js';
import { ownerLabelOf } from '../components/identity';
import type { Translate } from '../i18n';

/** One choice of circle for a new draft: `key` is `group`, `delegation`, `all` or `region:CODE`. */
export interface CircleChoice {
  key: string;
  label: string;
}

/**
 * The circles the author may keep a draft in: their group (the default), and for a government delegate
 * their delegation and each regional group of their State; everyone. The server checks membership.
 */
export function circleChoices(
  user: Pick<PublicUser, 'role' | 'group' | 'memberState'>,
  regions: readonly RegionalGroup[],
  t: Translate,
): CircleChoice[] {
  const group = user.role === 'secretariat' ? 'secretariat' : (user.group ?? 'secretariat');
  const choices: CircleChoice[] = [{ key: 'group', label: t('draft.circle.group', { group }) }];
  if (user.role === 'delegate' && user.group === 'government' && user.memberState) {
    const language = t('meta.language');
    choices.push({
      key: 'delegation',
      label: t('draft.circle.delegation', { state: stateName(user.memberState, language) }),
    });
    for (const g of regions)
      choices.push({ key: `region:${g.code}`, label: t('draft.circle.region', { region: regionName(g, language) }) });
  }
  if (user.role !== 'secretariat') choices.push({ key: 'all', label: t('draft.circle.all') });
  return choices;
}

/** A circle choice as the request's `circle` and `region`. */
export function circleRequest(key: string | undefined): { circle?: DraftCircleChoice; region?: string } {
  if (!key || key === 'group') return {};
  if (key.startsWith('region:')) return { circle: 'region', region: key.slice('region:'.length) };
  return { circle: key as DraftCircleChoice };
}

/** Who reads a draft, in words: its circle (see server/policies/drafts.ts). */
export function draftAudience(a: Pick<Amendment, 'ownerKey' | 'group' | 'draftCircle'>, t: Translate): string {
  const circle = a.draftCircle ?? null;
  if (circle === 'all') return t('draft.visibleToAll');
  if (a.ownerKey === 'secretariat') return t('draft.visibleTo', { group: 'secretariat' });
  if (circle === null) return t('draft.visibleToGroup', { group: a.group ?? 'secretariat' });
  if (parseOwnerKey(circle).kind === 'region') return t('draft.visibleToRegion', { region: ownerLabelOf(circle, t) });
  return t('draft.visibleToDelegation', { state: ownerLabelOf(circle, t) });
}
