import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { ServerEvent } from '../../shared/events.js';
import type { RegionalGroup } from '../../shared/regions.js';
import type { ThreadView } from '../../shared/threads.js';
import { socketBarrier } from '../support/barrier.js';
import { call, consultationDocument, joinedSocket, type Person } from '../support/consultation.js';
import { openDocx, revisions } from '../support/docx.js';
import { AFRICA as AFRICA_OF_TESTS } from '../support/regions.js';
import { buildUser, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Issue 13's done-when path: regional groups as data, amendments on behalf of a regional group, and
 * the delegation and regional circles of threads — with a second State of the same region, a State
 * outside it, another group and the observer.
 */

const DOC = 'gb-999-regions-1';

const AFRICA: RegionalGroup = { ...AFRICA_OF_TESTS, members: ['ZA', 'NG', 'KE'] };
const GRULAC: RegionalGroup = {
  code: 'GRULAC',
  nameEn: 'Group of Latin American and Caribbean Countries',
  nameFr: "Groupe des pays d'Amérique latine et des Caraïbes",
  nameEs: 'Grupo de los Países de América Latina y el Caribe',
  shortName: 'GRULAC',
  members: ['BR'],
};

type Who = 'southAfrica' | 'southAfrica2' | 'nigeria' | 'france' | 'brazil' | 'workers' | 'office' | 'observer';

let server: TestServer;
const cast = {} as Record<Who, Person>;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  await server.store.saveRegionalGroup(AFRICA);
  await server.store.saveRegionalGroup(GRULAC);
  const specs: [Who, Parameters<typeof buildUser>[1]][] = [
    ['southAfrica', { name: 'Thandiwe Nkosi', group: 'government', memberState: 'ZA' }],
    ['southAfrica2', { name: 'Sipho Dlamini', group: 'government', memberState: 'ZA' }],
    ['nigeria', { name: 'Ngozi Okafor', group: 'government', memberState: 'NG' }],
    ['france', { name: 'Julien Moreau', group: 'government', memberState: 'FR' }],
    ['brazil', { name: 'Ana Lima', group: 'government', memberState: 'BR' }],
    ['workers', { name: 'Kwame Mensah', group: 'workers' }],
    ['office', { name: 'Claire Martin', role: 'secretariat', group: null }],
    ['observer', { name: 'Ana Sousa', role: 'observer', group: null }],
  ];
  for (const [key, spec] of specs) {
    const user = await buildUser(server.store, spec);
    cast[key] = { user, token: await server.login(user) };
  }
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

type Answer = AmendmentView & { error?: string; message?: string };
const api = <T>(method: string, path: string, who: Who, body?: unknown) =>
  call<T>(server, method, path, cast[who], body);

describe('regional groups', () => {
  it('are read with their members; a user is read with the regional groups of their State', async () => {
    const groups = await server.store.listRegionalGroups();
    expect(groups.map((g) => [g.code, g.members])).toEqual([
      ['AFRICA', ['KE', 'NG', 'ZA']],
      ['GRULAC', ['BR']],
    ]);
    expect((await server.store.findUserById(cast.nigeria.user.id))?.regions).toEqual(['AFRICA']);
    expect((await server.store.findUserById(cast.france.user.id))?.regions).toEqual([]);
  });
});

describe('on behalf of a regional group', () => {
  it('South Africa drafts for Africa, Nigeria edits and tables it, France co-sponsors; Brazil and France may not act for it', async () => {
    const drafted = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, 'southAfrica', {
      sectionId: 'part-1',
      paragraph: 5,
      op: 'replace',
      find: 'la référence',
      text: 'la référence commune',
      draft: true,
      onBehalfOf: 'region:AFRICA',
    });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({ status: 'draft', ownerKey: 'region:AFRICA', authorName: 'Thandiwe Nkosi' });
    const id = drafted.body.id;

    // France sees the Government group's drafts but neither edits nor tables the region's.
    expect((await api('PATCH', `/api/amendments/${id}`, 'france', { text: 'la référence française' })).status).toBe(
      403,
    );
    expect((await api('POST', `/api/amendments/${id}/table`, 'france')).status).toBe(403);
    const edited = await api<Answer>('PATCH', `/api/amendments/${id}`, 'nigeria', { text: 'la référence partagée' });
    expect(edited.status).toBe(200);
    expect(edited.body.proposedText).toBe('la référence partagée');

    const tabled = await api<Answer>('POST', `/api/amendments/${id}/table`, 'nigeria');
    expect(tabled.status).toBe(200);
    expect(tabled.body).toMatchObject({ status: 'proposed', ownerKey: 'region:AFRICA' });

    // France co-sponsors; a member of the region cannot (it is already its own); votes stay one per State.
    const co = await api<Answer>('POST', `/api/amendments/${id}/cosponsor`, 'france');
    expect(co.status).toBe(200);
    expect(co.body.cosponsors.map((c) => c.ownerKey)).toEqual(['government:FR']);
    expect((await api('POST', `/api/amendments/${id}/cosponsor`, 'southAfrica2')).status).toBe(403);
    expect((await api('POST', `/api/amendments/${id}/support`, 'nigeria')).status).toBe(403);
    const support = await api<Answer>('POST', `/api/amendments/${id}/support`, 'brazil');
    expect(support.status).toBe(200);

    // Every member State's delegates answer for it: the rationale; Brazil and France may not withdraw it.
    const seen = await api<Answer>('GET', `/api/amendments/${id}`, 'southAfrica2');
    expect(seen.body.abilities).toMatchObject({ withdraw: true, support: false, cosponsor: false });
    expect((await api<Answer>('GET', `/api/amendments/${id}`, 'france')).body.abilities).toMatchObject({
      withdraw: false,
      support: true,
    });
    expect((await api('POST', `/api/amendments/${id}/withdraw`, 'brazil')).status).toBe(403);
    expect((await api('POST', `/api/amendments/${id}/withdraw`, 'france')).status).toBe(403);
    const withdrawn = await api<Answer>('POST', `/api/amendments/${id}/withdraw`, 'southAfrica2');
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
  });

  it('refuses a regional group the delegate’s State is not in, and every other group', async () => {
    const form = { sectionId: 'part-1', paragraph: 6, op: 'replace', find: 'biennale', text: 'quadriennale' };
    for (const [who, onBehalfOf] of [
      ['brazil', 'region:AFRICA'],
      ['france', 'region:AFRICA'],
      ['workers', 'region:AFRICA'],
      ['nigeria', 'government:ZA'],
      ['nigeria', 'workers'],
    ] as const) {
      const res = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, who, { ...form, onBehalfOf });
      expect(res.status, `${who} for ${onBehalfOf}`).toBe(403);
    }
    expect(
      (await api('POST', `/api/documents/${DOC}/amendments`, 'observer', { ...form, onBehalfOf: 'region:AFRICA' }))
        .status,
    ).toBe(403);
    const byForm = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, 'brazil', {
      ...form,
      onBehalfOf: 'region:GRULAC',
    });
    expect(byForm.status).toBe(201);
    expect(byForm.body).toMatchObject({ status: 'proposed', ownerKey: 'region:GRULAC' });
  });
});

