import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/closeCodes.js';
import { whyCannotDecide } from '../../server/policies/amendments.js';
import { whyCannotPresent } from '../../server/policies/realtime.js';
import { closeCodeOf, httpStatusOf, refusalError, throwIfRefused } from '../../server/policies/refusal.js';
import { whyPastDeadline } from '../../server/policies/rounds.js';
import { whyCannotSeeThread } from '../../server/policies/threads.js';

const delegate = { id: 'u1', role: 'delegate' as const, group: 'workers' as const, memberState: null };
const office = { id: 'u2', role: 'secretariat' as const, group: null, memberState: null };

describe('one refusal type', () => {
  it('derives the HTTP status and the close code from the code, as the README documents them', () => {
    expect([httpStatusOf('forbidden'), closeCodeOf('forbidden')]).toEqual([403, CloseCode.Forbidden]);
    expect([httpStatusOf('conflict'), closeCodeOf('conflict')]).toEqual([409, CloseCode.UpdateRefused]);
    expect(httpStatusOf('deadline_passed')).toBe(409);
    expect(closeCodeOf('update_refused')).toBe(CloseCode.UpdateRefused);
  });

  it('is what every policy answers, and becomes the documented error body', () => {
    const amendment = { ref: 'A-1', ownerKey: 'workers', status: 'proposed' as const };
    const refused = whyCannotDecide(delegate, amendment);
    expect(refused).toMatchObject({ code: 'forbidden', reason: 'Only the Office accepts or rejects amendments.' });
    expect(whyCannotDecide(office, amendment)).toBeNull();
    expect(whyCannotDecide(office, { ...amendment, status: 'accepted' })?.code).toBe('conflict');
    expect(whyCannotSeeThread(delegate, { visibility: 'group', group: 'employers' })?.code).toBe('forbidden');
    expect(whyCannotPresent(delegate)?.reason).toBe('Only the Office can present.');
    const round = {
      number: 1,
      closedAt: 5,
      amendmentDeadline: 10,
      subAmendmentDeadline: 20,
    } as unknown as Parameters<typeof whyPastDeadline>[1];
    expect(whyPastDeadline(delegate, round, 'amendment', 0)?.code).toBe('deadline_passed');

    const error = refusalError(refused as NonNullable<typeof refused>);
    expect([error.status, error.error, error.message]).toEqual([403, 'forbidden', refused?.reason]);
    expect(() => throwIfRefused(whyCannotDecide(office, { ...amendment, status: 'rejected' }))).toThrow(
      expect.objectContaining({ status: 409, error: 'conflict' }),
    );
    expect(() => throwIfRefused(null)).not.toThrow();
  });
});
