import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SectionContentResponse } from '../../shared/api.js';
import type { ImportedDocument } from '../../shared/document.js';
import { ClientEvent, ServerEvent } from '../../shared/events.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { sectionBarrier } from '../support/barrier.js';
import { consultationDocument } from '../support/consultation.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-amend-1';

/** A small document with enough distinct words to table many amendments. */
function amendmentDocument(): ImportedDocument {
  return { ...consultationDocument(DOC), symbol: 'GB.999/AMEND/1', title: 'Document pour les amendements' };
}

let server: TestServer;
const people: Record<string, { user: UserRecord; token: string }> = {};
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: amendmentDocument() });
  const specs: [string, Parameters<typeof buildUser>[1]][] = [
    ['office', { name: 'Bureau Officer', role: 'secretariat', group: null }],
    ['employers', { name: 'Emma Employer', group: 'employers' }],
    ['employers2', { name: 'Eric Employer', group: 'employers' }],
    ['workers', { name: 'Walter Worker', group: 'workers' }],
    ['france', { name: 'Julien Moreau', group: 'government', memberState: 'France' }],
    ['france2', { name: 'Claire Dubois', group: 'government', memberState: 'France' }],
    ['southAfrica', { name: 'Thabo Nkosi', group: 'government', memberState: 'South Africa' }],
    ['observer', { name: 'Olga Observer', role: 'observer', group: null }],
  ];
  for (const [key, spec] of specs) {
    const user = await buildUser(server.store, spec);
    people[key] = { user, token: await server.login(user) };
  }
});

afterAll(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await server.stop();
});

function who(key: string): { user: UserRecord; token: string } {
  const person = people[key];
  if (!person) throw new Error(`no test user ${key}`);
  return person;
}

