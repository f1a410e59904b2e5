import { ownerKeyOf, ownerKeysOf } from '../../shared/ownerKey.js';
import { canEditDirectly } from '../policies/index.js';
import type { UserRecord } from '../storage/Store.js';
import type { Author } from './suggestionGuard.js';

/**
 * Whose suggestions a collaboration connection may write, from the user as the store holds them (their
 * State's regional groups read with the account): their own key, and for a government delegate each
 * regional group of their State, whose suggestions every member State's delegates write and edit alike.
 */
export function authorOf(user: UserRecord): Author {
  const own = ownerKeyOf(user);
  const alsoFor = ownerKeysOf(user).filter((key) => key !== own);
  return { userId: user.id, ownerKey: own, direct: canEditDirectly(user), ...(alsoFor.length ? { alsoFor } : {}) };
}
