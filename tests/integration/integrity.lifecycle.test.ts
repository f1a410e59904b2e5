import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/closeCodes.js';
import type { Correction } from '../../shared/corrections.js';
import type { ImportedDocument } from '../../shared/document.js';
import { ServerEvent } from '../../shared/events.js';
import { serverEvents } from '../../shared/contract/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { AuditEntry } from '../../shared/audit.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { deriveSuggestions } from '../../server/amendments/derive.js';
import { type Cast, type Person, buildCast, call, joinedSocket } from '../support/consultation.js';
import { connectProvider, nextClose, waitForSync } from '../support/providers.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';

/**
 * The amendment lifecycle (issue 9, items 1, 5–8): one writer of records, each written with the update
 * that carries it and its audit line, credited to the user who acted; decisions that keep words apart;
 * no-op amendments; the Office's direct corrections; overlaps by form named.
 */

const DOC = 'gb-999-lifecycle-1';

function lifecycleDocument(): ImportedDocument {
  const para = (n: number, text: string): PMNode => ({
    type: 'numberedParagraph',
    attrs: { number: String(n) },
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });
  return {
    id: DOC,
    symbol: 'GB.999/LIFE/1',
    title: 'Document pour le cycle de vie',
    language: 'fr',
    sections: [
      {
        id: 'part-1',
        kind: 'part',
        label: 'I',
        title: 'Introduction',
        parentId: null,
        paragraphs: [1, 2, 3, 4, 5, 6, 7, 8],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'I. Introduction' }] },
            para(1, 'Cette question revêt une importance fondamentale pour les mandants.'),
            para(2, 'Au niveau national, les politiques de l’emploi sont coordonnées.'),
            para(3, 'Le dialogue social reste le moyen privilégié.'),
            para(4, 'Les partenaires sociaux participent au dialogue social.'),
            para(5, 'Les normes internationales du travail restent la référence.'),
            para(6, 'Le programme couvre la période biennale.'),
            para(7, 'La transition juste exige des compétences nouvelles.'),
            para(8, 'Le budget reste stable en termes réels.'),
          ],
        },
      },
    ],
  };
}

let server: TestServer;
let cast: Cast;
let dataDir: string;

beforeAll(async () => {
  server = await startTestServer({ document: lifecycleDocument() });
  dataDir = server.dataDir;
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
  // The restarted server was given the folder, so it leaves it: it is ours to remove.
  rmSync(dataDir, { recursive: true, force: true });
});

const get = <T>(path: string, who: Person = cast.office) => call<T>(server, 'GET', path, who);
const post = <T>(path: string, who: Person, body?: unknown) => call<T>(server, 'POST', path, who, body);

/** The first text of numbered paragraph `n` in a section's doc. */
function textOf(doc: Y.Doc, n: number): Y.XmlText {
  const numbered = doc
    .getXmlFragment(SECTION_FRAGMENT)
    .toArray()
    .find((node) => node instanceof Y.XmlElement && node.getAttribute('number') === String(n)) as Y.XmlElement;
  return (numbered.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

async function connect(who: Person) {
  const client = connectProvider(server.url, `${DOC}/part-1`, who.token);
  await waitForSync(client.provider);
  return client;
}

async function paragraphText(n: number): Promise<string> {
  return server.services.collab.withSectionDoc(DOC, 'part-1', (room) => textOf(room.doc, n).toString());
}

/** The plain words of paragraph `n` (without marks) as the store holds them, read from its updates. */
async function storedDoc(): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const { update } of await server.store.loadUpdates(DOC, 'part-1')) Y.applyUpdate(doc, update);
  return doc;
}

async function auditOf(id: string): Promise<AuditEntry[]> {
  return (await server.store.audit.all(DOC)).filter((e) => e.targetId === id);
}

