import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';
import { attrsOf, block, type Client, fragment, harness, textOf } from '../support/collabHarness.js';

const DOC = 'gb-999-test-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;

/** Raw Yjs content a ProseMirror binding never makes, inside a delegate's own proposed paragraph. */
describe('red team: raw Yjs content and message order', () => {
  let server: TestServer;
  let workers: UserRecord;
  let employers: UserRecord;
  let france: UserRecord;
  let office: UserRecord;
  const cleanups: (() => void)[] = [];
  const h = harness(() => server, cleanups);

  beforeEach(async () => {
    server = await startTestServer();
    workers = await buildUser(server.store, { role: 'delegate', group: 'workers' });
    employers = await buildUser(server.store, { role: 'delegate', group: 'employers' });
    france = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'France' });
    office = await buildUser(server.store, { role: 'secretariat', group: null });
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  async function expectSafe(liar: Client, watcher: Client, change: (doc: Y.Doc) => void) {
    const before = await h.snapshot(DOC, SECTION, watcher);
    let relayed = 0;
    const count = () => relayed++;
    watcher.doc.on('update', count);
    expect(await h.attempt(liar, change)).toBe('refused');
    expect([CloseCode.UpdateRefused, CloseCode.InvalidUpdate]).toContain((await liar.closed).code);
    await h.barrier(watcher);
    watcher.doc.off('update', count);
    expect(relayed).toBe(0);
    const after = await h.snapshot(DOC, SECTION, watcher);
    expect(after.section).toEqual(before.section);
    expect(after.records).toEqual(before.records);
    expect(after.audit).toBe(before.audit);
  }

  async function expectReadable() {
    const token = await server.login(france);
    for (const p of [
      `/api/documents/${DOC}/sections/${SECTION}`,
      `/api/documents/${DOC}/content`,
      `/api/documents/${DOC}/akn.xml`,
      `/api/documents/${DOC}/export.docx?changes=tracked`,
    ]) {
      const res = await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, p).toBe(200);
    }
  }

  /** A proposed paragraph 1bis of `user`, with `fill` putting whatever inside its paragraph element. */
  function ownParagraph(user: UserRecord, id: string, fill: (p: Y.XmlElement, t: Y.XmlText) => void) {
    return (doc: Y.Doc) =>
      doc.transact(() => {
        const mine = attrsOf(user, id);
        const bis = new Y.XmlElement('numberedParagraph');
        bis.setAttribute('number', '1bis');
        bis.setAttribute('suggestion', mine as unknown as string);
        const p = new Y.XmlElement('paragraph');
        const t = new Y.XmlText();
        p.insert(0, [t]);
        bis.insert(0, [p]);
        fragment(doc).insert(2, [bis]);
        t.insert(0, 'Mot.', { [SUGGEST_INSERT]: mine });
        fill(p, t);
      });
  }

  it('refuses JSON, binary, sub-documents and hooks among the children of a paragraph', async () => {
    const watcher = await h.join(employers, ROOM);
    const fills: [string, (p: Y.XmlElement, t: Y.XmlText) => void][] = [
      ['json', (p) => (p as unknown as Y.Array<unknown>).insert(1, [{ evil: true }])],
      ['binary', (p) => (p as unknown as Y.Array<unknown>).insert(1, [new Uint8Array([1, 2, 3])])],
      ['subdoc', (p) => (p as unknown as Y.Array<unknown>).insert(1, [new Y.Doc()])],
      ['hook', (p) => (p as unknown as Y.Array<unknown>).insert(1, [new Y.XmlHook('evilHook')])],
      ['map', (p) => (p as unknown as Y.Array<unknown>).insert(1, [new Y.Map()])],
      ['embed', (_p, t) => t.insertEmbed(1, { evil: true }, { [SUGGEST_INSERT]: attrsOf(workers, 'wkraw0000001') })],
      ['text attr', (_p, t) => t.setAttribute('evil', 'x')],
      ['two texts', (p) => p.insert(1, [new Y.XmlText('nu')])],
    ];
    for (const [name, fill] of fills) {
      const liar = await h.join(workers, ROOM);
      await expectSafe(
        liar,
        watcher,
        ownParagraph(workers, `wkraw${name.replace(/\W/g, '')}00001`.slice(0, 20), fill),
      ).catch((err: Error) => {
        throw new Error(`${name}: ${err.message}`);
      });
    }
    await expectReadable();
  });

  /** A proposed paragraph of the Workers whose `number` attribute is `value`. */
  const oddNumber = (id: string, value: unknown) => (doc: Y.Doc) =>
    doc.transact(() => {
      ownParagraph(workers, id, () => {})(doc);
      block(doc, 2).setAttribute('number', value as string);
    });

  // Red-team finding, fixed (denial of service of a section): a proposed paragraph whose `number` attribute is the JSON
  // object { toString: 1, length: -1 } passes the guard, then throws while the change is recorded: the
  // server closes EVERY connection of the section with 4503 ("could not be saved (the store is busy)" to
  // the sender, "The section is reloading" to the others) and reloads it. Nothing is stored, but a
  // delegate can repeat it at will and kick every editor and observer of the section, each time, with a
  // misleading message. Expected: refused with 4409 `schema` (a paragraph number is a short string),
  // the other clients untouched.
  it('a paragraph number that is an object is refused without disturbing the section’s other clients', async () => {
    const watcher = await h.join(employers, ROOM);
    let watcherClosed = 0;
    watcher.provider.on('connection-close', () => watcherClosed++);
    await expectSafe(await h.join(workers, ROOM), watcher, oddNumber('wkoddnum0001', { toString: 1, length: -1 }));
    expect(watcherClosed).toBe(0);
    await expectReadable();
  });

  it('a paragraph number of another JSON type is refused, or read back and exported without failing', async () => {
    for (const [i, value] of [123, [1, 2], {}, null, true, { $ref: 'x' }].entries()) {
      const liar = await h.join(workers, ROOM);
      await h.attempt(liar, oddNumber(`wkoddnum${String(i).padStart(4, '0')}`, value));
      liar.provider.destroy();
    }
    await expectReadable();
    const token = await server.login(france);
    for (const p of [
      'compilation.html',
      'compilation.docx',
      `export.docx?changes=clean`,
      'desk',
      'compare?from=live&to=live',
    ]) {
      const res = await fetch(`${server.url}/api/documents/${DOC}/${p}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, p).toBeLessThan(500);
    }
  });

  it('refuses suggestion attributes that are objects which cannot become strings, touching nobody else', async () => {
    const watcher = await h.join(employers, ROOM);
    let watcherClosed = 0;
    watcher.provider.on('connection-close', () => watcherClosed++);
    const evil = { toString: 1, valueOf: 1 };
    const changes: ((doc: Y.Doc) => void)[] = [
      (d) => textOf(d, 1).insert(7, ' x', { [SUGGEST_INSERT]: { ...attrsOf(workers, 'a'), id: evil } }),
      (d) => textOf(d, 1).insert(7, ' x', { [SUGGEST_INSERT]: { ...attrsOf(workers, 'wkevil000001'), by: evil } }),
      (d) => textOf(d, 1).insert(7, ' x', { [SUGGEST_INSERT]: { ...attrsOf(workers, 'wkevil000001'), author: evil } }),
      (d) => textOf(d, 1).format(8, 3, { [SUGGEST_DELETE]: { ...attrsOf(workers, 'a'), id: evil } }),
      (d) =>
        d.transact(() => {
          ownParagraph(workers, 'wkevil000002', () => {})(d);
          block(d, 2).setAttribute('suggestion', {
            ...attrsOf(workers, 'wkevil000002'),
            id: evil,
          } as unknown as string);
        }),
      (d) => textOf(d, 1).insert(7, ' x', { [SUGGEST_INSERT]: 'wk' as never }),
    ];
    for (const change of changes) await expectSafe(await h.join(workers, ROOM), watcher, change);
    expect(watcherClosed).toBe(0);
  });

  // Red-team finding, fixed (reads answer 500 for everyone, for good): a footnote inside the sender's own proposed
  // paragraph whose `marker` (or `text`) attribute is the object { toString: 1, valueOf: 1 } passes the
  // guard and is stored. From then on GET …/sections/:id, …/content, akn.xml, compilation.html and
  // export.docx all answer 500 for every role (String() of the object throws in the presenters), also
  // after a restart — the "one node takes the document down" attack of issue 9, through an attribute
  // value instead of a node type. Expected: refused with 4409 `schema` (footnote attributes are strings),
  // nothing stored; and presenters that skip what they cannot read.
  it('a footnote attribute that cannot become a string is refused and never breaks reads', async () => {
    const watcher = await h.join(employers, ROOM);
    const evil = { toString: 1, valueOf: 1 };
    for (const key of ['marker', 'text']) {
      await expectSafe(
        await h.join(workers, ROOM),
        watcher,
        ownParagraph(workers, `wkfoot${key.padEnd(6, '0')}`, (p) => {
          const fn = new Y.XmlElement('footnote');
          fn.setAttribute('marker', '1');
          fn.setAttribute('text', 'Note.');
          fn.setAttribute(key, evil as unknown as string);
          p.insert(1, [fn]);
        }),
      );
    }
    await expectReadable();
    const { dataDir } = server;
    await server.stop({ keepData: true });
    server = await startTestServer({ dataDir });
    await expectReadable();
  });

  it('refuses a sub-document or JSON at the top of the fragment', async () => {
    const watcher = await h.join(employers, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      (fragment(doc) as unknown as Y.Array<unknown>).insert(1, [new Y.Doc()]),
    );
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      (fragment(doc) as unknown as Y.Array<unknown>).insert(1, ['just a string']),
    );
    await expectReadable();
  });

  it('refuses an update whose dependencies are missing, and the later one that completes it is judged on its own', async () => {
    const watcher = await h.join(employers, ROOM);
    const liar = await h.join(workers, ROOM);
    // Built offline: first an honest suggestion, then, on top of it, a deletion of official words.
    const offline = new Y.Doc();
    offline.clientID = liar.doc.clientID;
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(liar.doc));
    const sv0 = Y.encodeStateVector(offline);
    textOf(offline, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(workers, 'wkdeps000001') });
    const sv1 = Y.encodeStateVector(offline);
    textOf(offline, 1).insert(16, ' aussi', { [SUGGEST_INSERT]: attrsOf(workers, 'wkdeps000001') });
    textOf(offline, 1).delete(0, 3);
    const honest = Y.encodeStateAsUpdate(offline, sv0);
    const forged = Y.encodeStateAsUpdate(offline, sv1);
    const before = await h.snapshot(DOC, SECTION, watcher);
    let relayed = 0;
    watcher.doc.on('update', () => relayed++);
    const ws = liar.provider.ws as unknown as { send(d: Uint8Array): void };
    const send = (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    };
    // The forged part first (its structs wait for the honest part), then the honest part.
    send(forged);
    send(honest);
    const outcome = await Promise.race([liar.closed.then(() => 'closed'), h.barrier(liar).then(() => 'open')]);
    await h.barrier(watcher);
    const stored = await h.stored(DOC, SECTION);
    expect(textOf(stored, 1).toString()).toContain('Premier');
    expect(textOf(watcher.doc, 1).toString()).toContain('Premier');
    if (outcome === 'closed') {
      expect(relayed).toBe(0);
      expect((await h.snapshot(DOC, SECTION, watcher)).section).toEqual(before.section);
    }
    await expectReadable();
  });

  it('refuses a forged update sent before the sync handshake', async () => {
    const watcher = await h.join(employers, ROOM);
    const before = await h.snapshot(DOC, SECTION, watcher);
    const base = await h.stored(DOC, SECTION);
    const token = await server.login(workers);
    const { default: WebSocket } = await import('ws');
    const attacker = new Y.Doc();
    Y.applyUpdate(attacker, Y.encodeStateAsUpdate(base));
    const sv = Y.encodeStateVector(attacker);
    textOf(attacker, 1).delete(0, 8);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(attacker, sv));
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${ROOM}?token=${token}`);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('open', () => ws.send(encoding.toUint8Array(encoder)));
    expect(await closed).toBe(CloseCode.UpdateRefused);
    await h.barrier(watcher);
    const after = await h.snapshot(DOC, SECTION, watcher);
    expect(after.section).toEqual(before.section);
    expect(after.watcher).toEqual(before.watcher);
  });

  // Red-team finding, fixed: another group can type inside the words of a pending insertion. The Workers insert "XXX"
  // between " vrai" and "ment" of the Employers' " vraiment": accepted and relayed. The Employers'
  // record is rewritten to proposedText " vrai … ment" with no audit line about it, and if the Office
  // accepts both, the official text reads "vraiXXXment": a sub-amendment of another group's words typed
  // into the text, outside the sub-amendment route and its deadline. Expected: refused with 4409
  // (`others`/`overlaps`), the Employers' record and the text unchanged.
  it('another group may not type inside the words of a pending insertion', async () => {
    const author = await h.join(employers, ROOM);
    textOf(author.doc, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(employers, 'eminside0001') });
    await eventually(async () => expect((await server.store.amendments.get('eminside0001'))?.status).toBe('proposed'));
    await h.barrier(author);
    const watcher = await h.join(france, ROOM);
    // " vrai|ment": the Workers' words inside the Employers' proposal.
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(12, 'XXX', { [SUGGEST_INSERT]: attrsOf(workers, 'wkinside0001') }),
    );
  });

  // Red-team finding, fixed (same class as above): another group can type inside words struck by a pending deletion.
  // The Workers insert "XXX" in the middle of "paragraphe" struck by the Employers: accepted; the
  // Employers' record now reads originalText "para … graphe", with no audit line for that change.
  // Expected: refused (`overlaps`/`others`), the Employers' record and the text unchanged.
  it('another group may not type inside words struck by a pending deletion', async () => {
    const author = await h.join(employers, ROOM);
    textOf(author.doc, 1).format(8, 10, { [SUGGEST_DELETE]: attrsOf(employers, 'emstrike0001') });
    await eventually(async () => expect((await server.store.amendments.get('emstrike0001'))?.status).toBe('proposed'));
    await h.barrier(author);
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(12, 'XXX', { [SUGGEST_INSERT]: attrsOf(workers, 'wkinside0002') }),
    );
  });

  it('the Office, editing directly, cannot delete a delegate’s pending words nor type under its mark', async () => {
    const author = await h.join(workers, ROOM);
    textOf(author.doc, 1).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(workers, 'wkoffdel0001') });
    await eventually(async () => expect((await server.store.amendments.get('wkoffdel0001'))?.status).toBe('proposed'));
    await h.barrier(author);
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(office, ROOM), watcher, (doc) => textOf(doc, 1).delete(7, 9));
    await expectSafe(await h.join(office, ROOM), watcher, (doc) =>
      textOf(doc, 1).insert(0, 'Hop ', { [SUGGEST_INSERT]: attrsOf(workers, 'wkoffdel0001') }),
    );
    await expectSafe(await h.join(office, ROOM), watcher, (doc) => textOf(doc, 1).insert(10, 'XXX'));
  });

  // Red-team finding, fixed (memory/storage): one delegate update may carry structs of thousands of Yjs client ids.
  // 3,000 one-character insertions of the sender's own amendment, each made under a fresh client id
  // (~500 KB, under the 1 MiB cap), are accepted: every id is bound to the user and the section's state
  // vector grows by 3,000 entries for good — each client's sync step 1/2 carries it from then on, and
  // repeating it grows it without bound (Yjs cost grows with the number of clients). Expected: a
  // connection may introduce at most a handful of client ids (a tab has one); past it, 4409/4400.
  it('refuses one update carrying thousands of fresh client ids', async () => {
    const watcher = await h.join(employers, ROOM);
    const liar = await h.join(workers, ROOM);
    const base = Y.encodeStateAsUpdate(liar.doc);
    const sv = Y.encodeStateVector(liar.doc);
    const updates: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const d = new Y.Doc();
      d.clientID = 1_000_000 + i;
      Y.applyUpdate(d, base);
      textOf(d, 1).insert(7, 'x', { [SUGGEST_INSERT]: attrsOf(workers, 'wkmanyids001') });
      updates.push(Y.encodeStateAsUpdate(d, sv));
    }
    const merged = Y.mergeUpdates(updates);
    await expectSafe(liar, watcher, () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, merged);
      (liar.provider.ws as unknown as { send(d: Uint8Array): void }).send(encoding.toUint8Array(encoder));
    });
    const stored = await h.stored(DOC, SECTION);
    expect(Y.decodeStateVector(Y.encodeStateVector(stored)).size).toBeLessThan(10);
  });

  it('attributes of a proposed paragraph stay its owner’s: another group may not re-number it', async () => {
    const author = await h.join(employers, ROOM);
    ownParagraph(employers, 'embisnum0001', () => {})(author.doc);
    await eventually(async () => expect((await server.store.amendments.get('embisnum0001'))?.status).toBe('proposed'));
    await h.barrier(author);
    const watcher = await h.join(france, ROOM);
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => block(doc, 2).setAttribute('number', '2'));
    await expectSafe(await h.join(workers, ROOM), watcher, (doc) => block(doc, 2).removeAttribute('suggestion'));
  });
});
