import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { type Cast, buildCast, consultationDocument } from '../support/consultation.js';
import { type Cluster, announceClusterSkip, clusterAvailable, startCluster } from '../support/clusterApps.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { connectProvider, nextClose, typeInto, waitForSync } from '../support/providers.js';
import { replayCheck } from '../support/replayCheck.js';
import { eventually } from '../support/testServer.js';

/** One writer per section when the owner loses PostgreSQL: it stops, another takes over, nothing doubles. */

announceClusterSkip('ownership.faults.test.ts');

const DOC = 'gb-999-own-2';
const SECTION = 'part-1';
const text = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();

describe.skipIf(!clusterAvailable())(
  'the owner cut off from PostgreSQL',
  () => {
    let cluster: Cluster | null = null;
    let proxy: FaultProxy | null = null;
    const cleanups: (() => void)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) c();
      proxy?.resume();
      await cluster?.stop();
      await proxy?.close();
    });

    it('a section that fails to load leaves nothing claimed: another app takes it at once and serves it', async () => {
      cluster = await startCluster({ count: 2, document: consultationDocument(DOC) });
      const [a, b] = cluster.apps;
      if (!a || !b) throw new Error('two apps expected');
      const cast: Cast = await buildCast(b);
      // A's first read of the section's log fails, as on a dropped PostgreSQL connection: A has
      // already taken the lease by then.
      const ownership = a.store.ownership;
      const readLog = ownership.log.bind(ownership);
      let failures = 1;
      ownership.log = (...args) => {
        if (failures-- > 0) return Promise.reject(new Error('Connection terminated unexpectedly (injected)'));
        return readLog(...args);
      };
      const onA = connectProvider(a.url, `${DOC}/${SECTION}`, cast.office.token);
      cleanups.push(() => onA.provider.destroy());
      const refused = await nextClose(onA.provider, 10_000);
      expect(refused.code).toBe(CloseCode.ServerShutdown);
      onA.provider.disconnect();
      expect(failures).toBe(0);
      // The lease went back with the failed load, so B owns the section at once, without waiting for
      // a lease that A would otherwise have renewed for ever.
      expect(await b.store.ownership.holder(DOC, SECTION)).toBeNull();
      const onB = connectProvider(b.url, `${DOC}/${SECTION}`, cast.office.token);
      cleanups.push(() => onB.provider.destroy());
      await waitForSync(onB.provider);
      expect(b.services.collab.getRoom(DOC, SECTION)?.role).toBe('owner');
      expect(a.services.collab.getRoom(DOC, SECTION)).toBeUndefined();
      typeInto(onB.doc, ' SERVED-BY-B');
      await eventually(async () => {
        const rows = await b.store.ownership.log(DOC, SECTION, 0);
        expect(rows.some((r) => new TextDecoder().decode(r.update).includes('SERVED-BY-B'))).toBe(true);
      });
    });

    it('stops writing, another app takes the section within 5 s, and the cut-off commit never lands', async () => {
      const target = new URL(TEST_DATABASE_URL);
      const cut = await startFaultProxy({ host: target.hostname, port: Number(target.port || 5432) });
      proxy = cut;
      cluster = await startCluster({
        count: 2,
        document: consultationDocument(DOC),
        databaseUrl: (i, direct) => (i === 0 ? cut.url(direct) : direct),
      });
      const [a, b] = cluster.apps;
      if (!a || !b) throw new Error('two apps expected');
      const cast: Cast = await buildCast(b);
      const onA = connectProvider(a.url, `${DOC}/${SECTION}`, cast.office.token);
      cleanups.push(() => onA.provider.destroy());
      await waitForSync(onA.provider);
      const onB = connectProvider(b.url, `${DOC}/${SECTION}`, cast.office.token);
      cleanups.push(() => onB.provider.destroy());
      await waitForSync(onB.provider);
      expect(a.services.collab.getRoom(DOC, SECTION)?.role).toBe('owner');
      typeInto(onA.doc, ' BEFORE-CUT');
      await eventually(() => expect(text(onB.doc)).toContain('BEFORE-CUT'));
      const before = await b.store.ownership.head(DOC, SECTION);

      // A loses PostgreSQL; an edit typed on A now is in A's commit, waiting on the cut link.
      cut.pause();
      const cutAt = performance.now();
      typeInto(onA.doc, ' DURING-CUT');
      await eventually(() => expect(b.services.collab.getRoom(DOC, SECTION)?.role).toBe('owner'), 8000);
      const tookOverMs = performance.now() - cutAt;
      expect(tookOverMs).toBeLessThan(5000);
      const taken = await b.store.ownership.head(DOC, SECTION);
      expect(taken?.epoch).toBeGreaterThan(before?.epoch ?? 0);

      typeInto(onB.doc, ' AFTER-TAKEOVER');
      await eventually(() => expect(text(onB.doc)).toContain('AFTER-TAKEOVER'));
      // The link comes back: A's waiting commit meets a moved epoch and is fenced out; its client
      // reconnects and resends, and the new owner stores the words once.
      cut.resume();
      await eventually(() => expect(text(onB.doc)).toContain('DURING-CUT'), 15_000);
      await eventually(() => expect(text(onA.doc)).toBe(text(onB.doc)), 15_000);
      expect(a.services.collab.getRoom(DOC, SECTION)?.role).not.toBe('owner');

      const rows = await b.store.ownership.log(DOC, SECTION, 0);
      const numbered = rows.flatMap((r) => (r.headSeq === null ? [] : [r.headSeq]));
      // Numbered 1..n without a gap or a repeat: every commit advanced the head it found.
      expect(numbered).toEqual(numbered.map((_, i) => i + 1));
      const during = rows.filter((r) => new TextDecoder().decode(r.update).includes('DURING-CUT'));
      expect(during.length).toBe(1);
      await replayCheck(b.store, DOC, SECTION, [onA.doc, onB.doc]);
    });
  },
  90_000,
);