describe('one writer of amendment records', () => {
  it('credits each typed amendment to the delegate who typed it, however close together they type', async () => {
    const france = await connect(cast.france);
    const workers = await connect(cast.workers);
    const frenchId = 'lifefrance001';
    const workersId = 'lifeworkers01';
    // The same tick: both updates reach the server together, as in the report.
    france.doc.transact(() =>
      textOf(france.doc, 4).format(0, 'Les partenaires'.length, {
        suggestionDelete: { id: frenchId, by: 'government:France', author: cast.france.user.id },
      }),
    );
    workers.doc.transact(() =>
      textOf(workers.doc, 7).insert('La transition juste'.length, ' et équitable', {
        suggestionInsert: { id: workersId, by: 'workers', author: cast.workers.user.id },
      }),
    );
    await eventually(async () => {
      expect((await auditOf(frenchId)).map((e) => [e.action, e.userId])).toEqual([
        ['amendment.created', cast.france.user.id],
      ]);
      expect((await auditOf(workersId)).map((e) => [e.action, e.userId])).toEqual([
        ['amendment.created', cast.workers.user.id],
      ]);
    });
    const [french, workersRecord] = await Promise.all([
      get<AmendmentView>(`/api/amendments/${frenchId}`),
      get<AmendmentView>(`/api/amendments/${workersId}`),
    ]);
    expect(french.body).toMatchObject({ ownerKey: 'government:France', authorName: 'Julien Moreau', type: 'delete' });
    expect(workersRecord.body).toMatchObject({ ownerKey: 'workers', authorName: 'Walter Worker', type: 'insert' });
    // Each deletes their own words: the withdrawal is theirs too.
    workers.doc.transact(() => textOf(workers.doc, 7).delete('La transition juste'.length, ' et équitable'.length));
    await eventually(async () =>
      expect((await auditOf(workersId)).map((e) => [e.action, e.userId])).toEqual([
        ['amendment.created', cast.workers.user.id],
        ['amendment.withdrawn', cast.workers.user.id],
      ]),
    );
    france.provider.destroy();
    workers.provider.destroy();
  });

  it('keeps neither the text nor the record when the record cannot be written', async () => {
    const watcher = await connect(cast.observer);
    const typist = await connect(cast.southAfrica);
    const id = 'lifefailrec01';
    const amendments = server.store.amendments;
    const create = amendments.create;
    amendments.create = () => Promise.reject(new Error('disk full'));
    try {
      const closed = nextClose(typist.provider);
      const watcherClosed = nextClose(watcher.provider);
      textOf(typist.doc, 6).insert('Le programme'.length, ' ordinaire', {
        suggestionInsert: { id, by: 'government:South Africa', author: cast.southAfrica.user.id },
      });
      // The section reloads: every connection on it is closed, so that it reconnects to what is stored.
      expect((await closed).code).toBe(CloseCode.ServerShutdown);
      await watcherClosed;
      typist.provider.destroy();
      watcher.provider.destroy();
      expect(deriveSuggestions(watcher.doc, 'part-1').has(id)).toBe(false);
    } finally {
      amendments.create = create;
    }
    expect(await server.store.amendments.get(id)).toBeNull();
    expect(deriveSuggestions(await storedDoc(), 'part-1').has(id)).toBe(false);
    expect(await paragraphText(6)).toBe('Le programme couvre la période biennale.');
    expect(await auditOf(id)).toEqual([]);
  });

  it('keeps neither the record nor the text when the text cannot be stored', async () => {
    const before = (await server.store.amendments.list(DOC)).length;
    const auditBefore = (await server.store.audit.all(DOC)).length;
    const store = server.store;
    const appendUpdate = store.appendUpdate;
    store.appendUpdate = () => Promise.reject(new Error('disk full'));
    let res: Awaited<ReturnType<typeof post>>;
    try {
      res = await post(`/api/documents/${DOC}/amendments`, cast.employers, {
        sectionId: 'part-1',
        paragraph: 6,
        op: 'replace',
        find: 'biennale',
        text: 'annuelle',
        rationale: '',
      });
    } finally {
      store.appendUpdate = appendUpdate;
    }
    expect(res.status).toBe(503);
    expect((await server.store.amendments.list(DOC)).length).toBe(before);
    expect((await server.store.audit.all(DOC)).length).toBe(auditBefore);
    expect(await paragraphText(6)).toBe('Le programme couvre la période biennale.');
    expect(
      [...deriveSuggestions(await storedDoc(), 'part-1').values()].some((s) => s.proposedText === 'annuelle'),
    ).toBe(false);
  });
});

