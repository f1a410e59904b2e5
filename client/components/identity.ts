import type { PublicUser } from '../../shared/roles.js';
import type { Translate } from '../i18n';

/** "Government of France", "Employers", "Office", "Observer": how a person's affiliation reads. */
export function affiliationOf(user: Pick<PublicUser, 'role' | 'group' | 'memberState'>, t: Translate): string {
  if (user.role === 'secretariat') return t('role.secretariat');
  if (user.role === 'observer') return t('role.observer');
  if (user.group === 'government' && user.memberState) return t('group.governmentOf', { state: user.memberState });
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
