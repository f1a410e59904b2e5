import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit.js';
import type { Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

/** Store.transaction: all or nothing, and nobody else's call joins it or sees half of it. */

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

describe.each(storeEngines())('store transactions on $engine', ({ engine, open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open());
  });
  afterEach(async () => {
    await close();
  });

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
    // Another caller while the step is open: on SQLite it waits; on PostgreSQL it goes on with a
    // connection of its own. Either way it neither joins nor sees the step.
    const outside = store.audit.append(entry('outside'));
    const read = outside.then(() => store.audit.all('doc'));
    if (engine === 'postgres') await read;
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
