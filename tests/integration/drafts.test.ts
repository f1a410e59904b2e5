import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { ServerEvent } from '../../shared/events.js';
import type { PMNode } from '../../shared/schema/index.js';
import {
  type Cast,
  type Person,
  buildCast,
  call,
  consultationDocument,
  joinedSocket,
} from '../support/consultation.js';
import { socketBarrier } from '../support/barrier.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-drafts-1';

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);
type Answer = AmendmentView & { error?: string; message?: string };

const draft = (who: Person, form: Record<string, unknown>) =>
  api<Answer>('POST', `/api/documents/${DOC}/amendments`, who, { sectionId: 'part-1', draft: true, ...form });

async function liveText(): Promise<string> {
  return (await api<{ text: string }>('GET', `/api/documents/${DOC}/sections/part-1`, cast.observer)).body.text;
}

describe('group drafts', () => {
  it('a draft reaches its own group and the Office only: HTTP, socket.io and the collaboration socket', async () => {
    const ownGroup = await joinedSocket(server, cast.employers2, DOC);
    const otherGroup = await joinedSocket(server, cast.workers, DOC);
    const office = await joinedSocket(server, cast.office, DOC);
    cleanups.push(
      () => ownGroup.socket.disconnect(),
      () => otherGroup.socket.disconnect(),
      () => office.socket.disconnect(),
    );
    const collabOther = connectProvider(server.url, `${DOC}/part-1`, cast.workers.token);
    cleanups.push(() => collabOther.provider.destroy());
    await waitForSync(collabOther.provider);

    const res = await draft(cast.employers, {
      paragraph: 4,
      op: 'replace',
      find: 'dialogue social',
      text: 'dialogue social confidentiel',
      rationale: 'Texte secret du groupe.',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      ownerKey: 'employers',
      type: 'replace',
      originalText: 'dialogue social',
      proposedText: 'dialogue social confidentiel',
      form: { paragraph: 4, op: 'replace', find: 'dialogue social', anchor: { quote: 'dialogue social' } },
      abilities: { table: true, edit: true, accept: false, support: false },
    });
    const id = res.body.id;

    // Its own group and the Office (issue 13: the Office reads all but delegation-only drafts): listed,
    // readable, and told over socket.io as a draft.
    for (const who of [cast.employers2, cast.office]) {
      const ownList = await api<AmendmentView[]>('GET', `/api/documents/${DOC}/amendments`, who);
      expect(ownList.body.map((a) => a.id)).toContain(id);
    }
    await eventually(() => {
      expect(ownGroup.events.some((e) => e.name === ServerEvent.DraftChanged)).toBe(true);
      expect(office.events.some((e) => e.name === ServerEvent.DraftChanged)).toBe(true);
    });
    // The Office reads it but neither edits nor tables it.
    expect((await api('PATCH', `/api/amendments/${id}`, cast.office, { text: ' x' })).status).toBe(403);
    expect((await api('POST', `/api/amendments/${id}/table`, cast.office)).status).toBe(403);
    // Nobody else: not listed, 404 by id, no event, no words in the shared text.
    for (const who of [cast.workers, cast.france, cast.observer]) {
      const list = await api<AmendmentView[]>('GET', `/api/documents/${DOC}/amendments`, who);
      expect(list.body.map((a) => a.id)).not.toContain(id);
      expect((await api('GET', `/api/amendments/${id}`, who)).status).toBe(404);
      expect((await api('GET', `/api/documents/${DOC}/amendments/${id}`, who)).status).toBe(404);
      expect((await api('POST', `/api/amendments/${id}/table`, who)).status).toBe(404);
    }
    for (const sock of [otherGroup]) {
      await socketBarrier(sock.socket, DOC);
      expect(JSON.stringify(sock.events)).not.toContain('confidentiel');
      expect(JSON.stringify(sock.events)).not.toContain(id);
    }
    const seenByOther = JSON.stringify(yXmlFragmentToProsemirrorJSON(collabOther.doc.getXmlFragment('default')));
    expect(seenByOther).not.toContain('confidentiel');
    expect(seenByOther).not.toContain(id);
    expect(await liveText()).not.toContain('confidentiel');
    // The audit log the Office reads does not even show that the draft exists (until it is tabled).
    const audit = await api<{ entries: { action: string; targetId: string }[] }>(
      'GET',
      `/api/documents/${DOC}/audit`,
      cast.office,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.entries.filter((e) => e.targetId === id)).toEqual([]);
    expect(JSON.stringify(audit.body)).not.toContain('confidentiel');
  });

  it('any member of the group edits it; others may not', async () => {
    const d = await draft(cast.employers, { paragraph: 5, op: 'insert', find: 'du travail', text: ' et sociales' });
    const edited = await api<Answer>('PATCH', `/api/amendments/${d.body.id}`, cast.employers2, {
      text: ' et environnementales',
      rationale: 'Mieux.',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: 'draft', proposedText: ' et environnementales', rationale: 'Mieux.' });
    expect((await api('PATCH', `/api/amendments/${d.body.id}`, cast.workers, { text: ' x' })).status).toBe(404);
    const bad = await api<{ message: string }>('PATCH', `/api/amendments/${d.body.id}`, cast.employers, {
      find: 'absent',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/occurs 0 times in paragraph 5/);
  });

  it('tabling places it as a tracked suggestion of the group, where its anchor now is, in one audited step', async () => {
    const d = await draft(cast.employers, {
      paragraph: 3,
      op: 'replace',
      find: 'texte se répètent',
      text: 'texte ne se répètent pas',
    });
    expect(d.status).toBe(201);
    // The Office edits the text meanwhile: "Le texte et le texte" gains words before the draft's words, so
    // "texte se répètent" moves — the anchor follows it.
    const live = connectProvider(server.url, `${DOC}/part-1`, cast.office.token);
    cleanups.push(() => live.provider.destroy());
    await waitForSync(live.provider);
    const block = live.doc.getXmlFragment('default').get(3) as import('yjs').XmlElement;
    const text = (block.get(0) as import('yjs').XmlElement).get(0) as import('yjs').XmlText;
    text.insert(0, 'Ici, ');
    await eventually(async () => expect(await liveText()).toContain('Ici, Le texte'));

    const socket = await joinedSocket(server, cast.workers, DOC);
    cleanups.push(() => socket.socket.disconnect());
    const tabled = await api<Answer>('POST', `/api/amendments/${d.body.id}/table`, cast.employers2);
    expect(tabled.status).toBe(200);
    // The reference is taken at tabling: a draft shows none that could leave a gap in the A-n series.
    expect(d.body.ref).toMatch(/^D-/);
    expect(tabled.body.ref).toMatch(/^A-\d+$/);
    expect(tabled.body).toMatchObject({
      id: d.body.id,
      status: 'proposed',
      ownerKey: 'employers',
      authorName: 'Eric Employer',
      type: 'replace',
      originalText: 'texte se répètent',
      proposedText: 'texte ne se répètent pas',
      paragraphs: [3],
    });
    expect(tabled.body.history.map((h) => [h.status, h.byName, h.note])).toEqual([
      ['draft', 'Emma Employer', undefined],
      ['proposed', 'Eric Employer', 'tabled'],
    ]);
    const content = (await api<{ content: PMNode }>('GET', `/api/documents/${DOC}/sections/part-1`, cast.workers)).body
      .content;
    const p3 = content.content?.find((n) => n.attrs?.number === '3')?.content?.[0]?.content ?? [];
    expect(p3.map((n) => [n.text, (n.marks ?? []).map((m) => m.type)])).toEqual([
      ['Ici, Le texte et le ', []],
      ['texte se répètent', ['suggestionDelete']],
      ['texte ne se répètent pas', ['suggestionInsert']],
      [' ici.', []],
    ]);
    // Now everyone sees it, and the other group's socket heard of it.
    expect((await api('GET', `/api/amendments/${d.body.id}`, cast.workers)).status).toBe(200);
    await eventually(() => {
      expect(
        socket.events.some(
          (e) => e.name === ServerEvent.AmendmentChanged && JSON.stringify(e.payload).includes(d.body.id),
        ),
      ).toBe(true);
    });
    const audit = await api<{ entries: { action: string; targetId: string; via: string; userAgent: string | null }[] }>(
      'GET',
      `/api/documents/${DOC}/audit?action=amendment.tabled`,
      cast.office,
    );
    expect(audit.body.entries[0]).toMatchObject({ targetId: d.body.id, via: 'http', userAgent: 'concord-tests' });
    // Tabled once: a second time is a conflict.
    expect((await api('POST', `/api/amendments/${d.body.id}/table`, cast.employers)).status).toBe(409);
  });

  it('a government delegate tables on behalf of their State; other States and groups co-sponsor', async () => {
    const d = await draft(cast.france, { paragraph: 8, op: 'replace', find: 'stable', text: 'en hausse' });
    // Another State of the Government group sees the group's draft and may co-sponsor it.
    expect((await api('GET', `/api/amendments/${d.body.id}`, cast.southAfrica)).status).toBe(200);
    const co = await api<Answer>('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.southAfrica);
    expect(co.status).toBe(200);
    expect(co.body.cosponsors).toEqual([
      expect.objectContaining({ ownerKey: 'government:South Africa', byName: 'Thabo Nkosi' }),
    ]);
    const tabled = await api<Answer>('POST', `/api/amendments/${d.body.id}/table`, cast.france);
    expect(tabled.body).toMatchObject({ status: 'proposed', ownerKey: 'government:France', memberState: 'France' });
    const workersToo = await api<Answer>('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.workers);
    expect(workersToo.body.cosponsors.map((c) => c.ownerKey)).toEqual(['government:South Africa', 'workers']);
    const own = await api<{ message: string }>('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.france);
    expect(own.status).toBe(403);
    expect(own.body.message).toMatch(/already France’s own/);
    expect((await api('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.office)).status).toBe(403);
    expect((await api('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.observer)).status).toBe(403);
    const dropped = await api<Answer>('DELETE', `/api/amendments/${d.body.id}/cosponsor`, cast.workers);
    expect(dropped.body.cosponsors.map((c) => c.ownerKey)).toEqual(['government:South Africa']);
  });

  it('a State that co-sponsored another State’s draft and tables it owns it, and no longer co-sponsors it', async () => {
    const d = await draft(cast.france, { paragraph: 6, op: 'replace', find: 'biennale', text: 'de deux ans' });
    expect((await api('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.southAfrica)).status).toBe(200);
    const tabled = await api<Answer>('POST', `/api/amendments/${d.body.id}/table`, cast.southAfrica);
    expect(tabled.status).toBe(200);
    expect(tabled.body).toMatchObject({ status: 'proposed', ownerKey: 'government:South Africa' });
    expect(tabled.body.cosponsors).toEqual([]);
    // Others co-sponsor it as any tabled amendment; South Africa, its owner now, may not.
    expect((await api('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.workers)).status).toBe(200);
    expect((await api('POST', `/api/amendments/${d.body.id}/cosponsor`, cast.southAfrica)).status).toBe(403);
    const read = await api<Answer>('GET', `/api/amendments/${d.body.id}`, cast.office);
    expect(read.body.cosponsors.map((c) => c.ownerKey)).toEqual(['workers']);
  });

  it('refuses drafting to observers and a draft whose words no longer read as quoted', async () => {
    const obs = await draft(cast.observer, { paragraph: 1, op: 'delete', find: 'Le Bureau' });
    expect(obs.status).toBe(403);
    const d = await draft(cast.workers, { paragraph: 1, op: 'delete', find: ' tripartites' });
    const live = connectProvider(server.url, `${DOC}/part-1`, cast.office.token);
    cleanups.push(() => live.provider.destroy());
    await waitForSync(live.provider);
    const block = live.doc.getXmlFragment('default').get(1) as import('yjs').XmlElement;
    const text = (block.get(0) as import('yjs').XmlElement).get(0) as import('yjs').XmlText;
    const at = text.toString().indexOf(' tripartites');
    text.insert(at + 4, 'X');
    await eventually(async () => expect(await liveText()).toContain(' triXpartites'));
    const res = await api<{ message: string; reason?: unknown }>(
      'POST',
      `/api/amendments/${d.body.id}/table`,
      cast.workers,
    );
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/now read “ triXpartites” instead of “ tripartites”; edit the draft/);
    expect(res.body.reason).toEqual({
      code: 'draft_words_changed',
      params: { find: '“ tripartites”', words: '“ triXpartites”' },
    });
  });
});
