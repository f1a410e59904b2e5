import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import {
  buildCast,
  type Cast,
  call,
  consultationDocument,
  joinedSocket,
  type Person,
} from '../support/consultation.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team over HTTP: another group's ids on every route, and a scan of every readable answer for
 * material that must stay with its circle (a draft's words, a group-only thread). The Office reads a
 * group's draft (issue 13: "the Office sees all but delegation-only drafts until tabled") but acts on none;
 * a delegation's draft is its State's alone.
 */
const DOC = 'gb-999-redteam-http-1';
const DRAFT_WORDS = 'zzsecretdraftwords';
const DELEGATION_WORDS = 'zzdelegationonlywords';
const GROUP_BODY = 'zzsecretgroupthread';

let server: TestServer;
let cast: Cast;
let draftId: string;
let delegationDraftId: string;
let proposedId: string;
let groupThreadId: string;
let groupCommentId: string;

type Answer = AmendmentView & { error?: string; message?: string };
const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
  const draft = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
    sectionId: 'part-1',
    paragraph: 2,
    op: 'replace',
    find: 'justice sociale',
    text: DRAFT_WORDS,
    rationale: DRAFT_WORDS,
    draft: true,
  });
  expect(draft.status).toBe(201);
  draftId = draft.body.id;
  const delegation = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, cast.france, {
    sectionId: 'part-1',
    paragraph: 5,
    op: 'insert',
    find: 'la référence',
    text: ` ${DELEGATION_WORDS}`,
    rationale: DELEGATION_WORDS,
    draft: true,
    circle: 'delegation',
  });
  expect(delegation.status, delegation.text).toBe(201);
  delegationDraftId = delegation.body.id;
  const proposed = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'dialogue social',
    text: 'dialogue tripartite',
  });
  expect(proposed.status).toBe(201);
  proposedId = proposed.body.id;
  const thread = await api<{ id: string; comments: { id: string }[] }>(
    'POST',
    `/api/documents/${DOC}/threads`,
    cast.employers,
    {
      sectionId: 'part-1',
      paragraph: 4,
      amendmentId: proposedId,
      visibility: 'group',
      body: GROUP_BODY,
    },
  );
  expect(thread.status).toBe(201);
  groupThreadId = thread.body.id;
  groupCommentId = thread.body.comments[0]?.id ?? '';
  expect(groupCommentId).not.toBe('');
});

afterAll(async () => {
  await server.stop();
});

