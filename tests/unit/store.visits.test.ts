import { describe, expect, it } from 'vitest';
import { storeEngines } from '../support/storeEngines.js';

describe.each(storeEngines())('section visits on $engine', ({ open }) => {
  it('keep each user’s first and last view per section, never moving back in time', async () => {
    const { store, close } = await open();
    try {
      expect(await store.visits.list('u1', 'doc')).toEqual([]);
      await store.visits.markVisited('u1', 'doc', 'part-1', 1_000);
      await store.visits.markVisited('u1', 'doc', 'part-1', 5_000);
      // A view reported late (a slow request) leaves the later one.
      await store.visits.markVisited('u1', 'doc', 'part-1', 3_000);
      await store.visits.markVisited('u1', 'doc', 'decision', 4_000);
      await store.visits.markVisited('u2', 'doc', 'part-1', 9_000);
      await store.visits.markVisited('u1', 'other', 'part-1', 9_000);
      // Epoch milliseconds of today need more than 32 bits.
      await store.visits.markVisited('u3', 'doc', 'part-1', 1_796_000_000_000);
      expect(await store.visits.list('u1', 'doc')).toEqual([
        { sectionId: 'decision', firstVisitedAt: 4_000, visitedAt: 4_000 },
        { sectionId: 'part-1', firstVisitedAt: 1_000, visitedAt: 5_000 },
      ]);
      expect(await store.visits.list('u2', 'doc')).toEqual([
        { sectionId: 'part-1', firstVisitedAt: 9_000, visitedAt: 9_000 },
      ]);
      expect(await store.visits.list('u3', 'doc')).toEqual([
        { sectionId: 'part-1', firstVisitedAt: 1_796_000_000_000, visitedAt: 1_796_000_000_000 },
      ]);
    } finally {
      await close();
    }
  });
});
