import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserRecord } from '../../server/storage/Store.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { RegionalGroup } from '../../shared/regions.js';
import { newSuggestionId, SUGGEST_DELETE, SUGGEST_INSERT } from '../../shared/suggestions.js';
import { sectionBarrier } from '../support/barrier.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { AFRICA } from '../support/regions.js';
import { buildUser, eventually, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Typing on behalf of a regional group through the collaboration socket, with stock y-websocket clients
 * that write whatever marks they like: a delegate of a member State types under `region:AFRICA`, another
 * member State's delegate edits that suggestion as the group's own, and nobody writes under a key they
 * do not speak for (a State outside the region, another region, another member's State).
 */

const DOC = 'gb-999-test-1';
const SECTION = 'part-1';
const ROOM = `${DOC}/${SECTION}`;

const GRULAC: RegionalGroup = {
  code: 'GRULAC',
  nameEn: 'Group of Latin American and Caribbean Countries',
  nameFr: "Groupe des pays d'Amérique latine et des Caraïbes",
  nameEs: 'Grupo de los Países de América Latina y el Caribe',
  shortName: 'GRULAC',
  members: ['BR'],
};

let server: TestServer;
const users = {} as Record<'za' | 'ng' | 'fr' | 'workers' | 'zaOld', UserRecord>;
const tokens = {} as Record<keyof typeof users, string>;

beforeAll(async () => {
  server = await startTestServer();
  await server.store.saveRegionalGroup(AFRICA);
  await server.store.saveRegionalGroup(GRULAC);
  const specs: [keyof typeof users, Parameters<typeof buildUser>[1]][] = [
    ['za', { name: 'Thandiwe Nkosi', group: 'government', memberState: 'ZA' }],
    ['ng', { name: 'Ngozi Okafor', group: 'government', memberState: 'NG' }],
    ['fr', { name: 'Julien Moreau', group: 'government', memberState: 'FR' }],
    ['workers', { name: 'Kwame Mensah', group: 'workers' }],
    // An account as stored before States had codes: its marks carry `government:South Africa`.
    ['zaOld', { name: 'Thabo Mbeki', group: 'government', memberState: 'South Africa' }],
  ];
  for (const [key, spec] of specs) {
    users[key] = await buildUser(server.store, spec);
    tokens[key] = await server.login(users[key]);
  }
});

afterAll(async () => {
  await server.stop();
});

async function storedText(): Promise<string> {
  const doc = new Y.Doc();
  for (const { update } of await server.store.loadUpdates(DOC, SECTION)) Y.applyUpdate(doc, update);
  return doc.getXmlFragment(SECTION_FRAGMENT).toString();
}

async function connect(who: keyof typeof users) {
  const client = connectProvider(server.url, ROOM, tokens[who]);
  await waitForSync(client.provider);
  const text = client.doc
    .getXmlFragment(SECTION_FRAGMENT)
    .createTreeWalker((n) => n instanceof Y.XmlText)
    .next().value as Y.XmlText;
  return { ...client, text };
}

/** Where `words` sit in the client's first text. */
const offsetOf = (text: Y.XmlText, words: string) =>
  text
    .toString()
    .replace(/<[^>]*>/g, '')
    .indexOf(words);

/** Sends a forged change and expects the server to refuse it: closed with 4409, nothing stored. */
async function expectRefused(who: keyof typeof users, words: string, write: (text: Y.XmlText) => void) {
  const c = await connect(who);
  const closed = nextClose(c.provider);
  write(c.text);
  const close = await closed;
  expect(close.code).toBe(CloseCode.UpdateRefused);
  c.provider.destroy();
  await sectionBarrier(server, DOC, SECTION);
  expect(await storedText()).not.toContain(words);
  return close.reason;
}

describe('typing on behalf of a regional group', () => {
  const id = newSuggestionId();
  const region = { id, by: 'region:AFRICA' };

  it('a member State’s delegate types under region:AFRICA; the record is the region’s, authored by them', async () => {
    const za = await connect('za');
    za.text.insert(za.text.length, ' AFRICA-WORDS', { [SUGGEST_INSERT]: { ...region, author: users.za.id } });
    await eventually(async () => expect(await storedText()).toContain('AFRICA-WORDS'));
    await eventually(async () => {
      const record = await server.store.amendments.get(id);
      expect(record).toMatchObject({
        ownerKey: 'region:AFRICA',
        authorId: users.za.id,
        status: 'proposed',
        proposedText: expect.stringContaining('AFRICA-WORDS'),
      });
    });
    expect((await server.store.findSuggestionOwner(id))?.ownerKey).toBe('region:AFRICA');
    za.provider.destroy();
  });

  it('another member State’s delegate extends it as the group’s own, in their own name', async () => {
    const ng = await connect('ng');
    const at = offsetOf(ng.text, 'AFRICA-WORDS') + 'AFRICA-WORDS'.length;
    ng.text.insert(at, ' NIGERIA-ADDS', { [SUGGEST_INSERT]: { ...region, author: users.ng.id } });
    await eventually(async () =>
      expect((await server.store.amendments.get(id))?.proposedText).toContain('NIGERIA-ADDS'),
    );
    expect(await server.store.amendments.get(id)).toMatchObject({ ownerKey: 'region:AFRICA', authorId: users.za.id });
    ng.provider.destroy();
  });

  it('a State outside the region may not extend it, neither in its own name nor forging a member’s', async () => {
    const at = async () => {
      const probe = await connect('fr');
      const n = offsetOf(probe.text, 'NIGERIA-ADDS') + 'NIGERIA-ADDS'.length;
      probe.provider.destroy();
      return n;
    };
    const n = await at();
    await expectRefused('fr', 'FRANCE-ADDS', (text) =>
      text.insert(n, ' FRANCE-ADDS', { [SUGGEST_INSERT]: { ...region, author: users.fr.id } }),
    );
    await expectRefused('fr', 'FRANCE-FORGES', (text) =>
      text.insert(n, ' FRANCE-FORGES', { [SUGGEST_INSERT]: { ...region, author: users.ng.id } }),
    );
    // Deleting the region's words under its own key: another owner's suggestion changes.
    await expectRefused('fr', 'never-written', (text) => text.delete(n - 'NIGERIA-ADDS'.length, 'NIGERIA-ADDS'.length));
    expect(await storedText()).toContain('NIGERIA-ADDS');
  });

  it('nobody opens a suggestion under a key they do not speak for', async () => {
    const cases: [keyof typeof users, string, string][] = [
      ['fr', 'region:AFRICA', 'FR-AS-AFRICA'],
      ['za', 'region:GRULAC', 'ZA-AS-GRULAC'],
      ['za', 'government:NG', 'ZA-AS-NIGERIA'],
      ['workers', 'region:AFRICA', 'WORKERS-AS-AFRICA'],
    ];
    for (const [who, by, words] of cases) {
      await expectRefused(who, words, (text) =>
        text.insert(0, words, { [SUGGEST_INSERT]: { id: newSuggestionId(), by, author: users[who].id } }),
      );
    }
  });

  it('a member may not move the region’s id to their State, nor strike words under another member’s State', async () => {
    const za = await connect('za');
    const n = offsetOf(za.text, 'AFRICA-WORDS');
    za.provider.destroy();
    // The region's id, re-marked as South Africa's own: a take-over of the region's amendment.
    await expectRefused('za', 'ZA-TAKES', (text) =>
      text.insert(n, 'ZA-TAKES', { [SUGGEST_INSERT]: { id, by: 'government:ZA', author: users.za.id } }),
    );
    // A strike of official words in Nigeria's name, sent by South Africa.
    const before = await storedText();
    const c = await connect('za');
    const closed = nextClose(c.provider);
    c.text.format(0, 3, { [SUGGEST_DELETE]: { id: newSuggestionId(), by: 'government:NG', author: users.za.id } });
    expect((await closed).code).toBe(CloseCode.UpdateRefused);
    c.provider.destroy();
    await sectionBarrier(server, DOC, SECTION);
    expect(await storedText()).toBe(before);
  });
});

describe('marks stored before States had codes', () => {
  it('read as the State’s code: a delegate of ZA extends a government:South Africa suggestion, Nigeria may not', async () => {
    const id = newSuggestionId();
    const old = await connect('zaOld');
    old.text.insert(0, 'OLD-ZA ', { [SUGGEST_INSERT]: { id, by: 'government:South Africa', author: users.zaOld.id } });
    await eventually(async () => expect((await server.store.amendments.get(id))?.proposedText).toContain('OLD-ZA'));
    old.provider.destroy();

    const za = await connect('za');
    za.text.insert('OLD-ZA'.length, '-EXTENDED', {
      [SUGGEST_INSERT]: { id, by: 'government:South Africa', author: users.za.id },
    });
    await eventually(async () =>
      expect((await server.store.amendments.get(id))?.proposedText).toContain('OLD-ZA-EXTENDED'),
    );
    za.provider.destroy();

    await expectRefused('ng', 'NG-EXTENDS', (text) =>
      text.insert('OLD-ZA-EXTENDED'.length, 'NG-EXTENDS', {
        [SUGGEST_INSERT]: { id, by: 'government:South Africa', author: users.ng.id },
      }),
    );
  });
});
