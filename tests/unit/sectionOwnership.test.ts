import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeasedOwnership, LocalOwnership } from '../../server/cluster/SectionOwnership.js';
import type { Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

/** The lease service of one writer per section, on every engine (the lease lives in the store). */

const FAST = { ttlMs: 1000, renewEveryMs: 100, marginMs: 300 };

describe.each(storeEngines())('SectionOwnership on $engine', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  const services: { close(): Promise<void> }[] = [];
  beforeEach(async () => {
    ({ store, close } = await open());
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.close();
    await close();
  });

  it('gives a section to the first process and names it to the others; renewals keep it writable', async () => {
    const a = new LeasedOwnership('A', store.ownership, () => {}, FAST);
    const b = new LeasedOwnership('B', store.ownership, () => {}, FAST);
    services.push(a, b);
    // The store answers first (migrations done): the lease counts from the request's send.
    await store.ownership.head('d', 's');
    expect(await a.acquire('d', 's')).toEqual({ owner: true, fence: { epoch: 1, seq: 0 } });
    expect(await b.acquire('d', 's')).toEqual({ owner: false, processId: 'A' });
    expect(a.mayWrite('d', 's')).toBe(true);
    expect(b.mayWrite('d', 's')).toBe(false);
    // Three TTLs later, still A's: only the renewals can have kept it (the time IS what is tested).
    await new Promise((resolve) => setTimeout(resolve, 3 * FAST.ttlMs));
    expect(a.mayWrite('d', 's')).toBe(true);
    expect(await b.acquire('d', 's')).toEqual({ owner: false, processId: 'A' });
  });

  it('an owner whose epoch moved (another took over) loses the section and is told so', async () => {
    let lostNow = () => {};
    const lost = new Promise<void>((resolve) => {
      lostNow = resolve;
    });
    const a = new LeasedOwnership('A', store.ownership, () => lostNow(), FAST);
    services.push(a);
    await a.acquire('d', 's');
    // Another process takes over as if A's lease had lapsed (a TTL in the past ends it at once).
    await store.ownership.release('d', 's', 'A');
    expect((await store.ownership.takeOver('d', 's', 'B', 60_000)).ok).toBe(true);
    await lost;
    expect(a.mayWrite('d', 's')).toBe(false);
  });

  it('releases its leases on close, so that another process takes them at once', async () => {
    const a = new LeasedOwnership('A', store.ownership, () => {}, { ...FAST, ttlMs: 60_000 });
    await a.acquire('d', 's');
    await a.close();
    expect(await store.ownership.holder('d', 's')).toBeNull();
  });

  it('one process alone owns everything, unfenced', async () => {
    const local = new LocalOwnership('me');
    expect(await local.acquire()).toEqual({ owner: true, fence: null });
    expect(local.mayWrite()).toBe(true);
  });
});