describe('regional owners in the exports', () => {
  it('Word names the revision’s author in the document’s language; AKN has a TLCOrganization per proponent', async () => {
    const africa = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, 'nigeria', {
      sectionId: 'part-1',
      paragraph: 7,
      op: 'replace',
      find: 'compétences nouvelles',
      text: 'compétences renouvelées',
      onBehalfOf: 'region:AFRICA',
    });
    expect(africa.status).toBe(201);
    expect((await api('POST', `/api/amendments/${africa.body.id}/cosponsor`, 'france')).status).toBe(200);
    const get = (file: string) =>
      fetch(`${server.url}/api/documents/${DOC}/${file}`, {
        headers: { authorization: `Bearer ${cast.observer.token}` },
      });
    const word = await get('export.docx?changes=tracked');
    expect(word.status).toBe(200);
    const authors = revisions(openDocx(new Uint8Array(await word.arrayBuffer())).part('word/document.xml')).map(
      (r) => r.author,
    );
    expect(authors).toContain("Groupe de l'Afrique");
    expect(authors).toContain("Groupe des pays d'Amérique latine et des Caraïbes");
    // The compilation names the regional group in the document's language too.
    const compilation = await (await get('compilation.html')).text();
    expect(compilation).toMatch(/Groupe de l(&#39;|&#x27;|&apos;|')Afrique/);
    const akn = await (await get('akn.xml')).text();
    expect(akn).toMatch(
      /<TLCOrganization eId="amd_\d+__org_1" href="\/akn\/ontology\/organizations\/int\/ilo\.gb\.region\.africa"/,
    );
    expect(akn).toMatch(
      /<TLCOrganization eId="amd_\d+__org_2" href="\/akn\/ontology\/organizations\/int\/ilo\.gb\.government\.fr" showAs="France"\/>/,
    );
  });
});

describe('visibility circles of threads', () => {
  const thread = (who: Who, body: Record<string, unknown>) =>
    api<ThreadView & { message?: string }>('POST', `/api/documents/${DOC}/threads`, who, {
      sectionId: 'part-1',
      paragraph: 2,
      ...body,
    });
  const sees = async (who: Who, id: string) =>
    (await api<ThreadView[]>('GET', `/api/documents/${DOC}/threads`, who)).body.some((t) => t.id === id);

  it('a note for my delegation stays with South Africa’s delegates (and the Office): HTTP, socket.io, unread counts', async () => {
    const everyone = (['southAfrica2', 'nigeria', 'france', 'workers', 'office', 'observer'] as const).map(
      async (who) => [who, await joinedSocket(server, cast[who], DOC)] as const,
    );
    const sockets = Object.fromEntries(await Promise.all(everyone));
    for (const s of Object.values(sockets)) cleanups.push(() => s.socket.disconnect());

    const note = await thread('southAfrica', {
      visibility: 'delegation',
      body: 'Position de la délégation seulement.',
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ visibility: 'delegation', circle: 'government:ZA' });
    const id = note.body.id;

    const expected: Record<Who, boolean> = {
      southAfrica: true,
      southAfrica2: true,
      office: true,
      nigeria: false,
      france: false,
      brazil: false,
      workers: false,
      observer: false,
    };
    for (const [who, visible] of Object.entries(expected) as [Who, boolean][]) {
      expect(await sees(who, id), who).toBe(visible);
      expect((await api('GET', `/api/threads/${id}`, who)).status, who).toBe(visible ? 200 : 404);
      expect((await api('POST', `/api/threads/${id}/replies`, who, { body: 'Vu.' })).status, who).toBe(
        visible ? (who === 'office' || who === 'southAfrica' || who === 'southAfrica2' ? 201 : 403) : 404,
      );
    }
    for (const [who, s] of Object.entries(sockets)) {
      await socketBarrier(s.socket, DOC);
      const got = s.events.some(
        (e) => e.name === ServerEvent.ThreadChanged && JSON.stringify(e.payload).includes('délégation seulement'),
      );
      expect(got, who).toBe(expected[who as Who]);
    }
    // Unread counts count only what the reader may see: Nigeria has nothing new in part-1 from this note.
    const unread = async (who: Who) =>
      (await api<Record<string, number>>('GET', `/api/documents/${DOC}/unread`, who)).body['part-1'] ?? 0;
    const nigeriaBefore = await unread('nigeria');
    expect(await unread('southAfrica2')).toBeGreaterThan(0);
    await thread('southAfrica', { visibility: 'delegation', body: 'Encore une note.' });
    expect(await unread('nigeria')).toBe(nigeriaBefore);
  });

  it('a note for the Africa group reaches its member States’ delegates and the Office only', async () => {
    const note = await thread('nigeria', { visibility: 'region', region: 'AFRICA', body: 'Coordination africaine.' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ visibility: 'region', circle: 'region:AFRICA' });
    const expected: Record<Who, boolean> = {
      southAfrica: true,
      southAfrica2: true,
      nigeria: true,
      office: true,
      france: false,
      brazil: false,
      workers: false,
      observer: false,
    };
    for (const [who, visible] of Object.entries(expected) as [Who, boolean][]) {
      expect(await sees(who, note.body.id), who).toBe(visible);
    }
  });

  it('exports carry a circle’s note to that circle only: Word with comments, the compilation, the archive', async () => {
    const delegation = await thread('southAfrica', { visibility: 'delegation', body: 'zzdelegationexportnote' });
    const region = await thread('nigeria', { visibility: 'region', region: 'AFRICA', body: 'zzregionexportnote' });
    expect([delegation.status, region.status]).toEqual([201, 201]);
    const packageText = async (who: Who, file: string) => {
      const res = await fetch(`${server.url}/api/documents/${DOC}/${file}`, {
        headers: { authorization: `Bearer ${cast[who].token}` },
      });
      if (res.status !== 200) return '';
      const { files } = openDocx(new Uint8Array(await res.arrayBuffer()));
      return Object.values(files)
        .map((f) => new TextDecoder().decode(f))
        .join('\n');
    };
    const readers: Record<Who, { delegation: boolean; region: boolean }> = {
      southAfrica: { delegation: true, region: true },
      southAfrica2: { delegation: true, region: true },
      nigeria: { delegation: false, region: true },
      office: { delegation: true, region: true },
      france: { delegation: false, region: false },
      brazil: { delegation: false, region: false },
      workers: { delegation: false, region: false },
      observer: { delegation: false, region: false },
    };
    for (const [who, reads] of Object.entries(readers) as [Who, { delegation: boolean; region: boolean }][]) {
      const word = await packageText(who, 'export.docx?changes=tracked&comments=visible');
      expect(word.length, who).toBeGreaterThan(0);
      expect(word.includes('zzdelegationexportnote'), `${who} Word, delegation note`).toBe(reads.delegation);
      expect(word.includes('zzregionexportnote'), `${who} Word, region note`).toBe(reads.region);
      const compilation = await api<string>('GET', `/api/documents/${DOC}/compilation.html`, who);
      expect(compilation.text, who).not.toContain('zzdelegationexportnote');
      expect(compilation.text, who).not.toContain('zzregionexportnote');
    }
    // The archive, the Office's filed record, keeps public threads only.
    const archive = await packageText('office', 'archive.zip');
    expect(archive.length).toBeGreaterThan(0);
    expect(archive).not.toContain('zzdelegationexportnote');
    expect(archive).not.toContain('zzregionexportnote');
  });

  it('refuses circles the author is not in', async () => {
    expect((await thread('brazil', { visibility: 'region', region: 'AFRICA', body: 'x' })).status).toBe(403);
    expect((await thread('france', { visibility: 'region', body: 'x' })).status).toBe(403);
    expect((await thread('workers', { visibility: 'delegation', body: 'x' })).status).toBe(403);
    expect((await thread('office', { visibility: 'delegation', body: 'x' })).status).toBe(403);
    expect((await thread('observer', { visibility: 'delegation', body: 'x' })).status).toBe(403);
  });
});
