import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Amendment } from '../../shared/amendments.js';
import { CloseCode } from '../../shared/closeCodes.js';
import type { CollabRefusedPayload } from '../../shared/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs, ownerKeyOf } from '../../shared/suggestions.js';
import { InvalidServerChange } from '../../server/collab/Room.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { attrsOf, type Client, harness } from '../support/collabHarness.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-test-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;

/** Numbered paragraph 1 and its text: "Premier paragraphe du texte." */
const para1 = (doc: Y.Doc) => doc.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement;
const text1 = (doc: Y.Doc) => (para1(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;

/** An identical copy made of new items (Yjs's own clone keeps string attributes only). */
function deepCopy(el: Y.XmlElement): Y.XmlElement {
  const copy = new Y.XmlElement(el.nodeName);
  for (const [key, value] of Object.entries(el.getAttributes())) copy.setAttribute(key, value as string);
  copy.insert(
    0,
    el.toArray().map((child) => {
      if (child instanceof Y.XmlElement) return deepCopy(child);
      const text = new Y.XmlText();
      text.applyDelta((child as Y.XmlText).toDelta());
      return text;
    }),
  );
  return copy;
}


describe('integrity of the record: the collaboration guard', () => {
  let server: TestServer;
  let france: UserRecord;
  let workers: UserRecord;
  let employers: UserRecord;
  const cleanups: (() => void)[] = [];
  const h = harness(() => server, cleanups);

  beforeEach(async () => {
    server = await startTestServer();
    france = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'France' });
    workers = await buildUser(server.store, { role: 'delegate', group: 'workers' });
    employers = await buildUser(server.store, { role: 'delegate', group: 'employers' });
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  const join = (user: UserRecord) => h.join(user, ROOM);
  const barrier = h.barrier;

  const stored = async () => {
    const doc = new Y.Doc();
    for (const { update } of await server.store.loadUpdates(DOC, SECTION)) Y.applyUpdate(doc, update);
    return doc;
  };
  const records = () => server.store.amendments.list(DOC);

  async function record(owner: UserRecord, id: string, extra: Partial<Amendment> = {}): Promise<Amendment> {
    const now = Date.now();
    return server.store.amendments.create({
      id,
      documentId: DOC,
      sectionId: SECTION,
      paragraphs: [1],
      type: 'insert',
      originalText: '',
      proposedText: ' vraiment',
      authorId: owner.id,
      authorName: owner.name,
      ownerKey: ownerKeyOf(owner),
      group: owner.group,
      memberState: owner.memberState,
      rationale: '',
      status: 'proposed',
      createdAt: now,
      updatedAt: now,
      ...extra,
    });
  }

  /** Sends `change` from the liar, and checks it is refused with `code` and left no trace. */
  async function expectRefused(
    liar: Client,
    watcher: Client,
    change: (doc: Y.Doc) => void,
    code: CollabRefusedPayload['code'],
  ): Promise<CollabRefusedPayload> {
    const sectionBefore = Y.encodeStateAsUpdate(await stored());
    const recordsBefore = await records();
    const watcherBefore = Y.encodeStateAsUpdate(watcher.doc);
    let relayed = 0;
    const count = () => relayed++;
    watcher.doc.on('update', count);
    change(liar.doc);
    const close = await liar.closed;
    expect(close.code).toBe(CloseCode.UpdateRefused);
    expect(new TextEncoder().encode(close.reason).length).toBeLessThanOrEqual(120);
    await eventually(() => expect(liar.refused.map((r) => r.code)).toEqual([code]));
    const payload = liar.refused[0] as CollabRefusedPayload;
    expect(payload).toMatchObject({ documentId: DOC, sectionId: SECTION, message: close.reason });
    await barrier(watcher);
    watcher.doc.off('update', count);
    expect(relayed).toBe(0);
    expect(Y.encodeStateAsUpdate(watcher.doc)).toEqual(watcherBefore);
    expect(Y.encodeStateAsUpdate(await stored())).toEqual(sectionBefore);
    expect(await records()).toEqual(recordsBefore);
    return payload;
  }

  async function expectReadable(): Promise<void> {
    const token = await server.login(france);
    for (const path of [`/api/documents/${DOC}/sections/${SECTION}`, `/api/documents/${DOC}/content`]) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(200);
    }
  }

  it('refuses marks naming an amendment the sender does not own, here or elsewhere, decided or a sub-amendment', async () => {
    const ofEmployers = await record(employers, 'emprec000001');
    await record(workers, 'wkother00001', { sectionId: 'decision' });
    await record(workers, 'wkaccept0001', { status: 'accepted' });
    await record(workers, 'wksub0000001', { parentId: ofEmployers.id });
    const watcher = await join(employers);
    const typeWith = (id: string) => (doc: Y.Doc) =>
      text1(doc).insert(7, ' vraiment', { [SUGGEST_INSERT]: attrsOf(workers, id) });

    const taken = await expectRefused(await join(workers), watcher, typeWith(ofEmployers.id), 'ownership');
    expect(taken.params).toMatchObject({ amendmentId: ofEmployers.id, ref: ofEmployers.ref, ownerKey: 'employers' });
    expect(taken.message).toContain(ofEmployers.ref);
    for (const id of ['wkother00001', 'wkaccept0001', 'wksub0000001']) {
      await expectRefused(await join(workers), watcher, typeWith(id), 'ownership');
    }

    // A fresh id is bound to its first user's owner, for good: nobody else may take it up, even unused.
    const honest = await join(workers);
    text1(honest.doc).insert(7, ' tout', { [SUGGEST_INSERT]: attrsOf(workers, 'wkfresh00001') });
    await eventually(async () =>
      expect(await server.store.findSuggestionOwner('wkfresh00001')).toMatchObject({ ownerKey: 'workers', sectionId: SECTION }),
    );
    await barrier(watcher);
    const thief = await join(france);
    await expectRefused(
      thief,
      watcher,
      (doc) => text1(doc).insert(0, 'Hop ', { [SUGGEST_INSERT]: attrsOf(france, 'wkfresh00001') }),
      'ownership',
    );
    await expectReadable();
  });

  it('refuses content outside the schema, attributes on official text and re-created official paragraphs', async () => {
    const watcher = await join(employers);
    const mine = attrsOf(france, 'frschema0001');
    await expectRefused(
      await join(france),
      watcher,
      (doc) => text1(doc).insert(7, ' mal', { [SUGGEST_INSERT]: mine, evilmark: { x: 1 } }),
      'schema',
    );
    await expectRefused(
      await join(france),
      watcher,
      (doc) => {
        const block = new Y.XmlElement('numberedParagraph');
        block.setAttribute('suggestion', mine as unknown as string);
        const evil = new Y.XmlElement('evilNode');
        block.insert(0, [evil]);
        doc.getXmlFragment(SECTION_FRAGMENT).insert(2, [block]);
      },
      'schema',
    );
    await expectRefused(
      await join(france),
      watcher,
      (doc) => text1(doc).insert(7, ' mal', { [SUGGEST_INSERT]: { ...mine, colour: 'red' } }),
      'schema',
    );
    await expectRefused(await join(france), watcher, (doc) => text1(doc).setAttribute('hidden', 'payload'), 'items');
    await expectRefused(
      await join(france),
      watcher,
      (doc) => {
        const fragment = doc.getXmlFragment(SECTION_FRAGMENT);
        const copy = deepCopy(para1(doc));
        doc.transact(() => {
          fragment.delete(1, 1);
          fragment.insert(1, [copy]);
        });
      },
      // The same text and attributes, held by new items: a re-creation.
      'items',
    );
    await expectReadable();

    // After a restart the section is what it was before the attacks.
    const before = Y.encodeStateAsUpdate(await stored());
    const { dataDir } = server;
    await server.stop({ keepData: true });
    server = await startTestServer({ dataDir });
    expect(Y.encodeStateAsUpdate(await stored())).toEqual(before);
    await expectReadable();
  });

  it('a server change that would leave invalid content throws and stores nothing', async () => {
    const before = Y.encodeStateAsUpdate(await stored());
    await server.services.collab.withSectionDoc(DOC, SECTION, async (room) => {
      await expect(
        room.submitServerChange((doc) => {
          doc.getXmlFragment(SECTION_FRAGMENT).insert(1, [new Y.XmlElement('evilNode')]);
        }),
      ).rejects.toThrow(InvalidServerChange);
    });
    expect(Y.encodeStateAsUpdate(await stored())).toEqual(before);
    await expectReadable();
  });

  it('an amendment its own group withdrew by deleting its words comes back on undo, for that group only', async () => {
    const watcher = await join(employers);
    const author = await join(workers);
    const mark = { [SUGGEST_INSERT]: attrsOf(workers, 'wkrevive0001') };
    text1(author.doc).insert(7, ' vraiment', mark);
    await eventually(async () => expect((await server.store.amendments.get('wkrevive0001'))?.status).toBe('proposed'));
    text1(author.doc).delete(7, ' vraiment'.length);
    await eventually(async () => expect((await server.store.amendments.get('wkrevive0001'))?.status).toBe('withdrawn'));
    // Undo brings the words back under the same id.
    text1(author.doc).insert(7, ' vraiment', mark);
    await eventually(async () => expect((await server.store.amendments.get('wkrevive0001'))?.status).toBe('proposed'));
    await barrier(author);
    expect(author.refused).toEqual([]);
    await expectRefused(
      await join(france),
      watcher,
      (doc) => text1(doc).insert(0, 'Hop ', { [SUGGEST_INSERT]: attrsOf(france, 'wkrevive0001') }),
      'ownership',
    );
  });

  it('reads older invalid content without failing: the offending nodes and marks are left out', async () => {
    const doc = await stored();
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      text1(doc).insert(0, 'Mal ', { evilmark: { x: 1 } });
      doc.getXmlFragment(SECTION_FRAGMENT).insert(1, [new Y.XmlElement('evilNode')]);
    });
    await server.store.appendUpdate(DOC, SECTION, Y.encodeStateAsUpdate(doc, before));
    await expectReadable();
    const token = await server.login(france);
    const res = await fetch(`${server.url}/api/documents/${DOC}/sections/${SECTION}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { content: unknown; text: string };
    expect(JSON.stringify(body.content)).not.toMatch(/evilNode|evilmark/);
    expect(body.text).toContain('Mal Premier paragraphe');
  });

  it('two groups striking the same words at once: one is recorded, the other is told overlaps', async () => {
    const a = await join(france);
    const b = await join(workers);
    const watcher = await join(employers);
    // Both strike "paragraphe" before either sees the other's.
    Y.transact(a.doc, () => text1(a.doc).format(8, 10, { [SUGGEST_DELETE]: attrsOf(france, 'frstrike0001') }));
    Y.transact(b.doc, () => text1(b.doc).format(8, 10, { [SUGGEST_DELETE]: attrsOf(workers, 'wkstrike0001') }));
    const refusedOne = await Promise.race([a.closed.then(() => a), b.closed.then(() => b)]);
    const kept = refusedOne === a ? b : a;
    await eventually(() => expect(refusedOne.refused.map((r) => r.code)).toEqual(['overlaps']));
    const keptId = kept === a ? 'frstrike0001' : 'wkstrike0001';
    expect(refusedOne.refused[0]?.params).toMatchObject({ amendmentId: keptId, ownerKey: ownerKeyOf(kept.user) });
    await barrier(kept);
    await barrier(watcher);
    expect(kept.refused).toEqual([]);
    const delta = text1(await stored()).toDelta() as { insert: string; attributes?: Record<string, SuggestionAttrs> }[];
    const struck = delta.filter((op) => op.attributes?.[SUGGEST_DELETE]);
    expect(struck.map((op) => [op.insert, op.attributes?.[SUGGEST_DELETE]?.id])).toEqual([['paragraphe', keptId]]);
    expect(text1(watcher.doc).toDelta()).toEqual(delta);
  });
});
