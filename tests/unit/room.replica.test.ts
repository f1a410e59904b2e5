import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from '../../server/collab/Room.js';
import { Refusals } from '../../server/collab/refusals.js';
import { LocalFanOut } from '../../server/fanout/FanOut.js';
import type { SectionFence } from '../../server/storage/sectionFence.js';
import type { Store } from '../../server/storage/Store.js';
import { storeEngines } from '../support/storeEngines.js';

/**
 * A replica catching up from the store (a gap in the owner's broadcasts): the rows carry the epoch of
 * the owner that wrote them, so a row of a newer epoch tells the replica at once that its owner changed.
 */

const [D, S] = ['doc', 'part-1'];

describe.each(storeEngines())('a replica room reading the log on $engine', ({ open }) => {
  let store: Store;
  let close: () => Promise<void>;
  const rooms: Room[] = [];
  beforeEach(async () => {
    ({ store, close } = await open());
  });
  afterEach(async () => {
    for (const r of rooms.splice(0)) r.destroy();
    await close();
  });

  /** The owner's writer: a document of its own whose every change is appended at the owner's fence. */
  function owner(fence: SectionFence) {
    const doc = new Y.Doc();
    let at = fence;
    return {
      doc,
      async type(text: string) {
        const before = Y.encodeStateVector(doc);
        doc.getText('t').insert(doc.getText('t').length, text);
        at = await store.ownership.append(D, S, at, Y.encodeStateAsUpdate(doc, before));
      },
      get fence() {
        return at;
      },
    };
  }

  async function take(processId: string): Promise<SectionFence> {
    const taken = await store.ownership.takeOver(D, S, processId, 60_000);
    if (!taken.ok) throw new Error(`${processId} could not take the section`);
    return taken.fence;
  }

  async function replicaOf(ownerProcess: string) {
    const broken: Room[] = [];
    const errors: unknown[] = [];
    const room = new Room(D, S, store, {
      role: { kind: 'replica', processId: 'R', owner: ownerProcess },
      fanOut: new LocalFanOut(),
      onBroken: (r) => broken.push(r),
      presenceFlushMs: 50,
      compactAfterUpdates: 1000,
      refusals: new Refusals(),
      onError: (err) => errors.push(err),
    });
    rooms.push(room);
    await room.load();
    return { room, broken, errors };
  }

  it('applies what its owner stored meanwhile, and stays', async () => {
    const a = owner(await take('A'));
    await a.type('one ');
    const { room, broken } = await replicaOf('A');
    expect(room.doc.getText('t').toString()).toBe('one ');
    await a.type('two ');
    await room.askForMissing();
    expect(room.doc.getText('t').toString()).toBe('one two ');
    expect(room.broken).toBe(false);
    expect(broken).toEqual([]);
  });

  it('steps down on a row of a newer epoch: another process owns the section; that row is not applied', async () => {
    const a = owner(await take('A'));
    await a.type('one ');
    const { room, broken, errors } = await replicaOf('A');
    // A's lease lapses; B takes the section over (epoch 2) and writes before the replica hears of it.
    await store.ownership.release(D, S, 'A');
    const b = owner(await take('B'));
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    expect(b.fence.epoch).toBe(a.fence.epoch + 1);
    await b.type('three ');
    await room.askForMissing();
    expect(room.broken).toBe(true);
    expect(broken).toEqual([room]);
    expect(String(errors[0])).toContain('its owner changed');
    expect(room.doc.getText('t').toString()).toBe('one ');
  });
});
