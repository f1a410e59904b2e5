import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FencedOut } from '../../server/storage/sectionFence.js';
import type { Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

/** Sections' leases and fenced appends (one writer per section), on every engine. */

const [D, S] = ['doc', 'part-1'];
const bytes = (...b: number[]) => new Uint8Array(b);

describe.each(storeEngines())('section ownership on $engine', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await open());
  });
  afterEach(async () => {
    await close();
  });

  it('takes a free section over at epoch 1, again (mine) at epoch 2, and refuses another process while the lease holds', async () => {
    const first = await store.ownership.takeOver(D, S, 'A', 60_000);
    expect(first).toEqual({ ok: true, fence: { epoch: 1, seq: 0 } });
    expect(await store.ownership.holder(D, S)).toBe('A');
    expect(await store.ownership.takeOver(D, S, 'B', 60_000)).toEqual({ ok: false, owner: 'A' });
    expect(await store.ownership.takeOver(D, S, 'A', 60_000)).toEqual({ ok: true, fence: { epoch: 2, seq: 0 } });
    expect(await store.ownership.head(D, S)).toEqual({ epoch: 2, seq: 0 });
  });

  it('lets another process take an expired lease, with a new epoch; the old owner can no longer renew', async () => {
    await store.ownership.takeOver(D, S, 'A', -1);
    expect(await store.ownership.holder(D, S)).toBeNull();
    const b = await store.ownership.takeOver(D, S, 'B', 60_000);
    expect(b).toEqual({ ok: true, fence: { epoch: 2, seq: 0 } });
    expect(await store.ownership.renew(D, S, 'A', 1, 60_000)).toBe(false);
    expect(await store.ownership.renew(D, S, 'B', 2, 60_000)).toBe(true);
    await store.ownership.release(D, S, 'B');
    expect(await store.ownership.holder(D, S)).toBeNull();
    expect((await store.ownership.takeOver(D, S, 'C', 60_000)).ok).toBe(true);
  });

  it('appends only at the exact head: a stale epoch or seq is FencedOut and commits nothing', async () => {
    const a = await store.ownership.takeOver(D, S, 'A', -1);
    if (!a.ok) throw new Error('not taken');
    const h1 = await store.ownership.append(D, S, a.fence, bytes(1));
    expect(h1).toEqual({ epoch: 1, seq: 1 });
    // The same position twice (a duplicated forward, a retry): refused.
    await expect(store.ownership.append(D, S, a.fence, bytes(9))).rejects.toBeInstanceOf(FencedOut);
    const b = await store.ownership.takeOver(D, S, 'B', 60_000);
    if (!b.ok) throw new Error('not taken');
    expect(b.fence).toEqual({ epoch: 2, seq: 1 });
    // A's next append, after B took over: refused, whatever A believes of its lease.
    await expect(store.ownership.append(D, S, h1, bytes(8))).rejects.toBeInstanceOf(FencedOut);
    await store.ownership.append(D, S, b.fence, bytes(2));
    const log = await store.ownership.log(D, S, 0);
    // Each row names the owner that wrote it: A's at epoch 1, B's at epoch 2; A's stale tries left none.
    expect(log.map((r) => [r.headEpoch, r.headSeq, [...r.update]])).toEqual([
      [1, 1, [1]],
      [2, 2, [2]],
    ]);
    expect((await store.ownership.log(D, S, 1)).map((r) => [r.headEpoch, r.headSeq])).toEqual([[2, 2]]);
    expect((await store.loadUpdates(D, S)).map((u) => [...u.update])).toEqual([[1], [2]]);
  });

  it('rolls the fenced append back with the rest of its transaction', async () => {
    const a = await store.ownership.takeOver(D, S, 'A', 60_000);
    if (!a.ok) throw new Error('not taken');
    await expect(
      store.transaction(async (tx) => {
        await tx.ownership.append(D, S, a.fence, bytes(1));
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await store.ownership.head(D, S)).toEqual({ epoch: 1, seq: 0 });
    expect(await store.loadUpdates(D, S)).toEqual([]);
  });

  it('keeps the highest owner number and the latest epoch on a compacted row', async () => {
    const a = await store.ownership.takeOver(D, S, 'A', 60_000);
    if (!a.ok) throw new Error('not taken');
    const h1 = await store.ownership.append(D, S, a.fence, bytes(1));
    const again = await store.ownership.takeOver(D, S, 'A', 60_000);
    if (!again.ok) throw new Error('not taken');
    expect(again.fence).toEqual({ epoch: 2, seq: h1.seq });
    await store.ownership.append(D, S, again.fence, bytes(2));
    const rows = await store.loadUpdates(D, S);
    await store.compactUpdates(
      D,
      S,
      bytes(3),
      rows.map((r) => r.seq),
    );
    expect((await store.ownership.log(D, S, 1)).map((r) => [r.headEpoch, r.headSeq, [...r.update]])).toEqual([
      [2, 2, [3]],
    ]);
  });

  it("stores a single process's unfenced updates with neither number nor epoch, and compacts them so", async () => {
    await store.appendUpdate(D, S, bytes(1));
    await store.transaction((tx) => tx.appendUpdate(D, S, bytes(2)));
    expect((await store.ownership.log(D, S, 0)).map((r) => [r.headEpoch, r.headSeq, [...r.update]])).toEqual([
      [null, null, [1]],
      [null, null, [2]],
    ]);
    const rows = await store.loadUpdates(D, S);
    await store.compactUpdates(
      D,
      S,
      bytes(3),
      rows.map((r) => r.seq),
    );
    expect((await store.ownership.log(D, S, 0)).map((r) => [r.headEpoch, r.headSeq, [...r.update]])).toEqual([
      [null, null, [3]],
    ]);
  });
});