async function call(
  method: string,
  path: string,
  as: string | null,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${who(as).token}`;
  // State changes are JSON only, body-less actions included.
  if (body === undefined && method !== 'GET' && method !== 'DELETE') body = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function table(as: string, form: Record<string, unknown>): Promise<AmendmentView> {
  const res = await call('POST', `/api/documents/${DOC}/amendments`, as, {
    sectionId: 'part-1',
    rationale: '',
    ...form,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as AmendmentView;
}

async function act(as: string | null, id: string, action: string, body?: unknown) {
  return call('POST', `/api/documents/${DOC}/amendments/${id}/${action}`, as, body);
}

async function section(id = 'part-1'): Promise<SectionContentResponse> {
  const res = await call('GET', `/api/documents/${DOC}/sections/${id}`, 'observer');
  return res.body as SectionContentResponse;
}

/** The text nodes of a paragraph, as `[text, marks]`, from the live section content. */
function runsOf(content: PMNode, number: string): [string, string[]][] {
  const p = content.content?.find((n) => n.type === 'numberedParagraph' && n.attrs?.number === number);
  const inline = p?.content?.[0]?.content ?? [];
  return inline.map((n) => [n.text ?? '', (n.marks ?? []).map((m) => `${m.type}:${String(m.attrs?.id ?? '')}`)]);
}

function hasMarks(content: PMNode): boolean {
  return JSON.stringify(content).includes('"suggestion');
}

function errorOf(res: { body: unknown }): { error: string; message: string } {
  return res.body as { error: string; message: string };
}

describe('amendments by form', () => {
  it('places an insertion in the live text, for the API and for a stock y-websocket client', async () => {
    const c = connectProvider(server.url, `${DOC}/part-1`, who('workers').token);
    await waitForSync(c.provider);
    const a = await table('employers', {
      paragraph: 1,
      op: 'insert',
      find: 'Le Bureau',
      text: ' renforcera et',
      rationale: 'Plus ambitieux.',
    });
    expect(a).toMatchObject({
      ref: expect.stringMatching(/^A-\d+$/),
      documentId: DOC,
      sectionId: 'part-1',
      paragraphs: [1],
      type: 'insert',
      originalText: '',
      proposedText: ' renforcera et',
      authorId: who('employers').user.id,
      authorName: 'Emma Employer',
      ownerKey: 'employers',
      group: 'employers',
      memberState: null,
      rationale: 'Plus ambitieux.',
      status: 'proposed',
      votes: [],
      tally: {
        government: { support: 0, oppose: 0 },
        employers: { support: 0, oppose: 0 },
        workers: { support: 0, oppose: 0 },
      },
    });
    expect(a.history).toEqual([
      { status: 'proposed', byUserId: who('employers').user.id, byName: 'Emma Employer', at: a.createdAt },
    ]);
    expect(runsOf((await section()).content, '1')).toEqual([
      ['Le Bureau', []],
      [' renforcera et', [`suggestionInsert:${a.id}`]],
      [' soutient les mandants tripartites dans la mise en œuvre du programme.', []],
    ]);
    await eventually(() => {
      const json = yXmlFragmentToProsemirrorJSON(c.doc.getXmlFragment('default')) as PMNode;
      expect(runsOf(json, '1')[1]).toEqual([' renforcera et', [`suggestionInsert:${a.id}`]]);
    });
    c.provider.destroy();
  });

  it('places a deletion and a replacement (one id, both marks)', async () => {
    const d = await table('workers', { paragraph: 2, op: 'delete', find: ' de l’Organisation' });
    expect(d).toMatchObject({
      type: 'delete',
      originalText: ' de l’Organisation',
      proposedText: '',
      ownerKey: 'workers',
    });
    const r = await table('france', {
      paragraph: 2,
      op: 'replace',
      find: 'justice sociale',
      text: 'justice sociale et climatique',
    });
    expect(r).toMatchObject({
      type: 'replace',
      originalText: 'justice sociale',
      proposedText: 'justice sociale et climatique',
      ownerKey: 'government:France',
      memberState: 'France',
    });
    expect(runsOf((await section()).content, '2')).toEqual([
      ['La ', []],
      ['justice sociale', [`suggestionDelete:${r.id}`]],
      ['justice sociale et climatique', [`suggestionInsert:${r.id}`]],
      [' est au cœur du mandat', []],
      [' de l’Organisation', [`suggestionDelete:${d.id}`]],
      ['.', []],
    ]);
  });

  it('answers a find that occurs 0 or several times, and bad input, with a 400 that says why', async () => {
    const none = await call('POST', `/api/documents/${DOC}/amendments`, 'workers', {
      sectionId: 'part-1',
      paragraph: 3,
      op: 'delete',
      find: 'absent',
    });
    expect(none.status).toBe(400);
    expect(errorOf(none).message).toMatch(/occurs 0 times in paragraph 3/);
    const twice = await call('POST', `/api/documents/${DOC}/amendments`, 'workers', {
      sectionId: 'part-1',
      paragraph: 3,
      op: 'delete',
      find: 'texte',
    });
    expect(twice.status).toBe(400);
    expect(errorOf(twice).message).toMatch(/occurs 2 times in paragraph 3; give more words so it is unique/);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ sectionId: 'part-1', paragraph: 3, op: 'move', find: 'texte' }, /op/],
      [{ sectionId: 'part-1', paragraph: 3, op: 'insert', find: 'ici' }, /needs the new words/],
      [{ sectionId: 'part-1', paragraph: 3, op: 'delete', find: '' }, /find/],
      [{ sectionId: 'part-1', op: 'delete', find: 'ici' }, /paragraph/],
      [
        { sectionId: 'part-1', paragraph: 9, op: 'delete', find: 'orientations' },
        /in section "decision", not in "part-1"/,
      ],
    ];
    for (const [body, message] of bad) {
      const res = await call('POST', `/api/documents/${DOC}/amendments`, 'workers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res).message).toMatch(message);
    }
    const noSection = await call('POST', `/api/documents/${DOC}/amendments`, 'workers', {
      sectionId: 'nope',
      paragraph: 3,
      op: 'delete',
      find: 'ici',
    });
    expect(noSection.status).toBe(404);
    const list = (await call('GET', `/api/documents/${DOC}/amendments?paragraph=3`, 'workers')).body as AmendmentView[];
    expect(list).toEqual([]);
  });

  it('refuses words that overlap another amendment with a 409 naming it', async () => {
    const first = await table('workers', { paragraph: 4, op: 'delete', find: 'dialogue social' });
    const res = await call('POST', `/api/documents/${DOC}/amendments`, 'employers', {
      sectionId: 'part-1',
      paragraph: 4,
      op: 'replace',
      find: 'au dialogue',
      text: 'à la négociation',
    });
    expect(res.status).toBe(409);
    expect(errorOf(res).message).toContain(first.ref);
    // Coded like every refusal (issue 12 item 2), for the client to word it and offer Co-sponsor / Support;
    // `details` stays as the older contract had it.
    const params = { amendmentId: first.id, ref: first.ref, ownerKey: 'workers' };
    expect(res.body).toEqual({
      error: 'conflict',
      message: expect.stringContaining(`already under ${first.ref}, Workers`),
      details: params,
      reason: { code: 'overlaps', params },
    });
  });

  it('a draft tabled on words under another amendment is refused with the same coded overlap', async () => {
    const first = await table('workers', { paragraph: 5, op: 'delete', find: 'internationales' });
    const draft = await table('employers', {
      paragraph: 5,
      op: 'replace',
      find: 'normes internationales',
      text: 'normes internationales et nationales',
      draft: true,
    });
    const res = await act('employers', draft.id, 'table');
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    const params = { amendmentId: first.id, ref: first.ref, ownerKey: 'workers' };
    expect(res.body).toMatchObject({ error: 'conflict', details: params, reason: { code: 'overlaps', params } });
    // The paragraph as it was, for the tests below.
    expect((await act('workers', first.id, 'withdraw')).status).toBe(200);
  });

  it('lists with filters: section, paragraph, group, status; bad filters are a 400', async () => {
    const all = (await call('GET', `/api/documents/${DOC}/amendments`, 'observer')).body as AmendmentView[];
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.map((a) => a.ref)).toEqual(
      [...all].sort((x, y) => Number(x.ref.slice(2)) - Number(y.ref.slice(2))).map((a) => a.ref),
    );
    const p2 = (await call('GET', `/api/documents/${DOC}/amendments?section=part-1&paragraph=2`, 'observer'))
      .body as AmendmentView[];
    expect(p2.map((a) => a.paragraphs)).toEqual([[2], [2]]);
    const gov = (await call('GET', `/api/documents/${DOC}/amendments?group=government`, 'observer'))
      .body as AmendmentView[];
    expect(gov.length).toBeGreaterThan(0);
    expect(gov.every((a) => a.ownerKey.startsWith('government:'))).toBe(true);
    const workers = (await call('GET', `/api/documents/${DOC}/amendments?group=workers&status=proposed`, 'observer'))
      .body as AmendmentView[];
    expect(workers.every((a) => a.ownerKey === 'workers' && a.status === 'proposed')).toBe(true);
    expect((await call('GET', `/api/documents/${DOC}/amendments?section=decision`, 'observer')).body).toEqual([]);
    expect((await call('GET', `/api/documents/${DOC}/amendments?status=maybe`, 'observer')).status).toBe(400);
    expect((await call('GET', `/api/documents/${DOC}/amendments?paragraph=two`, 'observer')).status).toBe(400);
    expect((await call('GET', `/api/documents/${DOC}/amendments?colour=red`, 'observer')).status).toBe(400);
    expect((await call('GET', '/api/documents/nope/amendments', 'observer')).status).toBe(404);
    expect((await call('GET', `/api/documents/${DOC}/amendments`, null)).status).toBe(401);
    const one = all[0] as AmendmentView;
    expect((await call('GET', `/api/documents/${DOC}/amendments/${one.id}`, 'observer')).body).toMatchObject({
      id: one.id,
      ref: one.ref,
    });
    expect((await call('GET', `/api/amendments/${one.id}`, 'observer')).body).toMatchObject({ id: one.id });
    expect((await call('GET', `/api/documents/${DOC}/amendments/zzzzzzzzzzzz`, 'observer')).status).toBe(404);
  });
});

describe('support and opposition', () => {
  it('gives one voice per group or State, tallied by group; the own owner cannot vote', async () => {
    const a = await table('workers', { paragraph: 5, op: 'insert', find: 'du travail', text: ' et les conventions' });
    expect((await act('france', a.id, 'support')).status).toBe(200);
    // A second France delegate speaks for the same State: the vote is replaced, not added.
    const replaced = (await act('france2', a.id, 'oppose')).body as AmendmentView;
    expect(replaced.votes).toEqual([
      expect.objectContaining({ ownerKey: 'government:France', stance: 'oppose', byName: 'Claire Dubois' }),
    ]);
    await act('employers', a.id, 'support');
    await act('employers2', a.id, 'support');
    const last = (await act('southAfrica', a.id, 'support')).body as AmendmentView;
    expect(last.tally).toEqual({
      government: { support: 1, oppose: 1 },
      employers: { support: 1, oppose: 0 },
      workers: { support: 0, oppose: 0 },
    });
    expect(last.votes).toHaveLength(3);
    const own = await act('workers', a.id, 'support');
    expect(own.status).toBe(403);
    expect(errorOf(own).message).toMatch(/own/);
    expect((await act('office', a.id, 'oppose')).status).toBe(403);
    expect((await act('observer', a.id, 'support')).status).toBe(403);
    expect((await act(null, a.id, 'support')).status).toBe(401);
  });
});

describe('decisions', () => {
  it('withdraw: only by the amendment’s own group, until the Office decides; the suggestion leaves the text', async () => {
    const a = await table('employers', { paragraph: 6, op: 'replace', find: 'biennale', text: 'quadriennale' });
    const other = await act('workers', a.id, 'withdraw');
    expect(other.status).toBe(403);
    expect(errorOf(other).message).toMatch(/Only the Employers' group can withdraw/);
    // Any member of the group may withdraw it, not only its author.
    const done = (await act('employers2', a.id, 'withdraw')).body as AmendmentView;
    expect(done.status).toBe('withdrawn');
    expect(done.history.map((h) => [h.status, h.byName])).toEqual([
      ['proposed', 'Emma Employer'],
      ['withdrawn', 'Eric Employer'],
    ]);
    expect(runsOf((await section()).content, '6')).toEqual([['Le programme couvre la période biennale.', []]]);
    const again = await act('employers', a.id, 'withdraw');
    expect(again.status).toBe(409);
    expect(errorOf(again).message).toMatch(/is withdrawn/);
  });

  it('accept by the Office applies the amendment to the official text, atomically with status and history', async () => {
    const a = await table('france', {
      paragraph: 7,
      op: 'replace',
      find: 'compétences nouvelles',
      text: 'compétences adaptées',
    });
    const refused = await act('france2', a.id, 'accept');
    expect(refused.status).toBe(403);
    expect(errorOf(refused).message).toBe('Only the Office accepts or rejects amendments.');
    const accepted = (await act('office', a.id, 'accept', { secondedInRoom: true })).body as AmendmentView;
    expect(accepted.status).toBe('accepted');
    expect(accepted.history.map((h) => [h.status, h.byName])).toEqual([
      ['proposed', 'Julien Moreau'],
      ['accepted', 'Bureau Officer'],
    ]);
    const live = await section();
    expect(runsOf(live.content, '7')).toEqual([['La transition juste exige des compétences adaptées.', []]]);
    expect(live.text).toContain('des compétences adaptées.');
    const again = await act('office', a.id, 'reject');
    expect(again.status).toBe(409);
    expect(errorOf(again).message).toMatch(/is accepted/);
    // The record sync, which runs after every change, leaves a decided amendment alone.
    await sectionBarrier(server, DOC, a.sectionId);
    expect(((await call('GET', `/api/amendments/${a.id}`, 'office')).body as AmendmentView).status).toBe('accepted');
  });

  it('reject by the Office removes the suggestion and keeps the official words', async () => {
    const a = await table('workers', { paragraph: 8, op: 'replace', find: 'stable', text: 'en hausse' });
    const rejected = (await call('POST', `/api/amendments/${a.id}/reject`, 'office')).body as AmendmentView;
    expect(rejected.status).toBe('rejected');
    expect(runsOf((await section()).content, '8')).toEqual([['Le budget reste stable en termes réels.', []]]);
  });

  it('leaves the record unchanged when the text change fails', async () => {
    const a = await table('workers', {
      sectionId: 'decision',
      paragraph: 9,
      op: 'insert',
      find: 'les orientations',
      text: ' fournies',
    });
    const store = server.store;
    const original = store.appendUpdate.bind(store);
    store.appendUpdate = () => Promise.reject(new Error('disk full'));
    try {
      const res = await act('office', a.id, 'accept');
      expect(res.status).toBe(503);
    } finally {
      store.appendUpdate = original;
    }
    const after = (await call('GET', `/api/amendments/${a.id}`, 'office')).body as AmendmentView;
    expect(after.status).toBe('proposed');
    expect(after.history).toHaveLength(1);
    expect(hasMarks((await section('decision')).content)).toBe(true);
    expect(((await act('office', a.id, 'accept')).body as AmendmentView).status).toBe('accepted');
    expect(hasMarks((await section('decision')).content)).toBe(false);
  });

  it('refuses observers on everything that writes, and the signed-out with 401', async () => {
    const a = await table('southAfrica', {
      sectionId: 'decision',
      paragraph: 9,
      op: 'delete',
      find: 'Directeur général de ',
    });
    const writes: [string, string, unknown][] = [
      ['POST', `/api/documents/${DOC}/amendments`, { sectionId: 'part-1', paragraph: 3, op: 'delete', find: 'ici' }],
      ...['support', 'oppose', 'withdraw', 'accept', 'reject'].map((x): [string, string, unknown] => [
        'POST',
        `/api/documents/${DOC}/amendments/${a.id}/${x}`,
        undefined,
      ]),
      ['POST', `/api/amendments/${a.id}/rationale`, { rationale: 'x' }],
    ];
    for (const [method, path, body] of writes) {
      const observer = await call(method, path, 'observer', body);
      expect(observer.status, path).toBe(403);
      expect(errorOf(observer).message.length).toBeGreaterThan(10);
      expect((await call(method, path, null, body)).status, path).toBe(401);
    }
  });
});

describe('rationale', () => {
  it('is set by the amendment’s own group or State only', async () => {
    const a = await table('southAfrica', { paragraph: 3, op: 'insert', find: 'ici', text: ' encore' });
    const other = await call('POST', `/api/amendments/${a.id}/rationale`, 'france', { rationale: 'Non.' });
    expect(other.status).toBe(403);
    const own = (
      await call('POST', `/api/documents/${DOC}/amendments/${a.id}/rationale`, 'southAfrica', {
        rationale: 'Pour insister.',
      })
    ).body as AmendmentView;
    expect(own.rationale).toBe('Pour insister.');
    const tooLong = await call('POST', `/api/amendments/${a.id}/rationale`, 'southAfrica', {
      rationale: 'x'.repeat(2001),
    });
    expect(tooLong.status).toBe(400);
  });
});

describe('live', () => {
  async function documentSocket(as: string): Promise<{ socket: Socket; events: AmendmentView[] }> {
    const socket = connectSocket(server.url, {
      path: '/socket.io',
      auth: { token: who(as).token },
      transports: ['websocket'],
    });
    sockets.push(socket);
    const events: AmendmentView[] = [];
    socket.on(ServerEvent.AmendmentChanged, (payload: { amendment: AmendmentView }) => events.push(payload.amendment));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.emit(ClientEvent.JoinDocument, { documentId: DOC });
    // The join is acknowledged by the presence list that follows it.
    await new Promise<void>((resolve) => socket.once(ServerEvent.Presence, () => resolve()));
    return { socket, events };
  }

  it('pushes new amendments, votes and decisions to the document room within a second', async () => {
    const { events } = await documentSocket('observer');
    const started = Date.now();
    const a = await table('employers', { paragraph: 4, op: 'insert', find: 'Les partenaires', text: ' tripartites' });
    await eventually(() => expect(events.some((e) => e.id === a.id && e.status === 'proposed')).toBe(true), 1000);
    await act('workers', a.id, 'oppose');
    await eventually(() => expect(events.some((e) => e.id === a.id && e.tally.workers.oppose === 1)).toBe(true), 1000);
    await act('office', a.id, 'accept');
    await eventually(() => expect(events.some((e) => e.id === a.id && e.status === 'accepted')).toBe(true), 1000);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps records in step with suggestions typed in the text: created, changed, withdrawn when deleted', async () => {
    const { events } = await documentSocket('observer');
    const typist = who('southAfrica');
    const attrs = { id: 'typed0000001', by: 'government:South Africa', author: typist.user.id };
    // Typed as a client would (a Y.XmlText insert with the mark), through the room's queue like any change.
    const type = (edit: (text: Y.XmlText, at: number) => void) =>
      server.services.collab.withSectionDoc(DOC, 'part-1', (room) =>
        room.submitServerChange((doc) => {
          const numbered = doc
            .getXmlFragment('default')
            .toArray()
            .find((n) => n instanceof Y.XmlElement && n.getAttribute('number') === '5') as Y.XmlElement;
          const text = (numbered.get(0) as Y.XmlElement).get(0) as Y.XmlText;
          edit(text, 'Les normes internationales du travail'.length);
          return true;
        }),
      );
    await type((text, at) => text.insert(at, ' fondamentales', { suggestionInsert: attrs }));
    await eventually(
      () =>
        expect(events.find((e) => e.id === attrs.id)).toMatchObject({
          type: 'insert',
          proposedText: ' fondamentales',
          authorName: 'Thabo Nkosi',
          ownerKey: 'government:South Africa',
          memberState: 'South Africa',
          status: 'proposed',
          paragraphs: [5],
        }),
      1000,
    );
    await type((text, at) =>
      text.insert(at + ' fondamentales'.length, ' et universelles', { suggestionInsert: attrs }),
    );
    await eventually(
      () => expect(events.filter((e) => e.id === attrs.id).at(-1)?.proposedText).toBe(' fondamentales et universelles'),
      1000,
    );
    await type((text, at) => text.delete(at, ' fondamentales et universelles'.length));
    await eventually(() => expect(events.filter((e) => e.id === attrs.id).at(-1)?.status).toBe('withdrawn'), 1000);
    const record = (await call('GET', `/api/amendments/${attrs.id}`, 'office')).body as AmendmentView;
    expect(record.history.map((h) => [h.status, h.byName])).toEqual([
      ['proposed', 'Thabo Nkosi'],
      ['withdrawn', 'Thabo Nkosi'],
    ]);
    expect(record.ref).toMatch(/^A-\d+$/);
  });

  it('records a suggestion typed by a delegate in a stock y-websocket client, and withdraws it when its author deletes it', async () => {
    const { events } = await documentSocket('observer');
    const typist = who('france2');
    const c = connectProvider(server.url, `${DOC}/part-1`, typist.token);
    await waitForSync(c.provider);
    const numbered = c.doc
      .getXmlFragment('default')
      .toArray()
      .find((n) => n instanceof Y.XmlElement && n.getAttribute('number') === '8') as Y.XmlElement;
    const text = (numbered.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const attrs = { id: 'typed0000002', by: 'government:France', author: typist.user.id };
    const at = 'Le budget'.length;
    text.insert(at, ' ordinaire', { suggestionInsert: attrs });
    await eventually(
      () =>
        expect(events.find((e) => e.id === attrs.id)).toMatchObject({
          type: 'insert',
          proposedText: ' ordinaire',
          authorName: 'Claire Dubois',
          status: 'proposed',
          paragraphs: [8],
        }),
      1000,
    );
    text.delete(at, ' ordinaire'.length);
    await eventually(() => expect(events.filter((e) => e.id === attrs.id).at(-1)?.status).toBe('withdrawn'), 1000);
    const record = (await call('GET', `/api/amendments/${attrs.id}`, 'office')).body as AmendmentView;
    expect(record.history.at(-1)).toMatchObject({ status: 'withdrawn', byUserId: typist.user.id });
    c.provider.destroy();
  });
});