describe('decisions keep words apart', () => {
  it('keeps the space of a proposal the Office accepts with words that lack it (the issue’s example)', async () => {
    const created = await post<AmendmentView>(`/api/documents/${DOC}/amendments`, cast.workers, {
      sectionId: 'part-1',
      paragraph: 1,
      op: 'insert',
      find: 'importance fondamentale',
      text: ' et prioritaire',
      rationale: '',
    });
    expect(created.status).toBe(201);
    const accepted = await post<AmendmentView>(`/api/amendments/${created.body.id}/accept`, cast.office, {
      text: 'et  hautement prioritaire',
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.modifiedText).toBe(' et hautement prioritaire');
    expect(await paragraphText(1)).toBe(
      'Cette question revêt une importance fondamentale et hautement prioritaire pour les mandants.',
    );
  });

  it('keeps a trailing space too, and drops the spaces the proposal did not have', async () => {
    const trailing = await post<AmendmentView>(`/api/documents/${DOC}/amendments`, cast.france, {
      sectionId: 'part-1',
      paragraph: 3,
      op: 'replace',
      find: 'Le dialogue ',
      text: 'Le dialogue tripartite ',
      rationale: '',
    });
    expect(trailing.status, JSON.stringify(trailing.body)).toBe(201);
    const accepted = await post<AmendmentView>(`/api/amendments/${trailing.body.id}/accept`, cast.office, {
      text: 'Le dialogue social tripartite',
      secondedInRoom: true,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(await paragraphText(3)).toBe('Le dialogue social tripartite social reste le moyen privilégié.');

    const bare = await post<AmendmentView>(`/api/documents/${DOC}/amendments`, cast.employers, {
      sectionId: 'part-1',
      paragraph: 8,
      op: 'replace',
      find: 'stable',
      text: 'en hausse',
      rationale: '',
    });
    expect(bare.status, JSON.stringify(bare.body)).toBe(201);
    const spaced = await post<AmendmentView>(`/api/amendments/${bare.body.id}/accept`, cast.office, {
      text: ' en   nette hausse ',
    });
    expect(spaced.body.modifiedText).toBe('en nette hausse');
    expect(await paragraphText(8)).toBe('Le budget reste en nette hausse en termes réels.');
  });
});

describe('amendments that change nothing', () => {
  it('refuses one by form with a 400 and a sentence', async () => {
    const res = await post<{ error: string; message: string }>(`/api/documents/${DOC}/amendments`, cast.workers, {
      sectionId: 'part-1',
      paragraph: 2,
      op: 'replace',
      find: 'Au niveau national',
      text: 'Au  niveau national ',
      rationale: '',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/would change nothing/);
    expect(await paragraphText(2)).toBe('Au niveau national, les politiques de l’emploi sont coordonnées.');
  });

  it('makes no record of one typed, and records it once its words differ', async () => {
    const typist = await connect(cast.employers);
    const id = 'lifenoop00001';
    const attrs = { id, by: 'employers', author: cast.employers.user.id };
    const text = textOf(typist.doc, 2);
    const at = 'Au niveau '.length;
    typist.doc.transact(() => {
      text.format(at, 'national'.length, { suggestionDelete: attrs });
      text.insert(at + 'national'.length, 'national', { suggestionInsert: attrs });
    });
    // A barrier: a later change of the same connection, recorded, means the no-op was handled before it.
    const barrier = 'lifebarrier01';
    textOf(typist.doc, 5).insert('Les normes'.length, ' fondamentales', {
      suggestionInsert: { id: barrier, by: 'employers', author: cast.employers.user.id },
    });
    await eventually(async () => expect(await server.store.amendments.get(barrier)).not.toBeNull());
    expect(await server.store.amendments.get(id)).toBeNull();
    expect(await auditOf(id)).toEqual([]);
    // The words now differ: it is an amendment.
    text.insert(at + 'national'.length * 2, ' et régional', { suggestionInsert: attrs });
    await eventually(async () =>
      expect(await server.store.amendments.get(id)).toMatchObject({
        type: 'replace',
        originalText: 'national',
        proposedText: 'national et régional',
        ownerKey: 'employers',
      }),
    );
    typist.provider.destroy();
  });
});

describe('overlaps by form', () => {
  it('answers 409 naming the amendment that already holds the words, with its id, reference and owner', async () => {
    const french = await post<AmendmentView>(`/api/documents/${DOC}/amendments`, cast.france, {
      sectionId: 'part-1',
      paragraph: 4,
      op: 'delete',
      find: 'au dialogue social',
      rationale: '',
    });
    expect(french.status, JSON.stringify(french.body)).toBe(201);
    const res = await post<{ error: string; message: string; details: unknown }>(
      `/api/documents/${DOC}/amendments`,
      cast.workers,
      { sectionId: 'part-1', paragraph: 4, op: 'replace', find: 'dialogue social', text: 'débat', rationale: '' },
    );
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('conflict');
    expect(res.body.message).toContain(`${french.body.ref}, Government of France`);
    expect(res.body.details).toEqual({
      amendmentId: french.body.id,
      ref: french.body.ref,
      ownerKey: 'government:France',
    });
  });
});

describe('the Office', () => {
  it('suggesting: its typing becomes an amendment of the Office, with a reference, decided like any other', async () => {
    const office = await connect(cast.office);
    const id = 'lifeoffice001';
    textOf(office.doc, 5).insert('Les normes internationales du travail restent'.length, ' toujours', {
      suggestionInsert: { id, by: 'secretariat', author: cast.office.user.id },
    });
    await eventually(async () =>
      expect(await server.store.amendments.get(id)).toMatchObject({
        ownerKey: 'secretariat',
        authorId: cast.office.user.id,
        status: 'proposed',
        group: null,
      }),
    );
    const record = await get<AmendmentView>(`/api/amendments/${id}`);
    expect(record.body.ref).toMatch(/^A-\d+$/);
    expect((await auditOf(id)).map((e) => [e.action, e.userId])).toEqual([['amendment.created', cast.office.user.id]]);
    const rejected = await post<AmendmentView>(`/api/amendments/${id}/reject`, cast.office);
    expect(rejected.body.status).toBe('rejected');
    office.provider.destroy();
  });

  it('editing directly: one correction per paragraph per burst, listed, audited, live, and kept over a restart', async () => {
    let now = Date.UTC(2026, 11, 6, 10, 0, 0);
    server.services.clock = { now: () => now };
    const { socket, events } = await joinedSocket(server, cast.france, DOC);
    const office = await connect(cast.office);
    const text = textOf(office.doc, 7);
    // A burst of typing: three keystrokes and a deletion, within ten seconds.
    const base = 'La transition juste exige des compétences'.length;
    text.insert(base, ' t');
    await eventually(async () => expect(await paragraphText(7)).toContain('compétences t'));
    now += 2_000;
    text.insert(base + 2, 'rès');
    now += 3_000;
    text.insert(base + 5, ' ');
    text.delete(base + 5, 1);
    await eventually(async () =>
      expect(await paragraphText(7)).toBe('La transition juste exige des compétences très nouvelles.'),
    );
    const list = await get<{ corrections: Correction[] }>(
      `/api/documents/${DOC}/corrections?section=part-1`,
      cast.france,
    );
    expect(list.status).toBe(200);
    await eventually(async () => {
      const { corrections } = (
        await get<{ corrections: Correction[] }>(`/api/documents/${DOC}/corrections`, cast.france)
      ).body;
      expect(corrections).toHaveLength(1);
      expect(corrections[0]).toMatchObject({
        sectionId: 'part-1',
        paragraph: 7,
        before: 'La transition juste exige des compétences nouvelles.',
        after: 'La transition juste exige des compétences très nouvelles.',
        byUserId: cast.office.user.id,
        byName: 'Bureau Officer',
        startedAt: Date.UTC(2026, 11, 6, 10, 0, 0),
        at: Date.UTC(2026, 11, 6, 10, 0, 5),
      });
    });
    // The burst is still open: its audit line waits for its last words.
    const corrected = async () => (await server.store.audit.all(DOC)).filter((e) => e.action === 'text.corrected');
    expect(await corrected()).toEqual([]);
    const recorded = events.find((e) => e.name === ServerEvent.CorrectionRecorded);
    expect(recorded).toBeDefined();
    // As the contract says it (shared/contract/events.ts), with no field outside it.
    expect(serverEvents[ServerEvent.CorrectionRecorded].parse(recorded?.payload)).toEqual(recorded?.payload);
    // Ten seconds after the burst began, the next keystroke closes it and starts another correction.
    now += 6_000;
    text.insert(0, '« ');
    await eventually(async () => {
      const { corrections } = (
        await get<{ corrections: Correction[] }>(`/api/documents/${DOC}/corrections`, cast.france)
      ).body;
      expect(corrections.map((c) => [c.paragraph, c.before.slice(0, 2), c.after.slice(0, 3)])).toEqual([
        [7, 'La', 'La '],
        [7, 'La', '« L'],
      ]);
    });
    const first = await corrected();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      userId: cast.office.user.id,
      role: 'secretariat',
      targetType: 'correction',
      targetRef: '7',
      at: Date.UTC(2026, 11, 6, 10, 0, 5),
      details: {
        sectionId: 'part-1',
        paragraph: 7,
        before: 'La transition juste exige des compétences nouvelles.',
        after: 'La transition juste exige des compétences très nouvelles.',
      },
    });
    office.provider.destroy();
    socket.disconnect();

    await server.stop({ keepData: true });
    server = await startTestServer({ dataDir, document: lifecycleDocument() });
    cast = await buildCastAgain();
    const after = await get<{ corrections: Correction[] }>(
      `/api/documents/${DOC}/corrections?section=part-1`,
      cast.france,
    );
    expect(after.body.corrections).toHaveLength(2);
    expect(after.body.corrections[1]?.after).toBe('« La transition juste exige des compétences très nouvelles.');
    // The second burst was still open at shutdown: the server audited it before stopping.
    const audited = (await server.store.audit.all(DOC)).filter((e) => e.action === 'text.corrected');
    expect(audited.map((e) => e.details.after)).toEqual([
      'La transition juste exige des compétences très nouvelles.',
      '« La transition juste exige des compétences très nouvelles.',
    ]);
  }, 60_000);
});

/** After a restart the users exist: sign them in again. */
async function buildCastAgain(): Promise<Cast> {
  const again: Partial<Cast> = {};
  for (const [key, person] of Object.entries(cast) as [keyof Cast, Person][]) {
    again[key] = { user: person.user, token: await server.login(person.user) };
  }
  return again as Cast;
}
