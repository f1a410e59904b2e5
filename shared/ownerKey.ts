import type { Group, PublicUser, Role } from './roles.js';

/**
 * On whose behalf a user proposes: `government:<State>` for a government delegate, `employers`,
 * `workers`, or `secretariat` (a user of no group is keyed by role). Members of the same owner may edit
 * each other's pending amendments; nobody else may. Built by `ownerKeyOf` only, read by `parseOwnerKey`
 * only: nothing else takes a key apart.
 */
export type OwnerKey = `government:${string}` | Exclude<Group, 'government'> | Role;

/** An owner key taken apart. `other`: a key naming no group (an observer's, or one from an old record). */
export type Owner =
  | { kind: 'government'; group: 'government'; memberState: string }
  | { kind: 'group'; group: 'employers' | 'workers'; memberState: null }
  | { kind: 'secretariat'; group: null; memberState: null }
  | { kind: 'other'; group: null; memberState: null; key: string };

const GOVERNMENT_PREFIX = 'government:';

/** The one builder of owner keys. */
export function ownerKeyOf(user: Pick<PublicUser, 'role' | 'group' | 'memberState'>): OwnerKey {
  if (user.role === 'secretariat') return 'secretariat';
  if (user.group === 'government') return `${GOVERNMENT_PREFIX}${user.memberState ?? 'unknown'}`;
  return user.group ?? user.role;
}

/** The one parser of owner keys; takes any string, since keys arrive from records and the wire. */
export function parseOwnerKey(key: string): Owner {
  if (key.startsWith(GOVERNMENT_PREFIX)) {
    return { kind: 'government', group: 'government', memberState: key.slice(GOVERNMENT_PREFIX.length) };
  }
  if (key === 'employers' || key === 'workers') return { kind: 'group', group: key, memberState: null };
  if (key === 'secretariat') return { kind: 'secretariat', group: null, memberState: null };
  return { kind: 'other', group: null, memberState: null, key };
}
