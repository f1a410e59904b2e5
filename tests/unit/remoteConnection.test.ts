import { describe, expect, it, vi } from 'vitest';
import { RemoteConnection } from '../../server/collab/RemoteConnection.js';
import type { UserRecord } from '../../server/storage/Store.js';

/**
 * On a section's owner, a client of another process: its close travels over the fan-out, which may lose
 * it, so a closed remote repeats its close when the client still sends (at most once a second).
 */
const user = {
  id: 'u1',
  username: 'gov-fr',
  name: 'Julien Moreau',
  role: 'delegate',
  group: 'government',
  memberState: 'FR',
  passwordHash: '',
  demo: false,
  createdAt: 0,
  deactivatedAt: null,
} as UserRecord;

describe('a remote connection’s close', () => {
  it('is sent once on close, again when the client still sends, never more than once a second', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const sent: [number, string][] = [];
      const remote = new RemoteConnection('p1|c1', user, (code, reason) => sent.push([code, reason]));
      remote.closeAgain();
      expect(sent).toEqual([]);
      remote.close(4409, 'refused');
      remote.close(4409, 'refused');
      expect(sent).toEqual([[4409, 'refused']]);
      remote.closeAgain();
      expect(sent).toHaveLength(1);
      vi.advanceTimersByTime(1001);
      remote.closeAgain();
      remote.closeAgain();
      expect(sent).toEqual([
        [4409, 'refused'],
        [4409, 'refused'],
      ]);
      expect(remote.isClosed).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
