import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importDocument } from '../../server/commands/importDocument.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { ownerKeyOf, SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { consultationDocument } from '../support/consultation.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';
import { attrsOf, block, type Client, fragment, harness, textOf } from '../support/collabHarness.js';

const DOC = 'gb-999-test-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;
const OTHER_DOC = 'gb-999-cons-1';

describe('red team: forged collaboration updates', () => {
  let server: TestServer;
  let france: UserRecord;
  let workers: UserRecord;
  let employers: UserRecord;
  let office: UserRecord;
  let observer: UserRecord;
  const cleanups: (() => void)[] = [];
  const h = harness(() => server, cleanups);

  beforeEach(async () => {
    server = await startTestServer();
    await importDocument(server.store, consultationDocument(OTHER_DOC));
    france = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'France' });
    workers = await buildUser(server.store, { role: 'delegate', group: 'workers' });
    employers = await buildUser(server.store, { role: 'delegate', group: 'employers' });
    office = await buildUser(server.store, { role: 'secretariat', group: null });
    observer = await buildUser(server.store, { role: 'observer', group: null });
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  const api = h.api;

  /** `change` from `liar` must be refused; the watcher, the store, the records and the audit unchanged. */
  async function expectSafe(liar: Client, watcher: Client, change: (doc: Y.Doc) => void, room = ROOM) {
    const [documentId, sectionId] = room.split('/') as [string, string];
    const before = await h.snapshot(documentId, sectionId, watcher);
    let relayed = 0;
    const count = () => relayed++;
    watcher.doc.on('update', count);
    const outcome = await h.attempt(liar, change);
    expect(outcome).toBe('refused');
    const close = await liar.closed;
    expect([CloseCode.UpdateRefused, CloseCode.InvalidUpdate]).toContain(close.code);
    await h.barrier(watcher);
    watcher.doc.off('update', count);
    expect(relayed).toBe(0);
    const after = await h.snapshot(documentId, sectionId, watcher);
    expect(after.section).toEqual(before.section);
    expect(after.records).toEqual(before.records);
    expect(after.audit).toBe(before.audit);
    expect(after.watcher).toEqual(before.watcher);
  }

  async function expectReadable(documentId = DOC, sectionId = SECTION) {
    for (const p of [`/api/documents/${documentId}/sections/${sectionId}`, `/api/documents/${documentId}/content`]) {
      expect((await api(france, 'GET', p)).status, p).toBe(200);
    }
  }

  /** Types an honest suggestion of `client` and waits for its record. */
  async function suggest(client: Client, id: string, at = 7, words = ' vraiment') {
    textOf(client.doc, 1).insert(at, words, { [SUGGEST_INSERT]: attrsOf(client.user, id) });
    await eventually(async () => expect((await server.store.amendments.get(id))?.status).toBe('proposed'));
    await h.barrier(client);
  }

  it('refuses a mark naming another group’s draft id (drafts are never in the text)', async () => {
    const draft = await api(employers, 'POST', `/api/documents/${DOC}/amendments`, {
      sectionId: SECTION,
      paragraph: 1,
      op: 'insert',
      find: 'Premier',
      text: ' grand',
      draft: true,
    });
    expect(draft.status).toBe(201);
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(workers, draft.body.id) }),
    );
    // Nor can the drafting group itself put its private draft into the shared text by typing its id.
    await expectSafe(await h.join(employers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(employers, draft.body.id) }),
    );
  });

  it('refuses re-opening by typing an amendment withdrawn through the withdraw route, by its own group too', async () => {
    const author = await h.join(employers, ROOM);
    await suggest(author, 'emwithdr0001');
    expect((await api(employers, 'POST', '/api/amendments/emwithdr0001/withdraw')).status).toBe(200);
    await h.barrier(author);
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(0, 'Hop ', { [SUGGEST_INSERT]: attrsOf(workers, 'emwithdr0001') }),
    );
    await expectSafe(await h.join(employers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(0, 'Hop ', { [SUGGEST_INSERT]: attrsOf(employers, 'emwithdr0001') }),
    );
  });

  it('refuses re-opening a rejected or accepted amendment by typing its id again (its own group)', async () => {
    const author = await h.join(workers, ROOM);
    await suggest(author, 'wkreject0001');
    expect((await api(office, 'POST', '/api/amendments/wkreject0001/reject')).status).toBe(200);
    await suggest(author, 'wkaccept0002', 0, 'Très ');
    expect((await api(office, 'POST', '/api/amendments/wkaccept0002/accept')).status).toBe(200);
    await h.barrier(author);
    const watcher = await h.join(france, ROOM);
    for (const id of ['wkreject0001', 'wkaccept0002']) {
      await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
        textOf(doc, 1).insert(7, ' encore', { [SUGGEST_INSERT]: attrsOf(workers, id) }),
      );
    }
  });

  it('refuses a mark id of the same group reused in another document', async () => {
    const author = await h.join(workers, ROOM);
    await suggest(author, 'wkcrossdoc01');
    const otherRoom = `${OTHER_DOC}/part-1`;
    const watcher = await h.join(france, otherRoom);
    await expectSafe(
      await h.join(workers, otherRoom),
      watcher,
      (doc) => textOf(doc, 1).insert(2, ' bien', { [SUGGEST_INSERT]: attrsOf(workers, 'wkcrossdoc01') }),
      otherRoom,
    );
  });

  it('refuses formatting official words as if they were a proposed insertion (they would vanish on reject)', async () => {
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).format(0, 7, { [SUGGEST_INSERT]: attrsOf(workers, 'wkrelabel001') }),
    );
  });

  it('refuses re-labelling part of another group’s insertion as one’s own, and striking it', async () => {
    const author = await h.join(employers, ROOM);
    await suggest(author, 'emlabel00001', 7, ' vraiment');
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).format(9, 4, { [SUGGEST_INSERT]: attrsOf(workers, 'wkrelabel002') }),
    );
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).format(9, 4, { [SUGGEST_DELETE]: attrsOf(workers, 'wkrelabel003') }),
    );
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).format(8, 4, { [SUGGEST_INSERT]: null }),
    );
  });

  it('refuses removing another group’s strike mark (un-striking the words)', async () => {
    const author = await h.join(employers, ROOM);
    textOf(author.doc, 1).format(8, 10, { [SUGGEST_DELETE]: attrsOf(employers, 'emstrike0001') });
    await eventually(async () => expect((await server.store.amendments.get('emstrike0001'))?.status).toBe('proposed'));
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).format(8, 10, { [SUGGEST_DELETE]: null }),
    );
  });

  it('refuses deleting another group’s proposed paragraph (27bis), and nesting into it', async () => {
    const author = await h.join(employers, ROOM);
    const mine = attrsOf(employers, 'embis0000001');
    const bis = new Y.XmlElement('numberedParagraph');
    bis.setAttribute('number', '1bis');
    bis.setAttribute('suggestion', mine as unknown as string);
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText()]);
    bis.insert(0, [p]);
    fragment(author.doc).insert(2, [bis]);
    (p.get(0) as Y.XmlText).insert(0, 'Un nouveau paragraphe.', { [SUGGEST_INSERT]: mine });
    await eventually(async () => expect((await server.store.amendments.get('embis0000001'))?.status).toBe('proposed'));
    await h.barrier(author);
    expect(author.refused).toEqual([]);
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => fragment(doc).delete(2, 1));
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      const t = (block(doc, 2).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      t.insert(3, 'très ', { [SUGGEST_INSERT]: attrsOf(workers, 'wkinbis00001') });
    });
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      block(doc, 2).setAttribute('suggestion', attrsOf(workers, 'wkinbis00002') as unknown as string),
    );
    await expectReadable();
  });

  it('refuses splitting and merging official paragraphs, and moving official words', async () => {
    const watcher = await h.join(employers, ROOM);
    // Split: the tail of paragraph 1 moves into a new paragraph element.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      doc.transact(() => {
        const t = textOf(doc, 1);
        const tail = t.toString().slice(8);
        t.delete(8, tail.length);
        const np = new Y.XmlElement('paragraph');
        const nt = new Y.XmlText();
        nt.insert(0, tail);
        np.insert(0, [nt]);
        block(doc, 1).insert(1, [np]);
      }),
    );
    // Merge: paragraph 2's block removed, paragraph 1 gets nothing (the same official words elsewhere).
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      doc.transact(() => {
        const t = textOf(doc, 1);
        t.insert(t.length, ' Deuxième paragraphe');
        fragment(doc).delete(2, 1);
      }),
    );
    // Move: official words re-typed as one's own insertion in another place.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      doc.transact(() => {
        const t = textOf(doc, 1);
        t.delete(0, 8);
        t.insert(t.length, ' Premier', { [SUGGEST_INSERT]: attrsOf(workers, 'wkmove000001') });
      }),
    );
  });

  it('refuses an empty official-looking paragraph or block (changes the official structure)', async () => {
    const watcher = await h.join(employers, ROOM);
    // A numbered paragraph without `suggestion`, whose only words are a suggestion: an empty official paragraph remains.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      const np = new Y.XmlElement('numberedParagraph');
      np.setAttribute('number', '1bis');
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, 'Mot', { [SUGGEST_INSERT]: attrsOf(workers, 'wkempty00001') });
      p.insert(0, [t]);
      np.insert(0, [p]);
      fragment(doc).insert(2, [np]);
    });
    // An empty paragraph element inside an official numbered paragraph.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      block(doc, 1).insert(1, [new Y.XmlElement('paragraph')]),
    );
    // A new footnote (an inline node can carry no suggestion mark): it would be official at once.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      const fn = new Y.XmlElement('footnote');
      fn.setAttribute('marker', '9');
      fn.setAttribute('text', 'Note ajoutée.');
      textOf(doc, 1).insertEmbed(7, fn);
    });
    // A heading in the fragment.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      const hd = new Y.XmlElement('heading');
      hd.setAttribute('level', 2 as unknown as string);
      fragment(doc).insert(3, [hd]);
    });
  });

  it('refuses a nested block inside a paragraph and attributes on official elements', async () => {
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      const inner = new Y.XmlElement('numberedParagraph');
      inner.setAttribute('suggestion', attrsOf(workers, 'wknest000001') as unknown as string);
      (block(doc, 1).get(0) as Y.XmlElement).insert(1, [inner]);
    });
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => block(doc, 1).setAttribute('number', '99'));
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      (block(doc, 1).get(0) as Y.XmlElement).setAttribute('x', 'y'),
    );
    await expectReadable();
  });

  it('refuses deleting or re-writing an official footnote', async () => {
    const watcher = await h.join(employers, ROOM);
    const footnote = (doc: Y.Doc) => (block(doc, 2).get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      expect(footnote(doc).nodeName).toBe('footnote');
      (block(doc, 2).get(0) as Y.XmlElement).delete(1, 1);
    });
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => footnote(doc).setAttribute('text', 'Voir ailleurs.'));
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => footnote(doc).setAttribute('marker', '7'));
  });

  it('one State cannot extend or strike with another State’s amendment, and nobody votes for their own', async () => {
    const southAfrica = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'South Africa' });
    const author = await h.join(france, ROOM);
    await suggest(author, 'frstate00001');
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(southAfrica, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(16, ' aussi', { [SUGGEST_INSERT]: attrsOf(southAfrica, 'frstate00001') }),
    );
    await expectSafe(await h.join(southAfrica, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(16, ' aussi', { [SUGGEST_INSERT]: { ...attrsOf(southAfrica, 'frstate00001'), by: 'government:France' } }),
    );
    const before = await server.store.amendments.get('frstate00001');
    for (const action of ['support', 'oppose', 'cosponsor']) {
      expect((await api(france, 'POST', `/api/amendments/frstate00001/${action}`)).status, action).toBe(403);
    }
    expect((await server.store.amendments.get('frstate00001'))?.votes).toEqual(before?.votes);
    expect((await server.store.amendments.get('frstate00001'))?.cosponsors).toEqual(before?.cosponsors);
  });

  it('refuses an over-long amendment id in a mark', async () => {
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(7, ' x', { [SUGGEST_INSERT]: attrsOf(workers, 'a'.repeat(200_000)) }),
    );
  });

  // Red-team finding, fixed (storage, low): the `number` attribute of a proposed paragraph (27bis) is not bounded nor
  // checked against any form: a delegate stores 600 KB of arbitrary data in it per message (just under
  // the 1 MiB frame cap), again and again, with no quota; it is relayed to every client and kept in the
  // record's paragraph and in every export. It may also be "2", posing as the official paragraph 2.
  // Expected: a short label of the form `<n>bis|ter…` (e.g. ≤ 16 characters), else `schema`.
  it('refuses a proposed paragraph whose number is huge', async () => {
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => {
      const mine = attrsOf(workers, 'wkhuge000001');
      const bis = new Y.XmlElement('numberedParagraph');
      bis.setAttribute('number', 'x'.repeat(600_000));
      bis.setAttribute('suggestion', mine as unknown as string);
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, 'Mot.', { [SUGGEST_INSERT]: mine });
      p.insert(0, [t]);
      bis.insert(0, [p]);
      fragment(doc).insert(2, [bis]);
    });
  });

  // Red-team finding, fixed (storage, low): a typed suggestion of 900,000 characters in one message was
  // accepted, stored, relayed to every client and copied into the record (and every export). Typed
  // proposals are now capped per paragraph (100,000 characters: a long pasted passage still fits).
  it('refuses a typed proposal far larger than the form route allows', async () => {
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(7, ` ${'a'.repeat(900_000)}`, { [SUGGEST_INSERT]: attrsOf(workers, 'wkbigtext001') }),
    );
  });

  it('an observer’s updates are never applied, stored or relayed', async () => {
    const watcher = await h.join(employers, ROOM);
    const before = await h.snapshot(DOC, SECTION, watcher);
    const spy = await h.join(observer, ROOM);
    let relayed = 0;
    watcher.doc.on('update', () => relayed++);
    textOf(spy.doc, 1).insert(0, 'Espion ');
    textOf(spy.doc, 1).insert(0, 'Hop ', { [SUGGEST_INSERT]: attrsOf(observer, 'obsupd000001') });
    await Promise.race([spy.closed, h.barrier(spy)]);
    await h.barrier(watcher);
    expect(relayed).toBe(0);
    const after = await h.snapshot(DOC, SECTION, watcher);
    expect(after.section).toEqual(before.section);
    expect(after.records).toEqual(before.records);
  });

  it('an Office decision cannot be undone by a delegate reconnecting with a stale copy edited offline', async () => {
    const author = await h.join(workers, ROOM);
    await suggest(author, 'wkstale00001');
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(author.doc));
    author.provider.destroy();
    expect((await api(office, 'POST', '/api/amendments/wkstale00001/accept')).status).toBe(200);
    // Offline, the Workers extend their (now accepted) amendment and strike official words.
    textOf(offline, 1).insert(7, ' et encore', { [SUGGEST_INSERT]: attrsOf(workers, 'wkstale00001') });
    const watcher = await h.join(france, ROOM);
    const before = await h.snapshot(DOC, SECTION, watcher);
    let relayed = 0;
    watcher.doc.on('update', () => relayed++);
    const back = await h.join(workers, ROOM, offline).catch(() => null);
    if (back) await Promise.race([back.closed, h.barrier(back)]);
    await h.barrier(watcher);
    expect(relayed).toBe(0);
    const after = await h.snapshot(DOC, SECTION, watcher);
    expect(after.section).toEqual(before.section);
    expect(after.records).toEqual(before.records);
  });

  it('two connections of one user: the guard judges each against the live state', async () => {
    const a = await h.join(workers, ROOM);
    const b = await h.join(workers, ROOM);
    await suggest(a, 'wktwo0000001');
    const watcher = await h.join(employers, ROOM);
    // b has seen a's insertion; now b deletes official words in the same transaction as extending it.
    await expectSafe(b, watcher, (doc) =>
      doc.transact(() => {
        textOf(doc, 1).insert(16, ' plus', { [SUGGEST_INSERT]: attrsOf(workers, 'wktwo0000001') });
        textOf(doc, 1).delete(0, 3);
      }),
    );
    expect(ownerKeyOf(workers)).toBe('workers');
  });
});
