import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTextAnchor, plainTextOf, resolveAnchor } from '../../shared/anchors.js';
import { ClientEvent, type PresencePayload, ServerEvent } from '../../shared/events.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { Group, Role } from '../../shared/roles.js';
import type { Thread } from '../../shared/threads.js';
import { importDocument } from '../../server/commands/importDocument.js';
import type { ThreadView } from '../../server/presenters/thread.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { buildDocument } from '../support/fixtures.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-test-1';

interface Person {
  user: UserRecord;
  token: string;
}

interface Reply<T> {
  status: number;
  body: T;
}

/** A JSON call to the API; `token` null: signed out. */
async function call<T = ThreadView>(
  server: TestServer,
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  // State changes are JSON only, body-less actions included.
  if (body === undefined && method !== 'GET' && method !== 'DELETE') body = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The text node of a section's document that holds `words`. */
function textHolding(doc: Y.Doc, words: string): Y.XmlText {
  const walker = doc.getXmlFragment(SECTION_FRAGMENT).createTreeWalker((n) => n instanceof Y.XmlText);
  for (const node of walker) {
    if (node instanceof Y.XmlText && plainTextOf(node).includes(words)) return node;
  }
  throw new Error(`no text holds "${words}"`);
}

function anchorOn(doc: Y.Doc, words: string) {
  const text = textHolding(doc, words);
  const from = plainTextOf(text).indexOf(words);
  return createTextAnchor(text, from, from + words.length);
}

describe('comment threads', () => {
  let server: TestServer;
  let office: Person;
  let employers: Person;
  let workers: Person;
  let workers2: Person;
  let govFr: Person;
  let govZa: Person;
  let observer: Person;
  const cleanups: (() => void)[] = [];

  async function person(name: string, role: Role, group: Group | null, memberState: string | null = null) {
    const user = await buildUser(server.store, { name, role, group, memberState });
    return { user, token: await server.login(user) };
  }

  beforeAll(async () => {
    server = await startTestServer();
    office = await person('Claire Martin', 'secretariat', null);
    employers = await person('Renate Hornung', 'delegate', 'employers');
    workers = await person('Kwame Mensah', 'delegate', 'workers');
    workers2 = await person('Maria Rossi', 'delegate', 'workers');
    govFr = await person('Julien Moreau', 'delegate', 'government', 'France');
    govZa = await person('Thandiwe Nkosi', 'delegate', 'government', 'South Africa');
    observer = await person('Ana Sousa', 'observer', null);
  });

  afterAll(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  /** A fresh copy of the test document, so counts and lists of one test are not another's. */
  async function freshDocument(id: string): Promise<string> {
    await importDocument(server.store, buildDocument(id));
    return id;
  }

  function open(who: Person, body: Record<string, unknown>, documentId = DOC) {
    return call(server, 'POST', `/api/documents/${documentId}/threads`, who.token, {
      sectionId: 'part-1',
      paragraph: 1,
      body: 'Un commentaire.',
      ...body,
    });
  }

  async function opened(who: Person, body: Record<string, unknown> = {}, documentId = DOC): Promise<ThreadView> {
    const res = await open(who, body, documentId);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  /** A socket.io client that has joined the document (it has seen itself in the presence list). */
  async function socketOf(who: Person, documentId = DOC) {
    const socket: Socket = connect(server.url, {
      path: '/socket.io',
      auth: { token: who.token },
      transports: ['websocket'],
    });
    cleanups.push(() => socket.disconnect());
    const threads: Thread[] = [];
    socket.on(ServerEvent.ThreadChanged, (p: { thread: Thread }) => threads.push(p.thread));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const joined = new Promise<void>((resolve) => {
      socket.on(ServerEvent.Presence, (p: PresencePayload) => {
        if (p.documentId === documentId && p.people.some((x) => x.id === who.user.id)) resolve();
      });
    });
    socket.emit(ClientEvent.JoinDocument, { documentId });
    await joined;
    return { socket, threads };
  }

  describe('creating', () => {
    it('opens a thread on a paragraph, with its first comment, author and abilities', async () => {
      const thread = await opened(govFr, { body: 'Préciser la portée du paragraphe.' });
      expect(thread).toMatchObject({
        documentId: DOC,
        sectionId: 'part-1',
        paragraph: 1,
        anchor: null,
        amendmentId: null,
        visibility: 'all',
        group: null,
        resolved: false,
        abilities: { reply: true, resolve: true },
      });
      expect(thread.comments).toHaveLength(1);
      expect(thread.comments[0]).toMatchObject({
        authorId: govFr.user.id,
        authorName: 'Julien Moreau',
        authorRole: 'delegate',
        authorGroup: 'government',
        authorMemberState: 'France',
        body: 'Préciser la portée du paragraphe.',
        deleted: false,
        editedAt: null,
        abilities: { edit: true, delete: true },
      });
      const again = await call(server, 'GET', `/api/threads/${thread.id}`, employers.token);
      expect(again.status).toBe(200);
      expect(again.body.abilities).toEqual({ reply: true, resolve: false });
      expect(again.body.comments[0]?.abilities).toEqual({ edit: false, delete: false });
    });

    it('opens a thread on a text range taken from a stock y-websocket client’s copy of the section', async () => {
      const c = connectProvider(server.url, `${DOC}/part-1`, workers.token);
      cleanups.push(() => c.provider.destroy());
      await waitForSync(c.provider);
      const anchor = anchorOn(c.doc, 'paragraphe du texte');
      // Without a paragraph: the server finds it from the anchor, and quotes the text it holds.
      const res = await call(server, 'POST', `/api/documents/${DOC}/threads`, workers.token, {
        sectionId: 'part-1',
        anchor: { ...anchor, quote: 'anything' },
        body: 'Terme trop vague.',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.paragraph).toBe(1);
      expect(res.body.anchor).toEqual({ from: anchor.from, to: anchor.to, quote: 'paragraphe du texte' });
      expect(resolveAnchor(c.doc, res.body.anchor ?? anchor).text).toBe('paragraphe du texte');
    });

    it('opens a thread on an amendment, and filters by it', async () => {
      // A thread attaches only to an amendment that exists and that its author may see.
      const now = Date.now();
      await server.store.amendments.create({
        id: 'amd42amd42',
        documentId: DOC,
        sectionId: 'decision',
        paragraphs: [3],
        type: 'insert',
        originalText: '',
        proposedText: 'x',
        authorId: workers.user.id,
        authorName: workers.user.name,
        ownerKey: 'workers',
        group: 'workers',
        memberState: null,
        rationale: '',
        status: 'proposed',
        createdAt: now,
        updatedAt: now,
      });
      const thread = await opened(employers, { sectionId: 'decision', paragraph: undefined, amendmentId: 'amd42amd42' });
      expect(thread).toMatchObject({ sectionId: 'decision', paragraph: null, amendmentId: 'amd42amd42' });
      const list = await call<ThreadView[]>(
        server,
        'GET',
        `/api/documents/${DOC}/threads?amendment=amd42amd42`,
        office.token,
      );
      expect(list.body.map((t) => t.id)).toEqual([thread.id]);
      const bySection = await call<ThreadView[]>(
        server,
        'GET',
        `/api/documents/${DOC}/threads?section=decision`,
        office.token,
      );
      expect(bySection.body.every((t) => t.sectionId === 'decision')).toBe(true);
    });

    it('refuses what does not hold together with 400 (and an unknown document with 404)', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ sectionId: 'nope' }, /section/],
        [{ paragraph: 3 }, /paragraph 3/],
        [{ paragraph: undefined }, /Anchor the thread/],
        [{ anchor: { from: 'garbage!!', to: 'AAAA', quote: 'x' } }, /anchor\.from/],
        [{ anchor: { from: 'AQID', to: 'AQID', quote: 'x' } }, /anchor/],
        [{ body: '   ' }, /Write something/],
        [{ visibility: 'secret' }, /visibility/],
      ];
      for (const [body, message] of cases) {
        const res = await open(workers, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((res.body as unknown as { message: string }).message).toMatch(message);
      }
      const c = connectProvider(server.url, `${DOC}/decision`, workers.token);
      cleanups.push(() => c.provider.destroy());
      await waitForSync(c.provider);
      const elsewhere = anchorOn(c.doc, 'Directeur général');
      const wrongSection = await open(workers, { paragraph: undefined, anchor: elsewhere });
      expect(wrongSection.status).toBe(400);
      expect((await open(workers, {}, 'gb-000-nope')).status).toBe(404);
    });
  });

  describe('replies, edits and deletions', () => {
    it('replies; edits and deletes one’s own comments; refuses others’ with 403; the Office moderates', async () => {
      const thread = await opened(workers, { body: 'Premier.' });
      const reply = await call(server, 'POST', `/api/threads/${thread.id}/replies`, employers.token, {
        body: 'Réponse.',
      });
      expect(reply.status).toBe(201);
      expect(reply.body.comments.map((c) => c.body)).toEqual(['Premier.', 'Réponse.']);
      const [first, second] = reply.body.comments;
      if (!first || !second) throw new Error('two comments expected');

      const edited = await call(server, 'PATCH', `/api/comments/${second.id}`, employers.token, {
        body: 'Réponse revue.',
      });
      expect(edited.status).toBe(200);
      expect(edited.body.comments[1]).toMatchObject({ body: 'Réponse revue.', deleted: false });
      expect(edited.body.comments[1]?.editedAt).toEqual(expect.any(Number));

      expect((await call(server, 'PATCH', `/api/comments/${second.id}`, workers.token, { body: 'Non.' })).status).toBe(
        403,
      );
      expect((await call(server, 'PATCH', `/api/comments/${second.id}`, office.token, { body: 'Non.' })).status).toBe(
        403,
      );
      expect((await call(server, 'DELETE', `/api/comments/${first.id}`, employers.token)).status).toBe(403);

      const deleted = await call(server, 'DELETE', `/api/comments/${second.id}`, employers.token);
      expect(deleted.status).toBe(200);
      // The thread keeps its shape: the comment stays in place, emptied.
      expect(deleted.body.comments).toHaveLength(2);
      expect(deleted.body.comments[1]).toMatchObject({
        id: second.id,
        body: '',
        deleted: true,
        authorName: 'Renate Hornung',
      });
      const late = await call(server, 'PATCH', `/api/comments/${second.id}`, employers.token, { body: 'Retour.' });
      expect(late.status).toBe(409);
      // Coded, for the client to word it (issue 12 item 2).
      expect(late.body).toMatchObject({ error: 'comment_deleted', reason: { code: 'comment_deleted', params: {} } });

      const moderated = await call(server, 'DELETE', `/api/comments/${first.id}`, office.token);
      expect(moderated.status).toBe(200);
      expect(moderated.body.comments.map((c) => c.deleted)).toEqual([true, true]);
      const stored = await call(server, 'GET', `/api/threads/${thread.id}`, govFr.token);
      expect(stored.body.comments.map((c) => c.body)).toEqual(['', '']);
      expect((await call(server, 'DELETE', '/api/comments/nope', office.token)).status).toBe(404);
    });
  });

  describe('resolving', () => {
    it('lets the first author, their group and the Office resolve and reopen; nobody else', async () => {
      const thread = await opened(workers);
      const resolve = (who: Person, action = 'resolve') =>
        call(server, 'POST', `/api/threads/${thread.id}/${action}`, who.token);
      expect((await resolve(employers)).status).toBe(403);
      expect((await resolve(govFr)).status).toBe(403);
      expect((await resolve(observer)).status).toBe(403);
      const byGroup = await resolve(workers2);
      expect(byGroup.status).toBe(200);
      expect(byGroup.body.resolved).toBe(true);
      expect((await resolve(employers, 'reopen')).status).toBe(403);
      const byOffice = await resolve(office, 'reopen');
      expect(byOffice.body.resolved).toBe(false);
      expect((await resolve(workers)).body.resolved).toBe(true);
      const list = await call<ThreadView[]>(server, 'GET', `/api/documents/${DOC}/threads?resolved=true`, govZa.token);
      expect(list.body.map((t) => t.id)).toContain(thread.id);
      expect(list.body.every((t) => t.resolved)).toBe(true);

      // Governments are one group: another State's delegate may resolve a government thread.
      const fr = await opened(govFr);
      expect((await call(server, 'POST', `/api/threads/${fr.id}/resolve`, govZa.token)).status).toBe(200);
    });
  });

  describe('group-only threads', () => {
    it('never reach another group over HTTP: not in the list, 404 on the thread, its comments and actions', async () => {
      const secret = await opened(workers, { visibility: 'group', body: 'Entre nous : position de repli.' });
      expect(secret).toMatchObject({ visibility: 'group', group: 'workers' });
      for (const outsider of [employers, govFr, observer]) {
        const list = await call<ThreadView[]>(server, 'GET', `/api/documents/${DOC}/threads`, outsider.token);
        expect(list.body.map((t) => t.id)).not.toContain(secret.id);
        expect(JSON.stringify(list.body)).not.toContain('position de repli');
        const comment = secret.comments[0]?.id ?? '';
        const attempts = [
          call(server, 'GET', `/api/threads/${secret.id}`, outsider.token),
          call(server, 'POST', `/api/threads/${secret.id}/replies`, outsider.token, { body: 'x' }),
          call(server, 'POST', `/api/threads/${secret.id}/resolve`, outsider.token),
          call(server, 'PATCH', `/api/comments/${comment}`, outsider.token, { body: 'x' }),
          call(server, 'DELETE', `/api/comments/${comment}`, outsider.token),
        ];
        for (const res of await Promise.all(attempts)) {
          expect(res.status).toBe(404);
          expect(JSON.stringify(res.body)).not.toContain('repli');
        }
      }
      for (const insider of [workers2, office]) {
        expect((await call(server, 'GET', `/api/threads/${secret.id}`, insider.token)).status).toBe(200);
      }
      // The Office's own group-only notes are the Office's alone.
      const officeNote = await opened(office, { visibility: 'group', body: 'Note interne du Bureau.' });
      expect(officeNote.group).toBeNull();
      expect((await call(server, 'GET', `/api/threads/${officeNote.id}`, workers.token)).status).toBe(404);
      expect((await call(server, 'GET', `/api/threads/${officeNote.id}`, office.token)).status).toBe(200);
    });

    it('never reach another group’s sockets, while the group and the Office get them live', async () => {
      const [emp, wrk, off, obs] = await Promise.all([
        socketOf(employers),
        socketOf(workers2),
        socketOf(office),
        socketOf(observer),
      ]);
      const started = Date.now();
      const secret = await opened(workers, { visibility: 'group', body: 'Privé.' });
      const officeNote = await opened(office, { visibility: 'group', body: 'Bureau seulement.' });
      // Sent after: once a socket has it, it would have had the private ones already.
      const sentinel = await opened(workers, { body: 'Public.' });
      await eventually(() => {
        for (const s of [emp, wrk, off, obs]) expect(s.threads.map((t) => t.id)).toContain(sentinel.id);
      }, 1000);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(emp.threads.map((t) => t.id)).not.toContain(secret.id);
      expect(obs.threads.map((t) => t.id)).not.toContain(secret.id);
      expect(wrk.threads.map((t) => t.id)).toEqual([secret.id, sentinel.id]);
      expect(off.threads.map((t) => t.id)).toEqual([secret.id, officeNote.id, sentinel.id]);
      for (const s of [emp, wrk, obs]) expect(s.threads.map((t) => t.id)).not.toContain(officeNote.id);

      // Every change is pushed again, to the same audience, within a second.
      const reply = await call(server, 'POST', `/api/threads/${secret.id}/replies`, office.token, { body: 'Vu.' });
      expect(reply.status).toBe(201);
      await call(server, 'POST', `/api/threads/${sentinel.id}/resolve`, workers.token);
      await eventually(() => {
        for (const s of [emp, wrk, off, obs]) expect(s.threads.filter((t) => t.id === sentinel.id)).toHaveLength(2);
      }, 1000);
      expect(
        wrk.threads
          .filter((t) => t.id === secret.id)
          .at(-1)
          ?.comments.map((c) => c.body),
      ).toEqual(['Privé.', 'Vu.']);
      expect(emp.threads.map((t) => t.id)).not.toContain(secret.id);
      expect(emp.threads.at(-1)).toMatchObject({ id: sentinel.id, resolved: true });
    });
  });

  describe('observers and signed-out callers', () => {
    it('lets observers read public threads and refuses every write with 403', async () => {
      const thread = await opened(workers);
      const comment = thread.comments[0]?.id ?? '';
      const list = await call<ThreadView[]>(server, 'GET', `/api/documents/${DOC}/threads`, observer.token);
      expect(list.status).toBe(200);
      const seen = list.body.find((t) => t.id === thread.id);
      expect(seen?.abilities).toEqual({ reply: false, resolve: false });
      expect((await call(server, 'GET', `/api/threads/${thread.id}`, observer.token)).status).toBe(200);
      const writes = [
        open(observer, {}),
        open(observer, { visibility: 'group' }),
        call(server, 'POST', `/api/threads/${thread.id}/replies`, observer.token, { body: 'x' }),
        call(server, 'POST', `/api/threads/${thread.id}/resolve`, observer.token),
        call(server, 'POST', `/api/threads/${thread.id}/reopen`, observer.token),
        call(server, 'PATCH', `/api/comments/${comment}`, observer.token, { body: 'x' }),
        call(server, 'DELETE', `/api/comments/${comment}`, observer.token),
      ];
      for (const res of await Promise.all(writes)) expect(res.status).toBe(403);
    });

    it('answers 401 to every thread endpoint without a session', async () => {
      const thread = await opened(workers);
      const comment = thread.comments[0]?.id ?? '';
      const calls: [string, string][] = [
        ['GET', `/api/documents/${DOC}/threads`],
        ['POST', `/api/documents/${DOC}/threads`],
        ['GET', `/api/threads/${thread.id}`],
        ['POST', `/api/threads/${thread.id}/replies`],
        ['POST', `/api/threads/${thread.id}/resolve`],
        ['POST', `/api/threads/${thread.id}/reopen`],
        ['PATCH', `/api/comments/${comment}`],
        ['DELETE', `/api/comments/${comment}`],
        ['GET', `/api/documents/${DOC}/unread`],
        ['POST', `/api/documents/${DOC}/sections/part-1/read`],
      ];
      for (const [method, url] of calls) {
        const body = method === 'POST' || method === 'PATCH' ? { body: 'x' } : undefined;
        expect((await call(server, method, url, null, body)).status, `${method} ${url}`).toBe(401);
      }
    });
  });

  describe('unread counts', () => {
    it('counts visible comments newer than the last read of each section, not one’s own', async () => {
      const doc = await freshDocument('gb-999-unread-1');
      const unread = async (who: Person) =>
        (await call<Record<string, number>>(server, 'GET', `/api/documents/${doc}/unread`, who.token)).body;
      const markRead = (who: Person, section: string) =>
        call(server, 'POST', `/api/documents/${doc}/sections/${section}/read`, who.token);

      expect(await unread(employers)).toEqual({ 'part-1': 0, decision: 0 });
      const thread = await opened(workers, {}, doc);
      await opened(workers, { sectionId: 'decision', paragraph: 3 }, doc);
      await opened(workers, { visibility: 'group' }, doc);
      expect(await unread(employers)).toEqual({ 'part-1': 1, decision: 1 });
      expect(await unread(workers2)).toEqual({ 'part-1': 2, decision: 1 });
      expect(await unread(office)).toEqual({ 'part-1': 2, decision: 1 });
      expect(await unread(workers)).toEqual({ 'part-1': 0, decision: 0 });

      expect((await markRead(employers, 'part-1')).status).toBe(200);
      expect(await unread(employers)).toEqual({ 'part-1': 0, decision: 1 });
      await call(server, 'POST', `/api/threads/${thread.id}/replies`, govFr.token, { body: 'Nouveau.' });
      await call(server, 'POST', `/api/threads/${thread.id}/replies`, employers.token, { body: 'Le mien.' });
      expect(await unread(employers)).toEqual({ 'part-1': 1, decision: 1 });
      expect(await unread(observer)).toEqual({ 'part-1': 3, decision: 1 });
      expect((await markRead(observer, 'part-1')).status).toBe(200);
      expect(await unread(observer)).toEqual({ 'part-1': 0, decision: 1 });
      expect((await markRead(employers, 'nope')).status).toBe(404);
    });
  });

  describe('permission matrix', () => {
    type Actor = 'office' | 'employers' | 'workers' | 'gov-France' | 'observer' | 'signed-out';
    type Action =
      | 'comment public'
      | 'comment group-only'
      | 'reply'
      | 'edit own'
      | "edit other's"
      | 'delete own'
      | "delete other's"
      | 'resolve'
      | 'reopen'
      | 'read group-only thread';
    const ACTORS: Actor[] = ['office', 'employers', 'workers', 'gov-France', 'observer', 'signed-out'];
    const W = 'allowed';
    const R = 'refused';
    const H = 'hidden';
    const A = 'unauthenticated';
    /** Rows: actions; columns as in ACTORS. n/a: an observer has no comment of its own. */
    const EXPECTED: Record<Action, string[]> = {
      'comment public': [W, W, W, W, R, A],
      'comment group-only': [W, W, W, W, R, A],
      reply: [W, W, W, W, R, A],
      'edit own': [W, W, W, W, 'n/a', A],
      "edit other's": [R, R, R, R, R, A],
      'delete own': [W, W, W, W, 'n/a', A],
      "delete other's": [W, R, R, R, R, A],
      // On a thread opened by another member of the Workers' group.
      resolve: [W, R, W, R, R, A],
      reopen: [W, R, W, R, R, A],
      // A Workers' group-only thread.
      'read group-only thread': [W, H, W, H, H, A],
    };

    function outcome(status: number): string {
      if (status === 200 || status === 201) return W;
      if (status === 403) return R;
      if (status === 404) return H;
      if (status === 401) return A;
      return `status ${status}`;
    }

    it('allows and refuses each thread action per role', async () => {
      const doc = await freshDocument('gb-999-matrix');
      const people: Record<Actor, Person | null> = {
        office,
        employers,
        workers: workers2,
        'gov-France': govFr,
        observer,
        'signed-out': null,
      };
      const author = workers; // a Workers' member other than the one acting

      async function attempt(action: Action, actor: Actor): Promise<string> {
        const who = people[actor];
        const token = who?.token ?? null;
        const writer = who && who.user.role !== 'observer' ? who : null;
        switch (action) {
          case 'comment public':
          case 'comment group-only': {
            const visibility = action === 'comment public' ? 'all' : 'group';
            const res = await call(server, 'POST', `/api/documents/${doc}/threads`, token, {
              sectionId: 'part-1',
              paragraph: 2,
              visibility,
              body: 'x',
            });
            return outcome(res.status);
          }
          case 'reply': {
            const t = await opened(author, {}, doc);
            return outcome((await call(server, 'POST', `/api/threads/${t.id}/replies`, token, { body: 'x' })).status);
          }
          case 'edit own':
          case 'delete own': {
            if (actor === 'observer') return 'n/a';
            const t = await opened(writer ?? author, {}, doc);
            const id = t.comments[0]?.id;
            const res =
              action === 'edit own'
                ? await call(server, 'PATCH', `/api/comments/${id}`, token, { body: 'y' })
                : await call(server, 'DELETE', `/api/comments/${id}`, token);
            return outcome(res.status);
          }
          case "edit other's":
          case "delete other's": {
            const t = await opened(author, {}, doc);
            const id = t.comments[0]?.id;
            const res =
              action === "edit other's"
                ? await call(server, 'PATCH', `/api/comments/${id}`, token, { body: 'y' })
                : await call(server, 'DELETE', `/api/comments/${id}`, token);
            return outcome(res.status);
          }
          case 'resolve':
          case 'reopen': {
            const t = await opened(author, {}, doc);
            if (action === 'reopen') await call(server, 'POST', `/api/threads/${t.id}/resolve`, author.token);
            return outcome((await call(server, 'POST', `/api/threads/${t.id}/${action}`, token)).status);
          }
          case 'read group-only thread': {
            const t = await opened(author, { visibility: 'group' }, doc);
            return outcome((await call(server, 'GET', `/api/threads/${t.id}`, token)).status);
          }
        }
      }

      const actual = {} as Record<Action, string[]>;
      for (const action of Object.keys(EXPECTED) as Action[]) {
        actual[action] = [];
        for (const actor of ACTORS) actual[action].push(await attempt(action, actor));
      }
      expect(actual).toEqual(EXPECTED);
    });
  });
});

describe('anchors across a restart', () => {
  it('resolves to the same text after concurrent edits and a restart on the same data', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-threads-'));
    const providers: { destroy(): void }[] = [];
    try {
      let server = await startTestServer({ dataDir });
      const officeUser = await buildUser(server.store, { role: 'secretariat', group: null, name: 'Office' });
      const delegate = await buildUser(server.store, { role: 'delegate', group: 'employers', name: 'Employer' });
      let officeToken = await server.login(officeUser);
      let delegateToken = await server.login(delegate);

      const a = connectProvider(server.url, `${DOC}/part-1`, officeToken);
      const b = connectProvider(server.url, `${DOC}/part-1`, officeToken);
      providers.push(a.provider, b.provider);
      await Promise.all([waitForSync(a.provider), waitForSync(b.provider)]);
      const anchor = anchorOn(a.doc, 'paragraphe du texte');
      const created = await call(server, 'POST', `/api/documents/${DOC}/threads`, delegateToken, {
        sectionId: 'part-1',
        anchor,
        body: 'Sur ces mots.',
      });
      expect(created.status).toBe(201);
      const threadId = created.body.id;

      // Two editors type at once: before the range, inside it, and right after it.
      const ta = textHolding(a.doc, 'Premier paragraphe');
      const tb = textHolding(b.doc, 'Premier paragraphe');
      const start = plainTextOf(ta).indexOf('paragraphe du texte');
      ta.insert(0, 'Très ');
      tb.insert(start + 'paragraphe du texte'.length, ' initial');
      tb.insert(start + 'paragraphe'.length, ' central');
      const expected = 'paragraphe central du texte';
      await eventually(() => {
        expect(plainTextOf(textHolding(a.doc, 'Très'))).toBe('Très Premier paragraphe central du texte initial.');
        expect(plainTextOf(textHolding(b.doc, 'Très'))).toBe(plainTextOf(textHolding(a.doc, 'Très')));
      });
      await eventually(async () => {
        const text = await server.services.collab.withSectionDoc(
          DOC,
          'part-1',
          (room) => resolveAnchor(room.doc, anchor).text,
        );
        expect(text).toBe(expected);
      });
      for (const p of providers.splice(0)) p.destroy();
      await server.stop({ keepData: true });

      server = await startTestServer({ dataDir });
      try {
        officeToken = await server.login(officeUser);
        delegateToken = await server.login(delegate);
        const stored = await call(server, 'GET', `/api/threads/${threadId}`, delegateToken);
        expect(stored.status).toBe(200);
        const storedAnchor = stored.body.anchor;
        expect(storedAnchor).toEqual({ ...anchor, quote: 'paragraphe du texte' });
        if (!storedAnchor) return;
        const reloaded = await server.services.collab.withSectionDoc(DOC, 'part-1', (room) =>
          resolveAnchor(room.doc, storedAnchor),
        );
        expect(reloaded).toMatchObject({ state: 'live', text: expected });

        // After the restart, a fresh client edits again and still finds the range.
        const c = connectProvider(server.url, `${DOC}/part-1`, officeToken);
        providers.push(c.provider);
        await waitForSync(c.provider);
        textHolding(c.doc, 'Très').insert(0, 'Enfin, ');
        expect(resolveAnchor(c.doc, storedAnchor).text).toBe(expected);
        await eventually(async () => {
          const text = await server.services.collab.withSectionDoc(DOC, 'part-1', (room) => {
            expect(plainTextOf(textHolding(room.doc, 'Enfin'))).toContain('Enfin, Très');
            return resolveAnchor(room.doc, storedAnchor).text;
          });
          expect(text).toBe(expected);
        });

        // Deleting the words leaves the thread in place, "on deleted text".
        const t = textHolding(c.doc, 'Enfin');
        const at = plainTextOf(t).indexOf(expected);
        t.delete(at, expected.length);
        expect(resolveAnchor(c.doc, storedAnchor).state).toBe('deleted');
        const still = await call(server, 'GET', `/api/threads/${threadId}`, delegateToken);
        expect(still.body.anchor?.quote).toBe('paragraphe du texte');
      } finally {
        for (const p of providers.splice(0)) p.destroy();
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
