import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Amendment } from '../../shared/amendments.js';
import type { NewAmendment, Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

function record(id: string, overrides: Partial<Amendment> = {}): NewAmendment {
  return {
    id,
    documentId: 'doc-1',
    sectionId: 'part-1',
    paragraphs: [27],
    type: 'insert',
    originalText: '',
    proposedText: ' et durable',
    authorId: 'u-fr',
    authorName: 'Julien Moreau',
    ownerKey: 'government:France',
    group: 'government',
    memberState: 'France',
    rationale: '',
    status: 'proposed',
    createdAt: 1000,
    updatedAt: 1000,
    ...overrides,
  };
}

describe.each(storeEngines())('amendment store on $engine', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ({ store, close } = await open());
  });

  afterEach(async () => {
    await close();
  });

  it('gives each document its own references, with the first history entry', async () => {
    const a = await store.amendments.create(record('aaaaaaaa1'));
    const b = await store.amendments.create(record('aaaaaaaa2'));
    const other = await store.amendments.create(record('aaaaaaaa3', { documentId: 'doc-2' }));
    expect([a.ref, b.ref, other.ref]).toEqual(['A-1', 'A-2', 'A-1']);
    expect(a.history).toEqual([{ status: 'proposed', byUserId: 'u-fr', byName: 'Julien Moreau', at: 1000 }]);
    await expect(store.amendments.create(record('aaaaaaaa1'))).rejects.toThrow();
    // A failed creation does not use up a reference.
    expect((await store.amendments.create(record('aaaaaaaa4'))).ref).toBe('A-3');
  });

  it('filters by section, paragraph, group and status', async () => {
    await store.amendments.create(record('bbbbbbbb1', { paragraphs: [3, 4] }));
    await store.amendments.create(
      record('bbbbbbbb2', { ownerKey: 'employers', group: 'employers', memberState: null, sectionId: 'decision' }),
    );
    await store.amendments.create(
      record('bbbbbbbb3', { ownerKey: 'secretariat', group: null, memberState: null, paragraphs: [34] }),
    );
    const ids = async (filter: Parameters<typeof store.amendments.list>[1]) =>
      (await store.amendments.list('doc-1', filter)).map((a) => a.id);
    expect(await ids({})).toEqual(['bbbbbbbb1', 'bbbbbbbb2', 'bbbbbbbb3']);
    expect(await ids({ paragraph: 4 })).toEqual(['bbbbbbbb1']);
    expect(await ids({ paragraph: 3 })).toEqual(['bbbbbbbb1']);
    expect(await ids({ sectionId: 'decision' })).toEqual(['bbbbbbbb2']);
    expect(await ids({ group: 'government' })).toEqual(['bbbbbbbb1']);
    expect(await ids({ group: 'secretariat' })).toEqual(['bbbbbbbb3']);
    await store.amendments.setStatus('bbbbbbbb2', { status: 'withdrawn', byUserId: 'u-e', byName: 'E', at: 2000 });
    expect(await ids({ status: 'proposed' })).toEqual(['bbbbbbbb1', 'bbbbbbbb3']);
  });

  it('keeps one vote per owner, replaced or withdrawn, and records status changes with history', async () => {
    await store.amendments.create(record('cccccccc1'));
    await store.amendments.setVote('cccccccc1', {
      ownerKey: 'employers',
      stance: 'support',
      byUserId: 'e1',
      byName: 'E1',
      at: 1100,
    });
    await store.amendments.setVote('cccccccc1', {
      ownerKey: 'workers',
      stance: 'oppose',
      byUserId: 'w1',
      byName: 'W1',
      at: 1200,
    });
    let a = await store.amendments.setVote('cccccccc1', {
      ownerKey: 'employers',
      stance: 'oppose',
      byUserId: 'e2',
      byName: 'E2',
      at: 1300,
    });
    expect(a?.votes.map((v) => [v.ownerKey, v.stance, v.byName])).toEqual([
      ['workers', 'oppose', 'W1'],
      ['employers', 'oppose', 'E2'],
    ]);
    a = await store.amendments.setVote('cccccccc1', {
      ownerKey: 'workers',
      stance: null,
      byUserId: 'w1',
      byName: 'W1',
      at: 1400,
    });
    expect(a?.votes.map((v) => v.ownerKey)).toEqual(['employers']);
    a = await store.amendments.setStatus('cccccccc1', {
      status: 'accepted',
      byUserId: 'o',
      byName: 'Office',
      at: 1500,
    });
    expect(a?.status).toBe('accepted');
    expect(a?.updatedAt).toBe(1500);
    expect(a?.history.map((h) => h.status)).toEqual(['proposed', 'accepted']);
    expect(
      await store.amendments.setStatus('nope00000', { status: 'accepted', byUserId: 'o', byName: 'O', at: 1 }),
    ).toBeNull();
    expect(
      await store.amendments.setVote('nope00000', {
        ownerKey: 'x',
        stance: 'support',
        byUserId: 'o',
        byName: 'O',
        at: 1,
      }),
    ).toBeNull();
  });

  it('updates content and rationale', async () => {
    await store.amendments.create(record('dddddddd1'));
    const a = await store.amendments.updateContent(
      'dddddddd1',
      { sectionId: 'part-1', paragraphs: [27, 28], type: 'replace', originalText: 'x', proposedText: 'y' },
      1600,
    );
    expect(a).toMatchObject({
      paragraphs: [27, 28],
      type: 'replace',
      originalText: 'x',
      proposedText: 'y',
      updatedAt: 1600,
    });
    expect((await store.amendments.updateRationale('dddddddd1', 'Parce que.', 1700))?.rationale).toBe('Parce que.');
    expect(await store.amendments.updateRationale('nope00000', 'x', 1)).toBeNull();
  });

  it('answers an update of content from the record it was given exactly as a fresh reading would', async () => {
    await store.amendments.create(record('dddddddd2'));
    await store.amendments.setVote('dddddddd2', {
      ownerKey: 'workers',
      stance: 'support',
      byUserId: 'w',
      byName: 'W',
      at: 1200,
    });
    const known = await store.amendments.get('dddddddd2');
    if (!known) throw new Error('created above');
    const content = {
      sectionId: 'part-2',
      paragraphs: [31],
      type: 'insert' as const,
      originalText: '',
      proposedText: 'z',
    };
    const answered = await store.amendments.updateContent('dddddddd2', content, 1800, known);
    expect(answered).toEqual(await store.amendments.get('dddddddd2'));
    expect(answered).toMatchObject({ ...content, updatedAt: 1800 });
    // Changing the answer must not change the record it was given.
    answered?.paragraphs.push(99);
    expect(known.paragraphs).not.toContain(99);
    expect(await store.amendments.updateContent('nope00000', content, 1900, known)).toBeNull();
  });
});
