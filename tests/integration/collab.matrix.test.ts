import type { WebsocketProvider } from 'y-websocket';
import { collabBarrier, sectionBarrier } from '../support/barrier.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import type { Group, Role } from '../../shared/roles.js';
import { SUGGEST_INSERT, newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

/**
 * The collaboration socket's half of the permission matrix: every role × (suggest, edit the official
 * text directly), through a stock y-websocket client, judged by what the server stored.
 */
const ROLES: { name: string; role: Role; group: Group | null; memberState?: string }[] = [
  { name: 'office', role: 'secretariat', group: null },
  { name: 'employers', role: 'delegate', group: 'employers' },
  { name: 'workers', role: 'delegate', group: 'workers' },
  { name: 'gov-fr', role: 'delegate', group: 'government', memberState: 'France' },
  { name: 'observer', role: 'observer', group: null },
];

const EXPECTED: Record<string, { suggest: boolean; direct: boolean }> = {
  office: { suggest: true, direct: true },
  employers: { suggest: true, direct: false },
  workers: { suggest: true, direct: false },
  'gov-fr': { suggest: true, direct: false },
  observer: { suggest: false, direct: false },
};

let server: TestServer;
const users = new Map<string, UserRecord>();

beforeAll(async () => {
  server = await startTestServer();
  for (const r of ROLES) {
    users.set(
      r.name,
      await buildUser(server.store, { name: r.name, role: r.role, group: r.group, memberState: r.memberState ?? null }),
    );
  }
});

afterAll(async () => {
  await server.stop();
});

/** The section's text as stored, rebuilt from the store alone. */
async function storedText(): Promise<string> {
  const doc = new Y.Doc();
  for (const { update } of await server.store.loadUpdates('gb-999-test-1', 'part-1')) Y.applyUpdate(doc, update);
  return doc.getXmlFragment('default').toString();
}

/**
 * Asserts that the store ends up holding `words`, or that it does not once the server has handled the
 * update: a sync round trip on the sender's socket while it is open (a dropped update), else the
 * section's queue drained (the socket was closed after the refusal).
 */
async function expectStored(words: string, stored: boolean | undefined, sender: WebsocketProvider): Promise<void> {
  if (stored) {
    await eventually(async () => expect(await storedText()).toContain(words));
    return;
  }
  if (sender.wsconnected) await collabBarrier(sender);
  await sectionBarrier(server, 'gb-999-test-1', 'part-1');
  expect(await storedText()).not.toContain(words);
}

describe.each(ROLES)('the collaboration socket for $name', ({ name }) => {
  it(`${EXPECTED[name]?.suggest ? 'stores' : 'drops'} a suggestion, ${EXPECTED[name]?.direct ? 'stores' : 'refuses'} a direct edit`, async () => {
    const user = users.get(name) as UserRecord;
    const token = await server.login(user);

    // A suggestion carrying the sender's own identity.
    const marker = `SUGG-${name}`;
    const a = connectProvider(server.url, 'gb-999-test-1/part-1', token);
    await waitForSync(a.provider);
    const walker = a.doc.getXmlFragment('default').createTreeWalker((n) => n instanceof Y.XmlText);
    const text = walker.next().value as Y.XmlText;
    text.insert(text.length, marker, {
      [SUGGEST_INSERT]: { id: newSuggestionId(), by: ownerKeyOf(user), author: user.id },
    });
    await expectStored(marker, EXPECTED[name]?.suggest, a.provider);
    a.provider.destroy();

    // A plain edit of the official text.
    const direct = `DIRECT-${name}`;
    const b = connectProvider(server.url, 'gb-999-test-1/part-1', token);
    await waitForSync(b.provider);
    const closed = EXPECTED[name]?.direct || name === 'observer' ? null : nextClose(b.provider);
    // At the start of the text: typed at the end it would inherit the formatting of the suggestion
    // just made there, and so join it.
    const first = b.doc
      .getXmlFragment('default')
      .createTreeWalker((n) => n instanceof Y.XmlText)
      .next().value as Y.XmlText;
    first.insert(0, direct);
    if (closed) expect((await closed).code).toBe(CloseCode.UpdateRefused);
    await expectStored(direct, EXPECTED[name]?.direct, b.provider);
    b.provider.destroy();
  });
});

describe('the collaboration socket signed out', () => {
  it('is refused before any message', async () => {
    const c = connectProvider(server.url, 'gb-999-test-1/part-1', null);
    expect((await nextClose(c.provider)).code).toBe(CloseCode.Unauthenticated);
    c.provider.destroy();
  });
});
