import type { UserRecord } from '../storage/Store.js';

/**
 * Everything about an account that decides what its live connections may do: role, group, State and the
 * regional groups that State belongs to. A live connection keeps the powers it was admitted with; when
 * this value for the account differs from the one of a connection, that connection must be admitted again.
 */
export function powersOf(user: Pick<UserRecord, 'role' | 'group' | 'memberState' | 'regions'>): string {
  return JSON.stringify([user.role, user.group, user.memberState, [...(user.regions ?? [])].sort()]);
}

/** A live connection as the session check sees it. */
export interface LiveSession {
  tokenHash: string;
  userId: string;
  /** `powersOf` the user as the connection was admitted. */
  powers: string;
}
