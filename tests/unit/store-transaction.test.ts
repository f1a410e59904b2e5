import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit.js';
import { SqliteStore } from '../../server/storage/sqliteStore.js';

/** Store.transaction: all or nothing, and nobody else's call joins it or sees half of it. */

let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

function entry(action: string): Omit<AuditEntry, 'seq'> {
  return {
    at: 1,
    userId: 'u',
    userName: 'U',
    role: 'secretariat',
    action,
    documentId: 'doc',
    targetType: 'amendment',
    targetId: 't',
    targetRef: null,
    details: {},
    via: 'system',
    ip: null,
    userAgent: null,
  };
}

describe('store transactions', () => {
  it('rolls back every write of a failed step, and keeps the writes of others made meanwhile', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const step = store.transaction(async (tx) => {
      await tx.audit.append(entry('inside'));
      await tx.appendUpdate('doc', 'sec', new Uint8Array([1, 2, 3]));
      await held;
      throw new Error('record write failed');
    });
    // Another caller while the step is open: it waits, so it neither joins nor sees the step.
    const outside = store.audit.append(entry('outside'));
    const read = store.audit.all('doc');
    release();
    await expect(step).rejects.toThrow('record write failed');
    await outside;
    expect((await read).map((e) => e.action)).toEqual(['outside']);
    expect((await store.audit.all('doc')).map((e) => e.action)).toEqual(['outside']);
    expect(await store.loadUpdates('doc', 'sec')).toEqual([]);
  });

  it('commits every write of a step together', async () => {
    const seq = await store.transaction(async (tx) => {
      await tx.audit.append(entry('one'));
      return tx.appendUpdate('doc', 'sec', new Uint8Array([7]));
    });
    expect(seq).toBeGreaterThan(0);
    expect((await store.audit.all('doc')).map((e) => e.action)).toEqual(['one']);
    expect((await store.loadUpdates('doc', 'sec')).map((u) => [...u.update])).toEqual([[7]]);
  });
});
