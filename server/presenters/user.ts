import type { PublicUser } from '../../shared/roles.js';
import type { UserRecord } from '../storage/Store.js';

/** What of a user leaves the server. */
export function presentUser(user: UserRecord): PublicUser {
  return { id: user.id, name: user.name, role: user.role, group: user.group, memberState: user.memberState };
}
