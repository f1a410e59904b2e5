import type { Group, PublicUser, Role } from './roles.js';
import { stateCode } from './states.js';

/**
 * On whose behalf a user proposes: `government:<State>` for a government delegate (the State's ISO
 * 3166-1 alpha-2 code, `government:ZA`), `region:<CODE>` for a regional group of governments
 * (`region:AFRICA`), `employers`, `workers`, or `secretariat` (a user of no group is keyed by role).
 * Members of the same owner may edit each other's pending amendments; nobody else may — for a regional
 * group, the delegates of every member State. Built by `ownerKeyOf` / `regionOwnerKey` only, read by
 * `parseOwnerKey` only: nothing else takes a key apart.
 */
export type OwnerKey = `government:${string}` | `region:${string}` | Exclude<Group, 'government'> | Role;

/** An owner key taken apart. `other`: a key naming no group (an observer's, or one from an old record). */
export type Owner =
  | { kind: 'government'; group: 'government'; memberState: string }
  | { kind: 'region'; group: 'government'; memberState: null; region: string }
  | { kind: 'group'; group: 'employers' | 'workers'; memberState: null }
  | { kind: 'secretariat'; group: null; memberState: null }
  | { kind: 'other'; group: null; memberState: null; key: string };

const GOVERNMENT_PREFIX = 'government:';
const REGION_PREFIX = 'region:';

/** A regional group's code: capital letters, digits, dashes and underscores ("AFRICA", "WEOG"). */
export const REGION_CODE_PATTERN = /^[A-Z][A-Z0-9_-]{1,19}$/;

/**
 * A State's code when its stored name or code is known, as stored otherwise. Records made before issue
 * 13 held English names ("South Africa"); migration 0004 maps them, but the audit log and versions are
 * append-only and keep them, so membership and names are always judged through this.
 */
export function canonicalState(stored: string): string {
  let code = canonical.get(stored);
  if (code === undefined) {
    code = stateCode(stored) ?? stored;
    // Keys are parsed for every label and colour: CLDR is asked once per spelling.
    if (canonical.size < 1000) canonical.set(stored, code);
  }
  return code;
}

const canonical = new Map<string, string>();

/** The one builder of owner keys. */
export function ownerKeyOf(user: Pick<PublicUser, 'role' | 'group' | 'memberState'>): OwnerKey {
  if (user.role === 'secretariat') return 'secretariat';
  if (user.group === 'government') return `${GOVERNMENT_PREFIX}${user.memberState ?? 'unknown'}`;
  return user.group ?? user.role;
}

/** The owner key of a regional group (`region:AFRICA`). */
export function regionOwnerKey(code: string): OwnerKey {
  return `${REGION_PREFIX}${code}`;
}

/**
 * The one parser of owner keys; takes any string, since keys arrive from records and the wire. A State
 * is read as its code whatever the key stored: marks and records made before issue 13 carry English
 * names (`government:South Africa`), which read as `ZA` here and so everywhere owners are shown.
 */
export function parseOwnerKey(key: string): Owner {
  if (key.startsWith(GOVERNMENT_PREFIX)) {
    return {
      kind: 'government',
      group: 'government',
      memberState: canonicalState(key.slice(GOVERNMENT_PREFIX.length)),
    };
  }
  if (key.startsWith(REGION_PREFIX)) {
    return { kind: 'region', group: 'government', memberState: null, region: key.slice(REGION_PREFIX.length) };
  }
  if (key === 'employers' || key === 'workers') return { kind: 'group', group: key, memberState: null };
  if (key === 'secretariat') return { kind: 'secretariat', group: null, memberState: null };
  return { kind: 'other', group: null, memberState: null, key };
}

/**
 * An owner key as it reads today: `government:South Africa` (stored before issue 13) → `government:ZA`;
 * any other key as it is. Owners are compared through this (`sameOwner`), never as stored strings.
 */
export function canonicalOwnerKey(key: string): string {
  const owner = parseOwnerKey(key);
  return owner.kind === 'government' ? `${GOVERNMENT_PREFIX}${owner.memberState}` : key;
}

/** Whether two stored owner keys name the same owner (an old State name and its code do). */
export function sameOwner(a: string, b: string): boolean {
  if (a === b) return true;
  // Only a government's key has another spelling: any other key reads as it is stored. (Asked for every
  // suggestion run of every keystroke the guard judges: no parsing, no new strings.)
  if (!a.startsWith(GOVERNMENT_PREFIX) || !b.startsWith(GOVERNMENT_PREFIX)) return false;
  return canonicalState(a.slice(GOVERNMENT_PREFIX.length)) === canonicalState(b.slice(GOVERNMENT_PREFIX.length));
}

/** A user as far as on whose behalf they may speak: their own key, and their State's regional groups. */
export type Speaker = Pick<PublicUser, 'role' | 'group' | 'memberState'> & { regions?: readonly string[] };

/**
 * Every owner key a user speaks for: their own, and — for a government delegate — each regional group
 * their State belongs to. Observers speak for nobody.
 */
export function ownerKeysOf(user: Speaker): OwnerKey[] {
  if (user.role === 'observer') return [];
  const own = ownerKeyOf(user);
  if (user.role !== 'delegate' || user.group !== 'government' || !user.memberState) return [own];
  return [own, ...(user.regions ?? []).map(regionOwnerKey)];
}

/** Whether a user speaks for `ownerKey`: it is their own, or a regional group their State is a member of. */
export function speaksFor(user: Speaker, ownerKey: string): boolean {
  return ownerKeysOf(user).some((own) => sameOwner(own, ownerKey));
}
