import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FanOut, FanOutMessage } from '../../server/fanout/FanOut.js';
import {
  SHARED_STORE_KEEP_MS,
  followRoundChanges,
  forgetLatestRound,
  latestRound,
  roundChanged,
} from '../../server/rounds/latestRounds.js';
import { PostgresStore } from '../../server/storage/postgresStore.js';
import type { Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

const DOC = 'doc-rounds-cache';

/**
 * Processes' fan-out in one test: what one node publishes reaches the other nodes' listeners (never its
 * own, as with Redis, where a process ignores its own messages), and `gap()` tells every listener that
 * messages may have been lost, as after a reconnect.
 */
class Bus {
  private readonly listeners = new Set<{
    node: number;
    room: string;
    listener: (m: FanOutMessage) => void;
    onGap?: () => void;
  }>();
  private nodes = 0;

  node(): FanOut {
    const node = this.nodes++;
    return {
      publish: (room, message) => {
        for (const l of this.listeners) if (l.node !== node && l.room === room) l.listener(message);
      },
      subscribe: (room, listener, onGap) => {
        const entry = { node, room, listener, onGap };
        this.listeners.add(entry);
        return () => this.listeners.delete(entry);
      },
      close: async () => {},
    };
  }

  gap(): void {
    for (const l of this.listeners) l.onGap?.();
  }
}
const round = (id: string) => ({
  id,
  documentId: DOC,
  amendmentDeadline: 10,
  subAmendmentDeadline: 20,
  openedAt: 1,
  openedById: 'u',
  openedByName: 'U',
  closedAt: null,
  closedById: null,
  closedByName: null,
  versionId: null,
});

describe.each(storeEngines())('latest round for the deadline hook ($engine)', ({ engine, open }) => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const urls = new WeakMap<Store, string>();
  const opened = async (): Promise<Store> => {
    const { store, close, databaseUrl } = await open();
    closers.push(close);
    if (databaseUrl) urls.set(store, databaseUrl);
    return store;
  };
  /** A second store object on the same PostgreSQL database, as another process holds. */
  const openedOn = async (store: Store): Promise<Store> => {
    const other = new PostgresStore(urls.get(store) ?? '');
    closers.unshift(() => other.close());
    return other;
  };

  it('answers what the store holds after every round change made through forgetLatestRound', async () => {
    const store = await opened();
    expect(await latestRound(store, DOC)).toBeNull();
    await store.rounds.create(round('r1'));
    forgetLatestRound(store, DOC);
    expect((await latestRound(store, DOC))?.id).toBe('r1');
    await store.rounds.close('r1', { at: 5, byId: 'u', byName: 'U', versionId: 'v1' });
    forgetLatestRound(store, DOC);
    expect((await latestRound(store, DOC))?.closedAt).toBe(5);
    await store.rounds.create(round('r2'));
    forgetLatestRound(store, DOC);
    expect((await latestRound(store, DOC))?.id).toBe('r2');
  });

  it('reads the store once per change, on every engine', async () => {
    const store = await opened();
    await store.rounds.create(round('r1'));
    const latest = vi.spyOn(store.rounds, 'latest');
    for (let i = 0; i < 5; i++) expect((await latestRound(store, DOC))?.id).toBe('r1');
    expect(latest).toHaveBeenCalledTimes(1);
  });

  it(
    engine === 'sqlite'
      ? 'keeps it however old on SQLite, whose only writer is this process'
      : 'reads it again once it is older than SHARED_STORE_KEEP_MS on PostgreSQL (a lost fan-out message)',
    async () => {
      const store = await opened();
      await store.rounds.create(round('r1'));
      const latest = vi.spyOn(store.rounds, 'latest');
      const start = performance.now();
      const clock = vi.spyOn(performance, 'now').mockReturnValue(start);
      try {
        await latestRound(store, DOC);
        clock.mockReturnValue(start + SHARED_STORE_KEEP_MS - 1);
        await latestRound(store, DOC);
        expect(latest).toHaveBeenCalledTimes(1);
        clock.mockReturnValue(start + SHARED_STORE_KEEP_MS + 1);
        await latestRound(store, DOC);
        expect(latest).toHaveBeenCalledTimes(engine === 'sqlite' ? 1 : 2);
      } finally {
        clock.mockRestore();
      }
    },
  );

  it('another process’s round change reaches this one over the fan-out; a gap forgets everything', async () => {
    const here = await opened();
    // The other process: its own store object (on SQLite, the same one: the message path is what is tested).
    const there = engine === 'sqlite' ? here : await openedOn(here);
    const bus = new Bus();
    const stop = followRoundChanges(here, bus.node());
    await there.rounds.create(round('r1'));
    expect((await latestRound(here, DOC))?.id).toBe('r1');
    await there.rounds.create(round('r2'));
    // Not told yet: the kept round stands.
    expect((await latestRound(here, DOC))?.id).toBe('r1');
    roundChanged(there, bus.node(), DOC);
    expect((await latestRound(here, DOC))?.id).toBe('r2');

    await there.rounds.create(round('r3'));
    bus.gap();
    expect((await latestRound(here, DOC))?.id).toBe('r3');
    stop();
  });

  it('does not keep a read that started before a change', async () => {
    const store = await opened();
    await store.rounds.create(round('r1'));
    const reading = latestRound(store, DOC);
    forgetLatestRound(store, DOC);
    expect((await reading)?.id).toBe('r1');
    await store.rounds.create(round('r2'));
    expect((await latestRound(store, DOC))?.id).toBe('r2');
  });
});
