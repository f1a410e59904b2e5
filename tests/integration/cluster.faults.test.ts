import { writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import type { PostgresStore } from '../../server/storage/postgresStore.js';
import type { SectionFence, SectionLogRow } from '../../server/storage/sectionFence.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { newSuggestionId } from '../../shared/suggestions.js';
import { type TestCluster, clusterAvailable, startCluster } from '../support/cluster.js';
import { type Cast, type Person, consultationDocument } from '../support/consultation.js';
import { buildUser } from '../support/fixtures.js';
import { connectProvider, typeInto, waitForSync } from '../support/providers.js';
import { expectFencedLog, replayCheck } from '../support/replayCheck.js';
import { eventually } from '../support/testServer.js';

/**
 * Faults of REAL processes (issue 15): three `tsx server/main.ts` children on one PostgreSQL database and
 * one Redis prefix, each behind fault proxies of its own. The owner is killed, stopped, or loses its
 * PostgreSQL sessions while clients on it and on replicas keep typing; the delegate's withdrawal races the
 * Office's acceptance across processes. Every test ends with the replay check: the stored log replayed
 * through the guard accepts every row, owner numbers are unique and contiguous, every client equals it.
 */
const AVAILABLE = clusterAvailable('cluster.faults.test.ts');
const SLOW = 300_000;
/** Printed when a test fails: `CONCORD_FAULT_SEED=<seed>` replays the race's choices and the links' jitter. */
const SEED = Number(process.env.CONCORD_FAULT_SEED ?? Math.floor(Math.random() * 1_000_000));
const SECTION = 'part-1';
const DOCS = {
  kill: 'gb-999-fault-kill',
  stop: 'gb-999-fault-stop',
  terminate: 'gb-999-fault-term',
  race: 'gb-999-fault-race',
  idempotency: 'gb-999-fault-idem',
} as const;

/** mulberry32: a small seeded generator, so a failing run's choices can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sectionText = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).toString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Editor {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
}

describe.skipIf(!AVAILABLE)('faults of real processes: the owner killed, stopped, cut from PostgreSQL; races', () => {
  let cluster: TestCluster;
  let cast: Cast;
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    const users: Partial<Record<keyof Cast, UserRecord>> = {};
    cluster = await startCluster({
      faultLinks: true,
      linkRandom: seeded(SEED ^ 0x5eed),
      seed: async (store: PostgresStore) => {
        for (const id of Object.values(DOCS)) await importDocument(store, consultationDocument(id));
        users.office = await buildUser(store, { name: 'Bureau Officer', role: 'secretariat', group: null });
        users.employers = await buildUser(store, { name: 'Emma Employer', group: 'employers' });
        users.employers2 = await buildUser(store, { name: 'Eric Employer', group: 'employers' });
        users.workers = await buildUser(store, { name: 'Walter Worker', group: 'workers' });
        users.france = await buildUser(store, { name: 'Julien Moreau', group: 'government', memberState: 'France' });
        users.southAfrica = await buildUser(store, {
          name: 'Thabo Nkosi',
          group: 'government',
          memberState: 'South Africa',
        });
        users.observer = await buildUser(store, { name: 'Olga Observer', role: 'observer', group: null });
      },
    });
    const signedIn: Partial<Cast> = {};
    for (const [key, user] of Object.entries(users) as [keyof Cast, UserRecord][]) {
      signedIn[key] = { user, token: await cluster.login(0, user) };
    }
    cast = signedIn as Cast;
  }, SLOW);

  afterAll(async () => {
    await cluster?.stop();
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    // The next test starts from three healthy processes on healthy links.
    for (const p of cluster.processes) {
      p.links?.redis.delay(0);
      p.links?.postgres.delay(0);
      p.links?.redis.refuse(false);
      p.child?.kill('SIGCONT');
      if (!p.child) await cluster.restart(p.index);
    }
  }, SLOW);

  /** On failure: the seed to replay it with, and where the processes' logs were written. */
  function onFailure(name: string) {
    onTestFailed(() => {
      const file = path.join(os.tmpdir(), `concord-cluster-faults-${name}-${process.pid}.log`);
      writeFileSync(
        file,
        cluster.processes.map((p) => `----- process ${p.index} -----\n${p.logs()}`).join('\n'),
      );
      console.log(`[cluster.faults] seed ${SEED} (rerun with CONCORD_FAULT_SEED=${SEED}); process logs in ${file}`);
    });
  }

  function editorOn(i: number, who: Person, documentId: string, name: string): Editor {
    const url = cluster.processes[i]?.url;
    if (!url) throw new Error(`no process ${i}`);
    const { doc, provider } = connectProvider(url, `${documentId}/${SECTION}`, who.token);
    cleanups.push(() => provider.destroy());
    return { name, doc, provider };
  }

  /** Each editor types a word of its own every `everyMs`, connected or not; `stop` returns every word typed. */
  function keepTyping(editors: Editor[], everyMs: number) {
    const words: string[] = [];
    let n = 0;
    const timer = setInterval(() => {
      n++;
      for (const e of editors) {
        const word = `${e.name}n${n}z`;
        typeInto(e.doc, ` ${word}`);
        words.push(word);
      }
    }, everyMs);
    cleanups.push(() => clearInterval(timer));
    return {
      words,
      stop: () => {
        clearInterval(timer);
        return words;
      },
    };
  }

  async function storedText(documentId: string): Promise<string> {
    const doc = new Y.Doc();
    for (const row of await cluster.store.loadUpdates(documentId, SECTION)) Y.applyUpdate(doc, row.update);
    return sectionText(doc);
  }

  /**
   * Every word is stored, every client holds what is stored; then the log's shape (with `takenOver`, the
   * head after a take-over: nothing older committed past it) and the replay check.
   */
  async function expectConverged(
    documentId: string,
    editors: Editor[],
    words: string[],
    timeoutMs = 60_000,
    takenOver?: SectionFence,
  ) {
    await eventually(async () => {
      const stored = await storedText(documentId);
      expect(words.filter((w) => !stored.includes(w))).toEqual([]);
      for (const e of editors) expect(sectionText(e.doc), `client ${e.name}`).toBe(stored);
    }, timeoutMs);
    await expectFencedLog(cluster.store, documentId, SECTION, words, takenOver);
    await replayCheck(
      cluster.store,
      documentId,
      SECTION,
      editors.map((e) => e.doc),
    );
  }

  /** Resolves with the time at which another process than `from` holds the lease under a newer epoch. */
  async function takenOver(documentId: string, from: number, epochBefore: number, timeoutMs: number) {
    let owner: number | null = null;
    await eventually(async () => {
      owner = await cluster.ownerOf(documentId, SECTION);
      expect(owner === null || owner === from, `owner is still ${owner}`).toBe(false);
      expect((await cluster.store.ownership.head(documentId, SECTION))?.epoch).toBeGreaterThan(epochBefore);
    }, timeoutMs);
    return { at: performance.now(), owner: owner as unknown as number };
  }

  it(
    'kill -9 of the owner while clients on it and on replicas type: another owns the section within 5 s, nothing committed is lost, all converge',
    async () => {
      onFailure('kill');
      const DOC = DOCS.kill;
      const onOwner = editorOn(0, cast.office, DOC, 'kA');
      await waitForSync(onOwner.provider, 15_000);
      // The first process to open a section owns it: process 0, as the lease and its logged id say.
      expect(await cluster.ownerOf(DOC, SECTION)).toBe(0);
      const onReplica1 = editorOn(1, cast.office, DOC, 'kB');
      const onReplica2 = editorOn(2, cast.office, DOC, 'kC');
      await Promise.all([waitForSync(onReplica1.provider, 15_000), waitForSync(onReplica2.provider, 15_000)]);
      const editors = [onOwner, onReplica1, onReplica2];
      const typing = keepTyping(editors, 100);
      await eventually(async () => {
        expect((await cluster.store.ownership.head(DOC, SECTION))?.seq).toBeGreaterThan(10);
      }, 20_000);

      const head = await cluster.store.ownership.head(DOC, SECTION);
      const killedAt = performance.now();
      await cluster.kill(0, 'SIGKILL');
      // What the store had committed when the owner died: every row of it must stay, byte for byte.
      const committed = await cluster.store.ownership.log(DOC, SECTION, 0);
      const taken = await takenOver(DOC, 0, head?.epoch ?? 0, 10_000);
      expect(taken.at - killedAt, 'another process took the section').toBeLessThan(5000);

      await sleep(1000);
      const words = typing.stop();
      // The dead process's client kept its words; it gets them in once its process is back.
      await cluster.restart(0);
      await expectConverged(DOC, editors, words);
      const after = await cluster.store.ownership.log(DOC, SECTION, 0);
      const bySeq = new Map(after.map((r) => [r.seq, r] as const));
      for (const row of committed) {
        expect(bySeq.get(row.seq)?.headSeq, `row ${row.seq} lost`).toBe(row.headSeq);
        expect(Buffer.from(bySeq.get(row.seq)?.update ?? []).equals(Buffer.from(row.update))).toBe(true);
      }
    },
    SLOW,
  );

  it(
    'SIGSTOP of the owner for 8 s, then SIGCONT: another takes over meanwhile; the stopped one commits nothing stale; its clients reconnect and converge',
    async () => {
      onFailure('stop');
      const DOC = DOCS.stop;
      const onOwner = editorOn(1, cast.office, DOC, 'sA');
      await waitForSync(onOwner.provider, 15_000);
      expect(await cluster.ownerOf(DOC, SECTION)).toBe(1);
      const onReplica = editorOn(2, cast.office, DOC, 'sB');
      await waitForSync(onReplica.provider, 15_000);
      const editors = [onOwner, onReplica];
      const typing = keepTyping(editors, 80);
      await eventually(async () => {
        expect((await cluster.store.ownership.head(DOC, SECTION))?.seq).toBeGreaterThan(6);
      }, 20_000);

      const head = await cluster.store.ownership.head(DOC, SECTION);
      const stoppedAt = performance.now();
      await cluster.kill(1, 'SIGSTOP');
      const taken = await takenOver(DOC, 1, head?.epoch ?? 0, 7500);
      expect(taken.at - stoppedAt).toBeLessThan(5000);
      // The new epoch's head, and the rows stored until then: nothing may be inserted among them later.
      const newHead = await cluster.store.ownership.head(DOC, SECTION);
      const before = (await cluster.store.ownership.log(DOC, SECTION, 0)).filter(
        (r) => r.headSeq === null || r.headSeq <= (newHead?.seq ?? 0),
      );
      await sleep(Math.max(0, stoppedAt + 8000 - performance.now()));
      await cluster.kill(1, 'SIGCONT');
      // The stopped process wakes with its clients' words of the last 8 s waiting in its sockets.
      await sleep(1500);
      const words = typing.stop();
      if (!newHead || !head) throw new Error('no head');
      await expectConverged(DOC, editors, words, 60_000, newHead);
      const after = await cluster.store.ownership.log(DOC, SECTION, 0);
      expect(
        after.filter((r) => r.headSeq === null || r.headSeq <= newHead.seq).map((r) => r.seq),
        'a row was stored among those of the old epoch',
      ).toEqual(before.map((r) => r.seq));
      // The stopped owner's epoch, read on the rows: those it wrote before the stop, and not one more.
      const ofStopped = (rows: SectionLogRow[]) => rows.filter((r) => r.headEpoch === head.epoch).map((r) => r.seq);
      expect(ofStopped(before).length, 'the stopped owner wrote before its stop').toBeGreaterThan(0);
      expect(ofStopped(after), 'a row of the stopped owner’s epoch was committed after the take-over').toEqual(
        ofStopped(before),
      );
      expect(Math.max(...after.map((r) => r.headEpoch ?? 0)), 'rows of the new owner').toBe(newHead.epoch);
      // Nobody took the section again: the woken process did not win it back with its stale state.
      expect((await cluster.store.ownership.head(DOC, SECTION))?.epoch).toBe(newHead?.epoch);
      expect(await cluster.ownerOf(DOC, SECTION)).toBe(taken.owner);
    },
    SLOW,
  );

  it(
    'pg_terminate_backend of every PostgreSQL session of the owner, twice while clients type: no double commit, the section goes on, all converge',
    async () => {
      onFailure('terminate');
      const DOC = DOCS.terminate;
      const onOwner = editorOn(2, cast.office, DOC, 'tA');
      await waitForSync(onOwner.provider, 15_000);
      expect(await cluster.ownerOf(DOC, SECTION)).toBe(2);
      const onReplica = editorOn(0, cast.office, DOC, 'tB');
      await waitForSync(onReplica.provider, 15_000);
      const editors = [onOwner, onReplica];
      const typing = keepTyping(editors, 60);
      const admin = new pg.Client({ connectionString: cluster.database.url });
      await admin.connect();
      cleanups.push(() => void admin.end());
      const owner = cluster.processes[2];
      if (!owner) throw new Error('three processes expected');
      for (let round = 0; round < 2; round++) {
        await sleep(1000);
        const { rows } = await admin.query<{ terminated: boolean }>(
          'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
          [owner.pgApplicationName],
        );
        expect(rows.length, 'the owner has no PostgreSQL session to terminate').toBeGreaterThan(0);
        expect(rows.every((r) => r.terminated)).toBe(true);
      }
      await sleep(1500);
      const words = typing.stop();
      await expectConverged(DOC, editors, words);
      await cluster.waitReady(2, 30_000);
      expect(owner.child?.exitCode).toBeNull();
    },
    SLOW,
  );

  it(
    'a delegate withdraws their suggestion through one process while the Office accepts it through another: over seeded iterations with faults, no word is lost that nobody deleted',
    async () => {
      onFailure('race');
      const DOC = DOCS.race;
      const random = seeded(SEED);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const ITERATIONS = 24;
      // The owner: process 0, as the observer's client opened the section there first.
      const watcher = editorOn(0, cast.observer, DOC, 'watcher');
      await waitForSync(watcher.provider, 15_000);
      expect(await cluster.ownerOf(DOC, SECTION)).toBe(0);

      // Each iteration's delegate is one of several Workers' delegates: a refused deletion counts against
      // its user, and one user refused in every iteration would soon be over the refusal limit.
      const workers: Person[] = [];
      for (let i = 0; i < 8; i++) {
        const user = await buildUser(cluster.store, { name: `Worker ${i}`, group: 'workers' });
        workers.push({ user, token: await cluster.login(i % 3, user) });
      }
      /** Delegates' clients still open (a refused one starts afresh, so its copy is dropped). */
      const delegates: Editor[] = [];
      const paragraphOf = (doc: Y.Doc, n: number) => {
        const numbered = doc
          .getXmlFragment(SECTION_FRAGMENT)
          .toArray()
          .find((node) => node instanceof Y.XmlElement && node.getAttribute('number') === String(n)) as Y.XmlElement;
        return (numbered.get(0) as Y.XmlElement).get(0) as Y.XmlText;
      };
      const plain = (text: Y.XmlText) =>
        (text.toDelta() as { insert: string; attributes?: object }[]).map((d) => d.insert).join('');
      /**
       * The Office's client: a 503 (the owner's answer did not come back in time: a link was reset) is
       * retried with the same Idempotency-Key, as the contract says, so that the decision happens once.
       */
      const acceptWithRetries = async (through: number, amendmentId: string, key: string) => {
        const url = cluster.processes[through]?.url;
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${url}/api/amendments/${amendmentId}/accept`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${cast.office.token}`,
              'content-type': 'application/json',
              'idempotency-key': key,
            },
            body: '{}',
          });
          const text = await res.text();
          if (res.status !== 503 || attempt >= 5) {
            return { status: res.status, text, body: JSON.parse(text) as { status?: string; error?: string } };
          }
          await sleep(200);
        }
      };
      const expected = new Map<number, string>();
      for (let n = 1; n <= 8; n++) expected.set(n, plain(paragraphOf(watcher.doc, n)));
      const outcomes = { accepted: 0, withdrawn: 0 };

      for (let iteration = 0; iteration < ITERATIONS; iteration++) {
        const a = pick([0, 1, 2]);
        const b = pick([0, 1, 2].filter((i) => i !== a));
        const n = 1 + (iteration % 8);
        const word = ` mot${iteration}q`;
        const id = newSuggestionId();
        const jitter = pick([0, 30, 80]);
        for (const p of cluster.processes) p.links?.redis.delay({ minMs: 0, maxMs: jitter });
        const context = `seed ${SEED}, iteration ${iteration}: typed on ${a}, accepted on ${b}, jitter ${jitter} ms`;

        const who = workers[iteration % workers.length] as Person;
        const delegate = editorOn(a, who, DOC, `delegate${iteration}`);
        await waitForSync(delegate.provider, 15_000);
        const text = paragraphOf(delegate.doc, n);
        const at = text.length;
        text.insert(at, word, { suggestionInsert: { id, by: 'workers', author: who.user.id } });
        await eventually(async () => {
          expect((await cluster.store.amendments.get(id))?.status, context).toBe('proposed');
        }, 15_000);
        await eventually(() => expect(plain(paragraphOf(delegate.doc, n)), context).toContain(word), 15_000);

        // Some iterations lose a Redis link just as the two meet.
        if (random() < 0.3) cluster.processes[pick([0, 1, 2])]?.links?.redis.reset();
        const refused = new Promise<number>((resolve) => {
          delegate.provider.on('connection-close', (event: { code: number } | null) => {
            if (event?.code === CloseCode.UpdateRefused) {
              delegate.provider.shouldConnect = false;
              resolve(event.code);
            }
          });
        });
        const offset = Math.floor(random() * 81) - 40;
        const withdraw = sleep(Math.max(0, offset)).then(() => {
          const mine = paragraphOf(delegate.doc, n);
          const from = plain(mine).indexOf(word);
          mine.delete(from, word.length);
        });
        const accept = sleep(Math.max(0, -offset)).then(() => acceptWithRetries(b, id, `race-${SEED}-${iteration}`));
        const [, answer] = await Promise.all([withdraw, accept]);

        if (answer.status === 200) {
          outcomes.accepted++;
          expect(answer.body.status, context).toBe('accepted');
          // The delegate's deletion now deletes official words: refused, and the client starts afresh.
          // Within the owners' 10 s ask for what is missing, even if the deletion's forward was lost.
          const verdict = await Promise.race([refused, sleep(30_000).then(() => 'never refused')]);
          expect(verdict, context).toBe(CloseCode.UpdateRefused);
          delegate.provider.destroy();
          expected.set(n, `${expected.get(n)}${word}`);
        } else {
          outcomes.withdrawn++;
          expect(answer.status, `${context}: ${answer.text}`).toBe(409);
          expect(answer.body.error, context).toMatch(/^[a-z_]+$/);
          await eventually(async () => {
            expect((await cluster.store.amendments.get(id))?.status, context).toBe('withdrawn');
          }, 15_000);
          delegates.push(delegate);
        }
        const record = await cluster.store.amendments.get(id);
        expect(record?.status, context).toBe(answer.status === 200 ? 'accepted' : 'withdrawn');
        // The official text as stored and as the watcher sees it: every word nobody decided to delete.
        await eventually(async () => {
          const stored = new Y.Doc();
          for (const row of await cluster.store.loadUpdates(DOC, SECTION)) Y.applyUpdate(stored, row.update);
          for (const [p, words] of expected) {
            expect(plain(paragraphOf(stored, p)), `${context}: paragraph ${p} as stored`).toBe(words);
            expect(plain(paragraphOf(watcher.doc, p)), `${context}: paragraph ${p} as watched`).toBe(words);
          }
          const marked = (paragraphOf(stored, n).toDelta() as { attributes?: object }[]).filter(
            (d) => d.attributes && Object.keys(d.attributes).length > 0,
          );
          expect(marked, `${context}: a mark is left`).toEqual([]);
        }, 15_000);
      }
      for (const p of cluster.processes) p.links?.redis.delay(0);
      console.log(`[cluster.faults] race seed ${SEED}: ${outcomes.accepted} accepted, ${outcomes.withdrawn} withdrawn`);
      const clients = [watcher, ...delegates];
      await Promise.all(clients.map((c) => waitForSync(c.provider, 15_000)));
      await eventually(async () => {
        const stored = await storedText(DOC);
        for (const c of clients) expect(sectionText(c.doc), c.name).toBe(stored);
      }, 30_000);
      await expectFencedLog(cluster.store, DOC, SECTION);
      await replayCheck(
        cluster.store,
        DOC,
        SECTION,
        clients.map((c) => c.doc),
      );
    },
    SLOW,
  );
  it(
    'a command forwarded to the owner whose answer is lost, retried with its Idempotency-Key through another process, commits once',
    async () => {
      onFailure('idempotency');
      const DOC = DOCS.idempotency;
      const watcher = editorOn(0, cast.observer, DOC, 'watcher');
      await waitForSync(watcher.provider, 15_000);
      expect(await cluster.ownerOf(DOC, SECTION)).toBe(0);
      const path = `/api/documents/${DOC}/amendments`;
      const key = `lost-answer-across-processes-${SEED}`;
      const tabling = {
        sectionId: SECTION,
        paragraph: 4,
        op: 'insert',
        find: 'au dialogue social',
        text: ' tripartite',
        rationale: 'Une seule fois.',
      };
      const body = JSON.stringify(tabling);

      // Sent to process 1, a replica: it forwards the command to the owner. Our socket never reads the
      // answer and is closed once the effect is stored: the answer is lost on its way back.
      const replica = cluster.processes[1];
      if (!replica) throw new Error('three processes expected');
      const socket = net.connect(replica.port, '127.0.0.1');
      cleanups.push(() => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('error', reject);
      });
      socket.pause();
      socket.write(
        [
          `POST ${path} HTTP/1.1`,
          `Host: 127.0.0.1:${replica.port}`,
          `Authorization: Bearer ${cast.workers.token}`,
          'Content-Type: application/json',
          `Idempotency-Key: ${key}`,
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Connection: close',
          '',
          body,
        ].join('\r\n'),
      );
      await eventually(async () => {
        const stored = await cluster.store.idempotency.find(cast.workers.user.id, key);
        expect(stored?.status).toBe(201);
        expect(await cluster.store.amendments.list(DOC)).toHaveLength(1);
      }, 20_000);
      socket.destroy();

      // The retry goes through process 2, another replica.
      const retry = await fetch(`${cluster.processes[2]?.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${cast.workers.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
      });
      expect(retry.status, await retry.clone().text()).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const replayed = (await retry.json()) as { id: string };
      const records = await cluster.store.amendments.list(DOC);
      expect(records.map((r) => r.id)).toEqual([replayed.id]);
      const audit = await cluster.store.audit.all(DOC);
      expect(audit.filter((e) => e.targetId === replayed.id && e.action === 'amendment.created')).toHaveLength(1);
      // The text holds the tabled words once, as every client and the replay see it.
      await eventually(async () => {
        const stored = await storedText(DOC);
        // Paragraph 1's own "tripartites", and the tabled words once.
        expect(stored.split('tripartite').length - 1).toBe(2);
        expect(sectionText(watcher.doc)).toBe(stored);
      }, 15_000);
      await expectFencedLog(cluster.store, DOC, SECTION);
      await replayCheck(cluster.store, DOC, SECTION, [watcher.doc]);
    },
    SLOW,
  );
});