describe('red team: other groups’ ids on HTTP routes', () => {
  /** Every route that reads or acts on one amendment, for a draft of `words`. */
  const draftRoutes = (id: string, words: string) =>
    [
      ['GET', `/api/amendments/${id}`],
      ['GET', `/api/documents/${DOC}/amendments/${id}`],
      ['PATCH', `/api/amendments/${id}`, { text: 'volé' }],
      ['POST', `/api/amendments/${id}/table`],
      ['POST', `/api/amendments/${id}/support`],
      ['POST', `/api/amendments/${id}/oppose`],
      ['POST', `/api/amendments/${id}/cosponsor`],
      ['DELETE', `/api/amendments/${id}/cosponsor`],
      ['POST', `/api/amendments/${id}/withdraw`],
      ['POST', `/api/amendments/${id}/accept`],
      ['POST', `/api/amendments/${id}/reject`],
      ['POST', `/api/amendments/${id}/undo`],
      ['POST', `/api/amendments/${id}/rationale`, { rationale: 'x' }],
      [
        'POST',
        `/api/documents/${DOC}/amendments`,
        { sectionId: 'part-1', paragraph: 2, op: 'replace', find: words, text: 'sous', parentId: id },
      ],
      [
        'POST',
        `/api/documents/${DOC}/threads`,
        { sectionId: 'part-1', paragraph: 2, amendmentId: id, visibility: 'all', body: 'x' },
      ],
    ] as [string, string, unknown?][];

  it('another group cannot act on, or even see, a draft: every route answers 404 and nothing changes', async () => {
    const before = await server.store.amendments.get(draftId);
    const auditBefore = (await server.store.audit.all(DOC)).length;
    for (const who of [cast.workers, cast.france, cast.observer]) {
      for (const [method, path, body] of draftRoutes(draftId, DRAFT_WORDS)) {
        const res = await api(method, path, who, body);
        expect([403, 404], `${who.user.name} ${method} ${path} → ${res.status}`).toContain(res.status);
        if (method === 'GET') expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.text).not.toContain(DRAFT_WORDS);
      }
    }
    const bulk = await api<{ done: number }>('POST', `/api/documents/${DOC}/amendments/bulk`, cast.office, {
      action: 'accept',
      ids: [draftId],
    });
    expect(bulk.text).not.toContain(DRAFT_WORDS);
    expect(await server.store.amendments.get(draftId)).toEqual(before);
    expect((await server.store.audit.all(DOC)).length).toBe(auditBefore);
  });

  it('the Office reads a group’s draft but cannot table, decide, edit or discuss it; nothing changes', async () => {
    const before = await server.store.amendments.get(draftId);
    const auditBefore = (await server.store.audit.all(DOC)).length;
    for (const [method, path, body] of draftRoutes(draftId, DRAFT_WORDS)) {
      const res = await api(method, path, cast.office, body);
      if (method === 'GET') {
        expect(res.status, `${method} ${path}`).toBe(200);
        expect(res.text).toContain(DRAFT_WORDS);
      } else expect([403, 404, 409], `Office ${method} ${path} → ${res.status}`).toContain(res.status);
    }
    expect(await server.store.amendments.get(draftId)).toEqual(before);
    expect((await server.store.audit.all(DOC)).length).toBe(auditBefore);
  });

  it('a delegation’s draft: the Office, another State, another group and the observer get 404 everywhere', async () => {
    const before = await server.store.amendments.get(delegationDraftId);
    const auditBefore = (await server.store.audit.all(DOC)).length;
    for (const who of [cast.office, cast.southAfrica, cast.workers, cast.observer]) {
      for (const [method, path, body] of draftRoutes(delegationDraftId, DELEGATION_WORDS)) {
        const res = await api(method, path, who, body);
        expect([403, 404], `${who.user.name} ${method} ${path} → ${res.status}`).toContain(res.status);
        if (method === 'GET') expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.text).not.toContain(DELEGATION_WORDS);
      }
    }
    expect(await server.store.amendments.get(delegationDraftId)).toEqual(before);
    expect((await server.store.audit.all(DOC)).length).toBe(auditBefore);
    // France's own delegates read it.
    expect((await api('GET', `/api/amendments/${delegationDraftId}`, cast.france)).status).toBe(200);
  });

  it('another group cannot withdraw, re-word, undo or re-table a proposed amendment; a co-sponsor cannot either', async () => {
    expect((await api('POST', `/api/amendments/${proposedId}/cosponsor`, cast.france)).status).toBe(200);
    const before = await server.store.amendments.get(proposedId);
    for (const who of [cast.workers, cast.france, cast.observer]) {
      for (const [method, path, body] of [
        ['POST', `/api/amendments/${proposedId}/withdraw`],
        ['POST', `/api/amendments/${proposedId}/rationale`, { rationale: 'pris' }],
        ['PATCH', `/api/amendments/${proposedId}`, { text: 'pris' }],
        ['POST', `/api/amendments/${proposedId}/table`],
        ['POST', `/api/amendments/${proposedId}/undo`],
        ['POST', `/api/amendments/${proposedId}/accept`],
      ] as [string, string, unknown?][]) {
        const res = await api(method, path, who, body);
        expect([403, 404, 409], `${who.user.name} ${method} ${path} → ${res.status}`).toContain(res.status);
      }
    }
    expect(await server.store.amendments.get(proposedId)).toEqual(before);
  });

  it('a group-only thread: another group gets 404 on every route, nothing changes', async () => {
    const before = await server.store.threads.get(groupThreadId);
    for (const who of [cast.workers, cast.france, cast.observer]) {
      for (const [method, path, body] of [
        ['GET', `/api/threads/${groupThreadId}`],
        ['POST', `/api/threads/${groupThreadId}/replies`, { body: 'intrus' }],
        ['POST', `/api/threads/${groupThreadId}/resolve`],
        ['POST', `/api/threads/${groupThreadId}/reopen`],
        ['PATCH', `/api/comments/${groupCommentId}`, { body: 'intrus' }],
        ['DELETE', `/api/comments/${groupCommentId}`],
      ] as [string, string, unknown?][]) {
        const res = await api(method, path, who, body);
        expect(res.status, `${who.user.name} ${method} ${path}`).toBe(404);
        expect(res.text).not.toContain(GROUP_BODY);
      }
    }
    expect(await server.store.threads.get(groupThreadId)).toEqual(before);
  });

  it('no readable answer of another group or an observer carries a draft’s words, nor the Office’s a delegation’s draft or (outside the amendment lists) a group’s; none of another group carries a group-only thread', async () => {
    const version = await api<{ id: string }>('POST', `/api/documents/${DOC}/versions`, cast.office, { name: 'v1' });
    expect(version.status).toBe(201);
    const paths = [
      `/api/documents/${DOC}`,
      `/api/documents/${DOC}/content`,
      `/api/documents/${DOC}/sections/part-1`,
      `/api/documents/${DOC}/amendments`,
      `/api/documents/${DOC}/amendments?status=draft`,
      `/api/documents/${DOC}/amendments?paragraph=2`,
      `/api/documents/${DOC}/threads`,
      `/api/documents/${DOC}/threads?amendment=${proposedId}`,
      `/api/documents/${DOC}/threads?paragraph=4`,
      `/api/documents/${DOC}/unread`,
      `/api/documents/${DOC}/compare?from=${version.body.id}&to=live`,
      `/api/documents/${DOC}/versions`,
      `/api/documents/${DOC}/versions/${version.body.id}`,
      `/api/documents/${DOC}/akn.xml`,
      `/api/documents/${DOC}/compilation.html`,
      `/api/documents/${DOC}/corrections`,
      `/api/documents/${DOC}/rounds`,
      `/api/documents/${DOC}/desk`,
      `/api/documents/${DOC}/revised?include=pending`,
      `/api/documents/${DOC}/audit?limit=1000`,
      `/api/documents/${DOC}/audit.csv`,
    ];
    const unzip = async (path: string, who: Person) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${who.token}` } });
      if (res.status !== 200) return '';
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
      return Object.values(files)
        .map((f) => strFromU8(f))
        .join('\n');
    };
    // The amendment lists are where the Office reads groups' drafts; nothing else it reads or files
    // (audit, desk, revised text, exports) carries a draft's words.
    const officeReadsDrafts = (p: string) => p.startsWith(`/api/documents/${DOC}/amendments`);
    for (const who of [cast.workers, cast.france, cast.observer, cast.office]) {
      for (const p of paths) {
        const res = await api('GET', p, who);
        expect(res.status, `${who.user.name} ${p}`).toBeLessThan(500);
        if (who !== cast.office || !officeReadsDrafts(p))
          expect(res.text, `${who.user.name} ${p}`).not.toContain(DRAFT_WORDS);
        if (who !== cast.france) expect(res.text, `${who.user.name} ${p}`).not.toContain(DELEGATION_WORDS);
        if (who !== cast.office) expect(res.text, `${who.user.name} ${p}`).not.toContain(GROUP_BODY);
      }
      for (const p of [
        `/api/documents/${DOC}/export.docx?changes=tracked&comments=visible`,
        `/api/documents/${DOC}/compilation.docx`,
        `/api/documents/${DOC}/archive.zip`,
      ]) {
        const all = await unzip(p, who);
        expect(all, `${who.user.name} ${p}`).not.toContain(DRAFT_WORDS);
        expect(all, `${who.user.name} ${p}`).not.toContain(DELEGATION_WORDS);
        if (who !== cast.office) expect(all, `${who.user.name} ${p}`).not.toContain(GROUP_BODY);
      }
    }
    // The archive (the Office's filed record) keeps public threads only.
    expect(await unzip(`/api/documents/${DOC}/archive.zip`, cast.office)).not.toContain(GROUP_BODY);
  });

  it('socket.io: another group receives no event about a draft or a group-only thread', async () => {
    const spy = await joinedSocket(server, cast.workers, DOC);
    const own = await joinedSocket(server, cast.employers2, DOC);
    try {
      const d = await api<Answer>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
        sectionId: 'part-1',
        paragraph: 5,
        op: 'replace',
        find: 'restent',
        text: `${DRAFT_WORDS}2`,
        draft: true,
      });
      expect(d.status).toBe(201);
      expect(
        (await api('PATCH', `/api/amendments/${d.body.id}`, cast.employers, { rationale: DRAFT_WORDS })).status,
      ).toBe(200);
      expect(
        (await api('POST', `/api/threads/${groupThreadId}/replies`, cast.employers, { body: GROUP_BODY })).status,
      ).toBe(201);
      // Barrier: a public change reaches both sockets after the private ones.
      const marker = await api<{ id: string }>('POST', `/api/documents/${DOC}/threads`, cast.employers, {
        sectionId: 'part-1',
        paragraph: 1,
        visibility: 'all',
        body: 'zzbarrier',
      });
      expect(marker.status).toBe(201);
      const arrived = (events: { payload: unknown }[]) => JSON.stringify(events).includes('zzbarrier');
      const deadline = Date.now() + 5000;
      while (!(arrived(spy.events) && arrived(own.events)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(arrived(own.events)).toBe(true);
      expect(JSON.stringify(own.events)).toContain(GROUP_BODY);
      expect(JSON.stringify(spy.events)).not.toContain(DRAFT_WORDS);
      expect(JSON.stringify(spy.events)).not.toContain(GROUP_BODY);
      expect(JSON.stringify(spy.events)).not.toContain(d.body.id);
    } finally {
      spy.socket.disconnect();
      own.socket.disconnect();
    }
  });
});
