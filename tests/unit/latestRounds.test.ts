import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetLatestRound, latestRound } from '../../server/rounds/latestRounds.js';
import type { Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

const DOC = 'doc-rounds-cache';
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
  const opened = async (): Promise<Store> => {
    const { store, close } = await open();
    closers.push(close);
    return store;
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

  it(
    engine === 'sqlite'
      ? 'reads the store once per change on SQLite, whose only writer is this process'
      : 'reads the store every time on PostgreSQL, where another process may change a round',
    async () => {
      const store = await opened();
      await store.rounds.create(round('r1'));
      const latest = vi.spyOn(store.rounds, 'latest');
      for (let i = 0; i < 5; i++) expect((await latestRound(store, DOC))?.id).toBe('r1');
      expect(latest).toHaveBeenCalledTimes(engine === 'sqlite' ? 1 : 5);
    },
  );

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
