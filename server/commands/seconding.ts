import type { Amendment } from '../../shared/amendments.js';
import { ownerKeyOf } from '../../shared/suggestions.js';
import { announceAmendment } from '../amendments/lifecycle.js';
import { auditAmendment } from '../audit/record.js';
import { conflictBecause, refusalError, throwIfRefused } from '../policies/refusal.js';
import { whyCannotSecond } from '../policies/seconding.js';
import type { AppServices } from '../services.js';
import type { UserRecord } from '../storage/Store.js';
import { onAmendment } from './amendmentSteps.js';

/**
 * A delegate of another member seconds one State's amendment: one click, recorded once with their name
 * and State, audited, and announced like every change of the amendment. Runs in the amendment's
 * section queue, so that it cannot cross the Office's decision.
 */
export async function secondAmendment(
  services: AppServices,
  user: UserRecord,
  id: string,
  documentId?: string,
): Promise<Amendment> {
  const seconded = await onAmendment(services, user, id, documentId, (amendment, steps) => {
    throwIfRefused(whyCannotSecond(user, amendment));
    return steps.commit(null, {
      actor: user,
      claimed: [id],
      async write(tx) {
        const at = services.clock.now();
        const changed = await tx.amendments.second(id, {
          ownerKey: ownerKeyOf(user),
          byUserId: user.id,
          byName: user.name,
          at,
          inRoom: false,
        });
        // Another process seconded it between the check and the write: the first seconder stands.
        if (!changed)
          throw refusalError(
            conflictBecause(
              'second_taken',
              `Amendment ${amendment.ref} was seconded by another delegate a moment ago.`,
              {
                ref: amendment.ref,
              },
            ),
          );
        await auditAmendment(tx.audit, at, user, 'seconded', changed, {
          seconder: ownerKeyOf(user),
          seconderName: user.name,
        });
        return changed;
      },
    });
  });
  announceAmendment(services, seconded);
  return seconded;
}
