import type { WebsocketProvider } from 'y-websocket';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import { SUGGEST_DELETE, SUGGEST_INSERT, type SuggestionAttrs, ownerKeyOf } from '../../shared/suggestions.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';
import { collabBarrier } from '../support/barrier.js';

const DOC = 'gb-999-test-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;

/** The XmlText of numbered paragraph 1: "Premier paragraphe du texte." */
function firstText(doc: Y.Doc): Y.XmlText {
  const block = doc.getXmlFragment(SECTION_FRAGMENT).get(1) as Y.XmlElement;
  return (block.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

function plain(doc: Y.Doc): string {
  const texts: string[] = [];
  const walker = doc.getXmlFragment(SECTION_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText);
  for (const node of walker)
    texts.push(
      (node as Y.XmlText)
        .toDelta()
        .map((op: { insert: string }) => op.insert)
        .join(''),
    );
  return texts.join('|');
}

const attrsOf = (user: UserRecord, id: string): SuggestionAttrs => ({ id, by: ownerKeyOf(user), author: user.id });

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The first close the server sends; the client then stops, as Concord's client does on a fatal code. */
  closed: Promise<{ code: number; reason: string }>;
}

describe('server-enforced suggestions', () => {
  let server: TestServer;
  let france: UserRecord;
  let colleague: UserRecord;
  let workers: UserRecord;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    server = await startTestServer();
    france = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'France' });
    colleague = await buildUser(server.store, { role: 'delegate', group: 'government', memberState: 'France' });
    workers = await buildUser(server.store, { role: 'delegate', group: 'workers' });
  });

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  async function join(user: UserRecord): Promise<Client> {
    const token = await server.login(user);
    const c = connectProvider(server.url, ROOM, token);
    cleanups.push(() => c.provider.destroy());
    const closed = new Promise<{ code: number; reason: string }>((resolve) => {
      c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
        if (!event || event.code < 4000) return;
        c.provider.shouldConnect = false;
        resolve({ code: event.code, reason: event.reason });
      });
    });
    await waitForSync(c.provider);
    return { ...c, closed };
  }

  const room = () => server.services.collab.getRoom(DOC, SECTION);
  const roomState = () => Y.encodeStateAsUpdate(room()?.doc ?? new Y.Doc());
  const storedRows = () => server.store.loadUpdates(DOC, SECTION);

  /** Sends a dishonest change from `liar`, and checks it left no trace anywhere. */
  async function expectRefused(
    liar: Client,
    witness: Client,
    change: (doc: Y.Doc) => void,
    reason: RegExp,
  ): Promise<void> {
    const before = roomState();
    const rows = (await storedRows()).length;
    const witnessBefore = Y.encodeStateAsUpdate(witness.doc);
    change(liar.doc);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not closed')), 5000));
    const close = await Promise.race([liar.closed, timeout]);
    expect(close.code).toBe(CloseCode.UpdateRefused);
    expect(close.reason).toMatch(reason);
    expect(new TextEncoder().encode(close.reason).length).toBeLessThanOrEqual(120);
    await collabBarrier(witness.provider);
    expect(roomState()).toEqual(before);
    expect((await storedRows()).length).toBe(rows);
    expect(Y.encodeStateAsUpdate(witness.doc)).toEqual(witnessBefore);
    // A fresh client sees exactly what the server had before.
    const fresh = await join(france);
    expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(before);
    fresh.provider.destroy();
  }

  it('refuses a delegate editing the official text, and a fresh doc then syncs and suggests cleanly', async () => {
    const liar = await join(france);
    const witness = await join(workers);
    await expectRefused(liar, witness, (doc) => firstText(doc).insert(0, 'Vraiment '), /official text/);
    expect(plain(witness.doc)).not.toContain('Vraiment');

    const again = await join(france);
    expect(plain(again.doc)).not.toContain('Vraiment');
    const attrs = attrsOf(france, 'frhonest0001');
    firstText(again.doc).insert(7, ' tout', { [SUGGEST_INSERT]: attrs });
    await eventually(() => expect(plain(witness.doc)).toContain('Premier tout paragraphe'));
    const stored = new Y.Doc();
    for (const { update } of await storedRows()) Y.applyUpdate(stored, update);
    expect(firstText(stored).toDelta()).toContainEqual({ insert: ' tout', attributes: { [SUGGEST_INSERT]: attrs } });
  });

  it("relays an honest suggestion, and refuses altering another group's amendment", async () => {
    const author = await join(workers);
    const other = await join(france);
    firstText(author.doc).format(0, 7, { [SUGGEST_DELETE]: attrsOf(workers, 'wkdelete0001') });
    firstText(author.doc).insert(28, ' révisé', { [SUGGEST_INSERT]: attrsOf(workers, 'wkinsert0001') });
    await eventually(() => expect(firstText(other.doc).toDelta()).toHaveLength(3));
    await expectRefused(other, author, (doc) => firstText(doc).delete(29, 3), /another group's amendment/);
    const retry = await join(france);
    await expectRefused(
      retry,
      author,
      (doc) => firstText(doc).format(0, 7, { [SUGGEST_DELETE]: null }),
      /another group/,
    );
  });

  it('refuses a suggestion that claims another author, and a clientID of another user', async () => {
    const liar = await join(france);
    const witness = await join(workers);
    const forged = { id: 'forged000001', by: ownerKeyOf(france), author: colleague.id };
    await expectRefused(
      liar,
      witness,
      (doc) => firstText(doc).insert(0, 'X', { [SUGGEST_INSERT]: forged }),
      /another author/,
    );

    const honest = await join(france);
    firstText(honest.doc).insert(0, 'Y', { [SUGGEST_INSERT]: attrsOf(france, 'frhonest0002') });
    await eventually(() => expect(plain(witness.doc)).toMatch(/^.*\|Y/));
    // The same clientID from someone else (here a colleague of the same group) is refused.
    const thief = await join(colleague);
    const borrowed = new Y.Doc();
    Y.applyUpdate(borrowed, Y.encodeStateAsUpdate(thief.doc));
    // Set after loading: Yjs gives a doc a new clientID when a remote update already uses its own.
    borrowed.clientID = honest.doc.clientID;
    const since = Y.encodeStateVector(borrowed);
    firstText(borrowed).insert(0, 'Z', { [SUGGEST_INSERT]: attrsOf(colleague, 'coll00000001') });
    const stolen = Y.encodeStateAsUpdate(borrowed, since);
    await expectRefused(thief, witness, (doc) => Y.applyUpdate(doc, stolen), /editing session/);
  });

  it('turns a user away after more than five refusals a minute', async () => {
    const reasons: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await join(france);
      firstText(c.doc).insert(0, `bad${i} `);
      const close = await c.closed;
      expect(close.code).toBe(CloseCode.UpdateRefused);
      reasons.push(close.reason);
      c.provider.destroy();
    }
    expect(reasons.slice(0, 5).every((r) => /official text/.test(r))).toBe(true);
    expect(reasons.slice(5).every((r) => /Too many/.test(r))).toBe(true);
    expect(plain(room()?.doc ?? new Y.Doc())).not.toContain('bad');
  });
});
