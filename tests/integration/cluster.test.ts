import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/commands/demo.js';
import type { PostgresStore } from '../../server/storage/postgresStore.js';
import { ServerEvent } from '../../shared/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { collabBarrier } from '../support/barrier.js';
import { type TestCluster, clusterAvailable, startCluster } from '../support/cluster.js';
import { type Cast, type Person, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { buildUser } from '../support/fixtures.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { eventually } from '../support/testServer.js';

/**
 * Three REAL Concord processes (child processes, `tsx server/main.ts`) on one PostgreSQL database and
 * one Redis prefix: what `CONCORD_WORKERS=3` or three machines behind a load balancer run. Each client
 * is pinned to a process, so every assertion is about crossing processes. These hold with today's model
 * (each process checks and stores what its own clients send) and must keep holding with section owners.
 */
const DOC = 'gb-999-cluster-1';
const AVAILABLE = clusterAvailable('cluster.test.ts');
const SLOW = 420_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Events = { name: string; payload: unknown }[];

async function seedCast(store: PostgresStore): Promise<Record<keyof Cast, Person['user']>> {
  await importDocument(store, consultationDocument(DOC));
  return {
    office: await buildUser(store, { name: 'Bureau Officer', role: 'secretariat', group: null }),
    employers: await buildUser(store, { name: 'Emma Employer', group: 'employers' }),
    employers2: await buildUser(store, { name: 'Eric Employer', group: 'employers' }),
    workers: await buildUser(store, { name: 'Walter Worker', group: 'workers' }),
    france: await buildUser(store, { name: 'Julien Moreau', group: 'government', memberState: 'France' }),
    southAfrica: await buildUser(store, { name: 'Thabo Nkosi', group: 'government', memberState: 'South Africa' }),
    observer: await buildUser(store, { name: 'Olga Observer', role: 'observer', group: null }),
  };
}

/** Signs each person in through a different process: sessions are PostgreSQL's, not a process's. */
async function signIn(cluster: TestCluster, users: Record<keyof Cast, Person['user']>): Promise<Cast> {
  const cast: Partial<Cast> = {};
  let i = 0;
  for (const [key, user] of Object.entries(users) as [keyof Cast, Person['user']][]) {
    cast[key] = { user, token: await cluster.login(i++ % cluster.processes.length, user) };
  }
  return cast as Cast;
}

function at(cluster: TestCluster, i: number) {
  const process = cluster.processes[i];
  if (!process) throw new Error(`no process ${i}`);
  return process;
}

const textOf = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();

/** The section as the stored log rebuilds it, and the log's sequence numbers (one row per number). */
async function replay(store: PostgresStore, sectionId: string): Promise<{ text: string; seqs: number[] }> {
  const rows = await store.loadUpdates(DOC, sectionId);
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, row.update);
  return { text: textOf(doc), seqs: rows.map((r) => r.seq) };
}

function editorOn(cluster: TestCluster, i: number, who: Person, sectionId: string) {
  const { doc, provider } = connectProvider(at(cluster, i).url, `${DOC}/${sectionId}`, who.token);
  cleanups.push(() => provider.destroy());
  return { doc, provider };
}

async function socketOn(cluster: TestCluster, i: number, who: Person) {
  const joined = await joinedSocket(at(cluster, i), who, DOC);
  cleanups.push(() => void joined.socket.disconnect());
  return joined;
}

const eventsNamed = <T>(events: Events, name: string) =>
  events.filter((e) => e.name === name).map((e) => e.payload as T);

/** Every client holds what the stored log holds, and the log has one row per sequence number. */
async function expectConverged(cluster: TestCluster, sectionId: string, docs: Y.Doc[], timeoutMs = 30_000) {
  await eventually(async () => {
    const stored = await replay(cluster.store, sectionId);
    for (const doc of docs) expect(textOf(doc)).toBe(stored.text);
  }, timeoutMs);
  const { seqs } = await replay(cluster.store, sectionId);
  expect(new Set(seqs).size).toBe(seqs.length);
}

