import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';
import { attrsOf, type Client, harness, textOf } from '../support/collabHarness.js';

const DOC = 'gb-999-test-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;

describe('red team: the amendment deadline', () => {
  let server: TestServer;
  let workers: UserRecord;
  let employers: UserRecord;
  let office: UserRecord;
  const cleanups: (() => void)[] = [];
  const h = harness(() => server, cleanups);

  beforeEach(async () => {
    server = await startTestServer();
    workers = await buildUser(server.store, { role: 'delegate', group: 'workers' });
    employers = await buildUser(server.store, { role: 'delegate', group: 'employers' });
    office = await buildUser(server.store, { role: 'secretariat', group: null });
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  const api = h.api;

  /** A round whose amendment deadline passes in a moment (sub-amendments stay open for an hour). */
  async function deadlinePasses(): Promise<void> {
    const res = await api(office, 'POST', `/api/documents/${DOC}/rounds`, {
      amendmentDeadline: Date.now() + 800,
      subAmendmentDeadline: Date.now() + 3600_000,
    });
    expect(res.status).toBe(201);
    await eventually(async () => {
      const current = await api(workers, 'GET', `/api/documents/${DOC}/rounds/current`);
      expect((current.body.round as { amendmentsOpen: boolean }).amendmentsOpen).toBe(false);
    }, 5000);
  }

  async function expectSafe(liar: Client, watcher: Client, change: (doc: Y.Doc) => void) {
    const before = await h.snapshot(DOC, SECTION, watcher);
    let relayed = 0;
    const count = () => relayed++;
    watcher.doc.on('update', count);
    expect(await h.attempt(liar, change)).toBe('refused');
    expect((await liar.closed).code).toBe(CloseCode.UpdateRefused);
    await h.barrier(watcher);
    watcher.doc.off('update', count);
    expect(relayed).toBe(0);
    const after = await h.snapshot(DOC, SECTION, watcher);
    expect(after.section).toEqual(before.section);
    expect(after.records).toEqual(before.records);
  }

  async function typed(client: Client, id: string) {
    textOf(client.doc, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(client.user, id) });
    await eventually(async () => expect((await server.store.amendments.get(id))?.status).toBe('proposed'));
    await h.barrier(client);
  }

  it('after the deadline, a new typed amendment is refused', async () => {
    await deadlinePasses();
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(7, ' neuf', { [SUGGEST_INSERT]: attrsOf(workers, 'wknewdl00001') }),
    );
  });

  // Was a finding (deadline bypass): an amendment its group withdrew by deleting its words before the
  // deadline was revived after it by typing the words back under the same id, and proposed again. Any
  // group could thus keep spare ids (type, delete) and table them late. Now refused with `deadline`.
  it('after the deadline, reviving an amendment withdrawn by deleting its words is refused', async () => {
    const author = await h.join(workers, ROOM);
    await typed(author, 'wkrevdl00001');
    textOf(author.doc, 1).delete(7, ' vraiment'.length);
    await eventually(async () => expect((await server.store.amendments.get('wkrevdl00001'))?.status).toBe('withdrawn'));
    await h.barrier(author);
    await deadlinePasses();
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(workers, 'wkrevdl00001') }),
    );
  });

  // Was a finding (deadline bypass): `POST /api/amendments/:id/undo` by the amendment's own group after
  // the amendment deadline answered 200 and the withdrawn amendment was proposed again: a group withdrew
  // early, then re-tabled late. Now 409 deadline_passed for a delegate (the Office may still undo).
  it('after the deadline, a withdrawal cannot be undone by its group to re-open the amendment', async () => {
    const author = await h.join(workers, ROOM);
    await typed(author, 'wkundodl0001');
    expect((await api(workers, 'POST', '/api/amendments/wkundodl0001/withdraw')).status).toBe(200);
    await deadlinePasses();
    const undo = await api(workers, 'POST', '/api/amendments/wkundodl0001/undo');
    expect(undo.status).toBe(409);
    expect(undo.body.error).toBe('deadline_passed');
    expect((await server.store.amendments.get('wkundodl0001'))?.status).toBe('withdrawn');
  });

  // Was a finding: after the amendment deadline a group could still grow a pending amendment into a new
  // one by typing under its old id (the deadline hook only looked at ids the section did not hold). The
  // rule now: after the deadline a delegate's typing may not change a pending amendment's words at all,
  // except deleting all of them, which withdraws it (see the tests after this one).
  it('after the deadline, a pending amendment cannot be grown into a new proposal under its old id', async () => {
    const author = await h.join(workers, ROOM);
    await typed(author, 'wkgrowdl0001');
    await deadlinePasses();
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      doc.transact(() => {
        const t = textOf(doc, 1);
        t.format(17, 19, { [SUGGEST_DELETE]: attrsOf(workers, 'wkgrowdl0001') });
        t.insert(t.length, ' Et tout autre chose.', { [SUGGEST_INSERT]: attrsOf(workers, 'wkgrowdl0001') });
      }),
    );
  });

  it('after the deadline, shrinking a pending amendment by typing is refused as well', async () => {
    const author = await h.join(workers, ROOM);
    await typed(author, 'wkshrkdl0001');
    await deadlinePasses();
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => textOf(doc, 1).delete(7, ' vrai'.length));
  });

  it("after the deadline, deleting all of a pending amendment's words still withdraws it", async () => {
    const author = await h.join(workers, ROOM);
    await typed(author, 'wkwdrwdl0001');
    await deadlinePasses();
    const late = await h.join(workers, ROOM);
    expect(await h.attempt(late, (doc) => textOf(doc, 1).delete(7, ' vraiment'.length))).toBe('accepted');
    await eventually(async () => expect((await server.store.amendments.get('wkwdrwdl0001'))?.status).toBe('withdrawn'));
  });

  it('after the deadline, the Office may still undo a withdrawal', async () => {
    const author = await h.join(workers, ROOM);
    await typed(author, 'wkoffudl0001');
    expect((await api(workers, 'POST', '/api/amendments/wkoffudl0001/withdraw')).status).toBe(200);
    await deadlinePasses();
    expect((await api(office, 'POST', '/api/amendments/wkoffudl0001/undo')).status).toBe(200);
    expect((await server.store.amendments.get('wkoffudl0001'))?.status).toBe('proposed');
  });
});
