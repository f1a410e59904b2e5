import { afterEach, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { type Cast, buildCast, call, consultationDocument } from '../support/consultation.js';
import {
  type Cluster,
  type ClusterApp,
  announceClusterSkip,
  clusterAvailable,
  startCluster,
} from '../support/clusterApps.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { replayCheck } from '../support/replayCheck.js';
import { eventually } from '../support/testServer.js';

/**
 * One writer per section across processes: apps in this test process on one PostgreSQL database and
 * one Redis prefix. The first app to load a section owns it; the others are replicas that forward.
 */

announceClusterSkip('ownership.cluster.test.ts');

const DOC = 'gb-999-own-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;

const text = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();

describe.skipIf(!clusterAvailable())(
  'one writer per section',
  () => {
    let cluster: Cluster;
    let cast: Cast;
    const cleanups: (() => void)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) c();
      await cluster?.stop();
    });

    async function start(count: number): Promise<ClusterApp[]> {
      cluster = await startCluster({ count, document: consultationDocument(DOC) });
      cast = await buildCast(cluster.apps[0] as ClusterApp);
      return cluster.apps;
    }

    function client(app: ClusterApp, token: string): { doc: Y.Doc; provider: WebsocketProvider } {
      const c = connectProvider(app.url, ROOM, token);
      cleanups.push(() => c.provider.destroy());
      return c;
    }

    function closedWith(provider: WebsocketProvider): Promise<{ code: number; reason: string }> {
      return new Promise((resolve) => {
        provider.on('connection-close', (event: { code: number; reason: string } | null) => {
          if (!event || event.code < 4000) return;
          provider.shouldConnect = false;
          resolve({ code: event.code, reason: event.reason });
        });
      });
    }

    const roleOn = (app: ClusterApp) => app.services.collab.getRoom(DOC, SECTION)?.role ?? null;

    it('clients on different apps co-edit one section: the first app owns it, the other forwards; all converge', async () => {
      const [a, b, c] = await start(3);
      if (!a || !b || !c) throw new Error('three apps expected');
      const onA = client(a, cast.office.token);
      await waitForSync(onA.provider);
      const onB = client(b, cast.office.token);
      const onC = client(c, cast.office.token);
      await Promise.all([waitForSync(onB.provider), waitForSync(onC.provider)]);
      expect([roleOn(a), roleOn(b), roleOn(c)]).toEqual(['owner', 'replica', 'replica']);

      typeInto(onA.doc, ' FROM-A');
      typeInto(onB.doc, ' FROM-B');
      typeInto(onC.doc, ' FROM-C');
      for (const { doc } of [onA, onB, onC]) {
        await eventually(() => {
          for (const word of ['FROM-A', 'FROM-B', 'FROM-C']) expect(text(doc)).toContain(word);
        });
      }
      await eventually(() => expect(text(onB.doc)).toBe(text(onA.doc)));
      await eventually(() => expect(text(onC.doc)).toBe(text(onA.doc)));
      await replayCheck(a.store, DOC, SECTION, [onA.doc, onB.doc, onC.doc]);
    });

    it('a forged update entering through a replica is refused with the guard’s code and sentence; a watcher gets nothing', async () => {
      const [a, b] = await start(2);
      if (!a || !b) throw new Error('two apps expected');
      const watcher = client(a, cast.office.token);
      await waitForSync(watcher.provider);
      expect(roleOn(a)).toBe('owner');
      const liar = client(b, cast.workers.token);
      await waitForSync(liar.provider);
      expect(roleOn(b)).toBe('replica');

      // The same forgery straight on the owner, for the code and sentence a local client gets.
      const direct = client(a, cast.employers.token);
      await waitForSync(direct.provider);
      const directClosed = closedWith(direct.provider);
      typeInto(direct.doc, ' PLAIN-EDIT-OF-THE-OFFICIAL-TEXT');
      const expected = await directClosed;

      const liarClosed = closedWith(liar.provider);
      typeInto(liar.doc, ' FORGED-THROUGH-B');
      expect(await liarClosed).toEqual(expected);

      // Nothing reached the watcher: a later edit of the Office does, and nothing forged came before it.
      typeInto(watcher.doc, ' AFTER');
      const secondWatcher = client(b, cast.office.token);
      await waitForSync(secondWatcher.provider);
      await eventually(() => expect(text(secondWatcher.doc)).toContain('AFTER'));
      expect(text(secondWatcher.doc)).not.toContain('FORGED');
      expect(text(watcher.doc)).not.toContain('FORGED');
      expect(expected.code).not.toBe(CloseCode.ServerShutdown);
      await replayCheck(a.store, DOC, SECTION, [watcher.doc, secondWatcher.doc]);
    });

    it('commands sent to a replica over HTTP are run by the owner: tabled and accepted, seen by clients of both', async () => {
      const [a, b] = await start(2);
      if (!a || !b) throw new Error('two apps expected');
      const decision = `${DOC}/decision`;
      const onA = connectProvider(a.url, decision, cast.office.token);
      cleanups.push(() => onA.provider.destroy());
      await waitForSync(onA.provider);
      const onB = connectProvider(b.url, decision, cast.workers.token);
      cleanups.push(() => onB.provider.destroy());
      await waitForSync(onB.provider);
      expect(b.services.collab.getRoom(DOC, 'decision')?.role).toBe('replica');

      const tabled = await call<{ id: string; ref: string }>(
        b,
        'POST',
        `/api/documents/${DOC}/amendments`,
        cast.workers,
        {
          sectionId: 'decision',
          paragraph: 9,
          op: 'insert',
          find: 'les orientations',
          text: ' fournies',
          rationale: 'Plus clair.',
        },
      );
      expect(tabled.status, tabled.text).toBe(201);
      expect(tabled.body.ref).toBe('A-1');
      const accepted = await call<{ status: string }>(
        b,
        'POST',
        `/api/amendments/${tabled.body.id}/accept`,
        cast.office,
      );
      expect(accepted.status, accepted.text).toBe(200);
      expect(accepted.body.status).toBe('accepted');
      const textOf = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();
      for (const doc of [onA.doc, onB.doc]) await eventually(() => expect(textOf(doc)).toContain('fournies'));
      await eventually(() => expect(textOf(onB.doc)).toBe(textOf(onA.doc)));
      // One record, written once, by the owner.
      expect((await a.store.amendments.list(DOC)).map((x) => x.ref)).toEqual(['A-1']);
      await replayCheck(a.store, DOC, 'decision', [onA.doc, onB.doc]);
    });

    it('presence crosses processes: a client on the replica sees the owner’s client, named by the server', async () => {
      const [a, b] = await start(2);
      if (!a || !b) throw new Error('two apps expected');
      const onA = client(a, cast.workers.token);
      await waitForSync(onA.provider);
      const onB = client(b, cast.employers.token);
      await waitForSync(onB.provider);
      expect(roleOn(b)).toBe('replica');
      onA.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
      onB.provider.awareness.setLocalStateField('cursor', { anchor: 2, head: 2 });
      const seenBy = (provider: WebsocketProvider) =>
        [...provider.awareness.getStates().entries()]
          .filter(([id]) => id !== provider.awareness.clientID)
          .map(([, state]) => (state.user as { id?: string } | undefined)?.id);
      await eventually(() => expect(seenBy(onB.provider)).toEqual([cast.workers.user.id]));
      await eventually(() => expect(seenBy(onA.provider)).toEqual([cast.employers.user.id]));
    });

    it('a forward delivered twice stores one row', async () => {
      const [a, b] = await start(2);
      if (!a || !b) throw new Error('two apps expected');
      const onA = client(a, cast.office.token);
      await waitForSync(onA.provider);
      const onB = client(b, cast.office.token);
      await waitForSync(onB.provider);
      const before = (await a.store.ownership.log(DOC, SECTION, 0)).length;

      // Capture the forward B sends, and send it again as Redis might after a retry.
      const fanOut = b.services.collab as unknown as {
        options: { fanOut: { publish: (r: string, m: unknown) => void } };
      };
      const publish = fanOut.options.fanOut.publish.bind(fanOut.options.fanOut);
      fanOut.options.fanOut.publish = (room, message) => {
        publish(room, message);
        if ((message as { kind: string }).kind === 'forward') publish(room, message);
      };
      typeInto(onB.doc, ' ONCE');
      await eventually(() => expect(text(onA.doc)).toContain('ONCE'));
      // A later edit from A is stored after any duplicate would have been: then count.
      typeInto(onA.doc, ' THEN');
      await eventually(() => expect(text(onB.doc)).toContain('THEN'));
      const rows = await a.store.ownership.log(DOC, SECTION, 0);
      expect(rows.length - before).toBe(2);
      await replayCheck(a.store, DOC, SECTION, [onA.doc, onB.doc]);
    });

    it('when the owner app stops, another takes the section within 5 s; nothing committed is lost', async () => {
      const [a, b] = await start(2);
      if (!a || !b) throw new Error('two apps expected');
      const onA = client(a, cast.office.token);
      await waitForSync(onA.provider);
      const onB = client(b, cast.office.token);
      await waitForSync(onB.provider);
      typeInto(onB.doc, ' BEFORE-STOP');
      await eventually(() => expect(text(onA.doc)).toContain('BEFORE-STOP'));
      const head = await a.store.ownership.head(DOC, SECTION);

      onA.provider.destroy();
      const stoppedAt = performance.now();
      await a.stop();
      await eventually(async () => {
        expect(roleOn(b)).toBe('owner');
      }, 5000);
      expect(performance.now() - stoppedAt).toBeLessThan(5000);
      const after = await b.store.ownership.head(DOC, SECTION);
      expect(after?.epoch).toBeGreaterThan(head?.epoch ?? 0);

      await waitForSync(onB.provider);
      typeInto(onB.doc, ' AFTER-TAKEOVER');
      const late = client(b, cast.office.token);
      await waitForSync(late.provider);
      await eventually(() => expect(text(late.doc)).toContain('AFTER-TAKEOVER'));
      expect(text(late.doc)).toContain('BEFORE-STOP');
      await eventually(() => expect(text(onB.doc)).toBe(text(late.doc)));
      await replayCheck(b.store, DOC, SECTION, [onB.doc, late.doc]);
    });
    // Several apps, each with its own pools and Redis links, on a machine shared with other test runs.
  },
  60_000,
);
