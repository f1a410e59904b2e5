import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';
import { collabBarrier } from '../support/barrier.js';

const ROOM = 'gb-999-test-1/part-1';

interface UserField {
  id: string;
  name: string;
  role: string;
  group: string | null;
  memberState: string | null;
  color: string;
}

describe('presence (awareness)', () => {
  let server: TestServer;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  async function join(options: Parameters<typeof buildUser>[1]) {
    const user = await buildUser(server.store, options);
    const c = connectProvider(server.url, ROOM, await server.login(user));
    cleanups.push(() => c.provider.destroy());
    await waitForSync(c.provider);
    // As an editor does on start: a stock client's first state has clock 0, which peers ignore.
    c.provider.awareness.setLocalStateField('user', { name: 'claimed by the client' });
    return { ...c, user };
  }

  function usersSeenBy(provider: ReturnType<typeof connectProvider>['provider']): UserField[] {
    return [...provider.awareness.getStates().entries()]
      .filter(([id]) => id !== provider.awareness.clientID)
      .map(([, state]) => state.user as UserField);
  }

  it('sets identity from the session: a client cannot pose as someone else or another group', async () => {
    const fr = await join({ name: 'Julien Moreau', group: 'government', memberState: 'France' });
    const workers = await join({ name: 'Kwame Mensah', group: 'workers' });
    workers.provider.awareness.setLocalStateField('user', {
      id: fr.user.id,
      name: 'Julien Moreau',
      role: 'secretariat',
      group: 'government',
      memberState: 'France',
      color: '#000000',
    });
    workers.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 2 });
    await eventually(() => {
      const seen = usersSeenBy(fr.provider);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ id: workers.user.id, name: 'Kwame Mensah', role: 'delegate', group: 'workers' });
      expect(seen[0]?.color).not.toBe('#000000');
    });
  });

  it('refuses an awareness entry for a client id that belongs to another connection', async () => {
    const a = await join({ name: 'Alice', group: 'employers' });
    const b = await join({ name: 'Bob', group: 'workers' });
    await eventually(() => expect(usersSeenBy(b.provider).map((u) => u.name)).toEqual(['Alice']));
    // Bob's client forges a state under Alice's client id, with a newer clock.
    const { encodeAwarenessUpdate, Awareness } = await import('y-protocols/awareness');
    const forged = new Awareness(a.doc);
    forged.setLocalState({ user: { name: 'Alice' }, cursor: { anchor: 99, head: 99 }, forged: true });
    forged.meta.set(a.doc.clientID, { clock: 1_000, lastUpdated: Date.now() });
    const encoding = await import('lib0/encoding');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(forged, [a.doc.clientID]));
    b.provider.ws?.send(encoding.toUint8Array(encoder));
    forged.destroy();
    await collabBarrier(b.provider);
    const aliceAsSeenByBob = b.provider.awareness.getStates().get(a.doc.clientID);
    expect(aliceAsSeenByBob?.forged).toBeUndefined();
  });

  it('never relays an observer’s presence', async () => {
    const delegate = await join({ name: 'Delegate', group: 'workers' });
    const observer = await join({ name: 'Observer', role: 'observer', group: null });
    observer.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 3 });
    // The observer does see the delegate…
    await eventually(() => expect(usersSeenBy(observer.provider).map((u) => u.name)).toEqual(['Delegate']));
    await collabBarrier(observer.provider);
    await collabBarrier(delegate.provider);
    // …but the delegate never sees the observer.
    expect(usersSeenBy(delegate.provider)).toEqual([]);
  });

  it('removes a departed client from everyone’s presence', async () => {
    const a = await join({ name: 'Stays', group: 'workers' });
    const b = await join({ name: 'Leaves', group: 'employers' });
    await eventually(() => expect(usersSeenBy(a.provider).map((u) => u.name)).toEqual(['Leaves']));
    b.provider.destroy();
    await eventually(() => expect(usersSeenBy(a.provider)).toEqual([]));
  });
});
