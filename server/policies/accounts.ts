import type { PublicUser } from '../../shared/roles.js';
import { type Refusal, conflictBecause, forbidBecause } from './refusal.js';

/**
 * The Office administers the consultation's accounts; nobody else sees them. The Office cannot lock
 * itself out: it may not deactivate its own account nor take away its own role.
 */
type Actor = Pick<PublicUser, 'id' | 'role'>;

export function whyCannotManageAccounts(actor: Actor): Refusal | null {
  return actor.role === 'secretariat'
    ? null
    : forbidBecause('accounts_office_only', 'Only the Office manages participants’ accounts.');
}

export function whyCannotChangeAccount(
  actor: Actor,
  targetId: string,
  change: { active?: boolean; role?: string },
): Refusal | null {
  const refusal = whyCannotManageAccounts(actor);
  if (refusal) return refusal;
  if (targetId !== actor.id) return null;
  if (change.active === false)
    return conflictBecause(
      'account_self_deactivate',
      'You cannot deactivate your own account; another Office account can.',
    );
  if (change.role !== undefined && change.role !== 'secretariat') {
    return conflictBecause(
      'account_self_role',
      'You cannot take the Office’s role from your own account; another Office account can.',
    );
  }
  return null;
}