describe.skipIf(!AVAILABLE)('three Concord processes on one PostgreSQL and one Redis', () => {
  it(
    'start at once on an empty database: migrations run and the demo is set up once; every process serves it',
    async () => {
      const cluster = await startCluster({ env: { CONCORD_DEMO: '1' } });
      cleanups.push(() => cluster.stop());
      const setUps = cluster.processes.filter((p) => p.logs().includes('demo set up in PostgreSQL'));
      expect(setUps).toHaveLength(1);
      expect((await cluster.store.listDocuments()).map((d) => d.symbol)).toEqual(['GB.346/PFA/1']);
      expect((await cluster.store.listUsers()).map((u) => u.username).sort()).toEqual(
        DEMO_ACCOUNTS.map((a) => a.username).sort(),
      );
      const client = new pg.Client({ connectionString: cluster.database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string; n: string }>(
          'SELECT name, count(*) AS n FROM kysely_migration GROUP BY name',
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
      } finally {
        await client.end();
      }
      for (const process of cluster.processes) {
        const res = await fetch(`${process.url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'office', password: DEMO_PASSWORD }),
        });
        expect(res.status).toBe(200);
      }
    },
    SLOW,
  );

  describe('one cluster, clients pinned to processes', () => {
    let cluster: TestCluster;
    let cast: Cast;
    beforeAll(async () => {
      const seeded: { users?: Record<keyof Cast, Person['user']> } = {};
      cluster = await startCluster({
        seed: async (store) => {
          seeded.users = await seedCast(store);
        },
      });
      if (!seeded.users) throw new Error('seeding did not run');
      cast = await signIn(cluster, seeded.users);
    }, SLOW);
    afterAll(async () => {
      await cluster?.stop();
    });

    it(
      'co-editing with stock y-websocket clients on three processes converges on what is stored',
      async () => {
        const editors = [0, 1, 2].map((i) => editorOn(cluster, i, cast.office, 'part-1'));
        await Promise.all(editors.map((e) => waitForSync(e.provider, 15_000)));
        for (let round = 0; round < 3; round++) {
          for (const [i, e] of editors.entries()) typeInto(e.doc, ` P${i}-R${round}`);
        }
        await expectConverged(
          cluster,
          'part-1',
          editors.map((e) => e.doc),
        );
        const text = textOf(editors[0]?.doc ?? new Y.Doc());
        for (let round = 0; round < 3; round++) for (const i of [0, 1, 2]) expect(text).toContain(`P${i}-R${round}`);
      },
      SLOW,
    );

    it(
      'comments and amendments cross processes; group-only material reaches only its group',
      async () => {
        const officeOn0 = await socketOn(cluster, 0, cast.office);
        const workersOn1 = await socketOn(cluster, 1, cast.workers);
        const employersOn2 = await socketOn(cluster, 2, cast.employers);
        const threadIds = (events: Events) =>
          eventsNamed<{ thread: { id: string } }>(events, ServerEvent.ThreadChanged).map((t) => t.thread.id);

        const group = await call<{ id: string }>(
          at(cluster, 0),
          'POST',
          `/api/documents/${DOC}/threads`,
          cast.workers,
          {
            sectionId: 'part-1',
            paragraph: 2,
            body: 'Workers only, opened on process 0.',
            visibility: 'group',
          },
        );
        expect(group.status, JSON.stringify(group.body)).toBe(201);
        await eventually(() => expect(threadIds(workersOn1.events)).toContain(group.body.id), 10_000);
        await eventually(() => expect(threadIds(officeOn0.events)).toContain(group.body.id), 10_000);

        // An amendment tabled on process 1 reaches process 2 and process 0.
        const tabled = await call<{ id: string; ref: string }>(
          at(cluster, 1),
          'POST',
          `/api/documents/${DOC}/amendments`,
          cast.france,
          { sectionId: 'part-1', paragraph: 4, op: 'insert', find: 'au dialogue social', text: ' tripartite' },
        );
        expect(tabled.status, JSON.stringify(tabled.body)).toBe(201);
        const amendmentIds = (events: Events) =>
          eventsNamed<{ amendment: { id: string } }>(events, ServerEvent.AmendmentChanged).map((a) => a.amendment.id);
        await eventually(() => expect(amendmentIds(employersOn2.events)).toContain(tabled.body.id), 10_000);
        await eventually(() => expect(amendmentIds(officeOn0.events)).toContain(tabled.body.id), 10_000);

        // Barrier: a public thread opened on process 0 after the group-only one reaches the employers on
        // process 2; the group-only one, published before it, would have arrived first.
        const open = await call<{ id: string }>(at(cluster, 0), 'POST', `/api/documents/${DOC}/threads`, cast.france, {
          sectionId: 'part-1',
          paragraph: 3,
          body: 'For everyone, opened on process 0.',
          visibility: 'all',
        });
        expect(open.status).toBe(201);
        await eventually(() => expect(threadIds(employersOn2.events)).toContain(open.body.id), 10_000);
        expect(threadIds(employersOn2.events)).not.toContain(group.body.id);
      },
      SLOW,
    );

    it(
      'an Office decision over HTTP on one process reaches the text and the sockets of another',
      async () => {
        const reader = editorOn(cluster, 2, cast.observer, 'decision');
        await waitForSync(reader.provider, 15_000);
        const watcher = await socketOn(cluster, 2, cast.employers);
        const tabled = await call<{ id: string }>(
          at(cluster, 0),
          'POST',
          `/api/documents/${DOC}/amendments`,
          cast.workers,
          { sectionId: 'decision', paragraph: 9, op: 'insert', find: 'les orientations', text: ' CLUSTERISÉES' },
        );
        expect(tabled.status, JSON.stringify(tabled.body)).toBe(201);
        await eventually(() => expect(textOf(reader.doc)).toContain('CLUSTERISÉES'), 10_000);

        const rejected = await call(at(cluster, 1), 'POST', `/api/amendments/${tabled.body.id}/reject`, cast.office);
        expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
        await eventually(() => expect(textOf(reader.doc)).not.toContain('CLUSTERISÉES'), 10_000);
        await eventually(() => {
          const changes = eventsNamed<{ amendment: { id: string; status: string } }>(
            watcher.events,
            ServerEvent.AmendmentChanged,
          ).filter((c) => c.amendment.id === tabled.body.id);
          expect(changes.at(-1)?.amendment.status).toBe('rejected');
        }, 10_000);
        await collabBarrier(reader.provider);
        await expectConverged(cluster, 'decision', [reader.doc]);
      },
      SLOW,
    );

    it(
      'a process killed with SIGKILL comes back on its port; its clients reconnect and catch up',
      async () => {
        const onZero = editorOn(cluster, 0, cast.office, 'part-1');
        const onTwo = editorOn(cluster, 2, cast.office, 'part-1');
        await Promise.all([waitForSync(onZero.provider, 15_000), waitForSync(onTwo.provider, 15_000)]);
        await cluster.kill(2, 'SIGKILL');
        // Typed while process 2 is gone: its client must get it from the store once back.
        typeInto(onZero.doc, ' PENDANT-LA-PANNE');
        await cluster.restart(2);
        typeInto(onZero.doc, ' APRES-LE-RETOUR');
        await expectConverged(cluster, 'part-1', [onZero.doc, onTwo.doc], 60_000);
        expect(textOf(onTwo.doc)).toContain('PENDANT-LA-PANNE');
        expect(textOf(onTwo.doc)).toContain('APRES-LE-RETOUR');
      },
      SLOW,
    );
  });

  it(
    'Redis links reset (a restart, as each process sees it) and cut mid-stream, 0–500 ms of jitter: every client converges',
    async () => {
      const seeded: { users?: Record<keyof Cast, Person['user']> } = {};
      const cluster = await startCluster({
        faultLinks: true,
        seed: async (store) => {
          seeded.users = await seedCast(store);
        },
      });
      cleanups.push(() => cluster.stop());
      if (!seeded.users) throw new Error('seeding did not run');
      const cast = await signIn(cluster, seeded.users);
      const editors = [0, 1, 2].map((i) => editorOn(cluster, i, cast.office, 'part-1'));
      await Promise.all(editors.map((e) => waitForSync(e.provider, 15_000)));
      const links = cluster.processes.map((p) => {
        if (!p.links) throw new Error('fault links expected');
        return p.links;
      });
      for (const link of links) link.redis.delay({ minMs: 0, maxMs: 500 });

      const type = (round: number) => {
        for (const [i, e] of editors.entries()) typeInto(e.doc, ` J${i}-R${round}`);
      };
      type(0);
      // Process 1's Redis clients (its pub/sub subscribers among them) killed while updates are in flight.
      links[1]?.redis.reset();
      type(1);
      // Redis "restarts": every process loses every link at once and cannot reconnect for a moment.
      for (const link of links) {
        link.redis.refuse(true);
        link.redis.reset();
      }
      type(2);
      for (const link of links) link.redis.refuse(false);
      type(3);
      await expectConverged(
        cluster,
        'part-1',
        editors.map((e) => e.doc),
        90_000,
      );
      const text = textOf(editors[0]?.doc ?? new Y.Doc());
      for (let round = 0; round < 4; round++) for (const i of [0, 1, 2]) expect(text).toContain(`J${i}-R${round}`);
      for (const i of [0, 1, 2]) await cluster.waitReady(i, 30_000);
    },
    SLOW,
  );

  it(
    'what one process published while it could not reach Redis is not lost: a replica client’s words reach the owner, the owner’s reach the replica',
    async () => {
      const seeded: { users?: Record<keyof Cast, Person['user']> } = {};
      const cluster = await startCluster({
        processes: 2,
        faultLinks: true,
        seed: async (store) => {
          seeded.users = await seedCast(store);
        },
      });
      cleanups.push(() => cluster.stop());
      if (!seeded.users) throw new Error('seeding did not run');
      const cast = await signIn(cluster, seeded.users);
      // The first process to open the section owns it: process 1, then process 0 as its replica.
      const onOwner = editorOn(cluster, 1, cast.office, 'decision');
      await waitForSync(onOwner.provider, 15_000);
      const onReplica = editorOn(cluster, 0, cast.office, 'decision');
      await waitForSync(onReplica.provider, 15_000);
      const linkOf = (i: number) => {
        const links = at(cluster, i).links;
        if (!links) throw new Error('fault links expected');
        return links.redis;
      };
      const publishFailures = (i: number) => at(cluster, i).logs().split('fan-out publish failed').length - 1;

      // The replica's forward of its client's words fails: its link to Redis is down for good meanwhile.
      const before0 = publishFailures(0);
      linkOf(0).refuse(true);
      linkOf(0).reset();
      typeInto(onReplica.doc, ' FORWARD-PERDU');
      await eventually(() => expect(publishFailures(0)).toBeGreaterThan(before0), 20_000);
      linkOf(0).refuse(false);
      await expectConverged(cluster, 'decision', [onOwner.doc, onReplica.doc], 60_000);
      expect(textOf(onOwner.doc)).toContain('FORWARD-PERDU');

      // The owner stores its client's words but cannot broadcast them; the replica's own link never dropped,
      // so it sees no gap in what reaches it.
      const before1 = publishFailures(1);
      linkOf(1).refuse(true);
      linkOf(1).reset();
      typeInto(onOwner.doc, ' DIFFUSION-PERDUE');
      await eventually(() => expect(publishFailures(1)).toBeGreaterThan(before1), 20_000);
      linkOf(1).refuse(false);
      await expectConverged(cluster, 'decision', [onOwner.doc, onReplica.doc], 60_000);
      expect(textOf(onReplica.doc)).toContain('DIFFUSION-PERDUE');
    },
    SLOW,
  );
});
