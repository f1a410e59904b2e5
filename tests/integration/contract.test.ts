import { readFile } from 'node:fs/promises';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  type RouteName,
  type RouteSpec,
  type Routes,
  fillPath,
  isFileAnswer,
  routes,
} from '../../shared/contract/index.js';
import { clientEvents, serverEvents } from '../../shared/contract/events.js';
import { ClientEvent, ServerEvent } from '../../shared/events.js';
import { Router } from '../../server/http/router.js';
import { registerRoutes } from '../../server/routes/index.js';
import { SEED_FILE } from '../../server/commands/demo.js';
import { type Cast, type Person, buildCast, consultationDocument, joinedSocket } from '../support/consultation.js';
import { TEST_PASSWORD, buildUser } from '../support/fixtures.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';
import { docxLibraryFile } from '../support/wordFixtures.js';

/**
 * The API contract, proved against the real server: every route of shared/contract is called as a role
 * that may call it, and its real answer must pass the route's response schema without losing a field;
 * every route the server registers must be in the table; every socket.io event that flows meanwhile must
 * pass its event schema.
 */

const DOC = 'gb-999-contract-1';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let server: TestServer;
let cast: Cast;
const sockets: { socket: Socket; events: { name: string; payload: unknown }[] }[] = [];
const called = new Set<RouteName>();

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
  for (const who of [cast.office, cast.employers, cast.france, cast.observer]) {
    sockets.push(await joinedSocket(server, who, DOC));
  }
});

afterAll(async () => {
  for (const { socket } of sockets) socket.disconnect();
  await server.stop();
});

interface Call<S extends RouteSpec> {
  who: Person | null;
  params?: z.input<NonNullable<S['params']>>;
  query?: Record<string, string>;
  body?: unknown;
  /** Raw bytes for an upload route. */
  upload?: Uint8Array;
}

/**
 * Calls a route of the table as `who` and checks its answer against the route's schema: the status the
 * contract names, and a body the response schema parses to exactly itself (no unknown or missing field).
 */
async function hit<N extends RouteName>(name: N, call: Call<Routes[N]>): Promise<unknown> {
  const spec: RouteSpec = routes[name];
  called.add(name);
  const path = fillPath(spec.path, call.params as Record<string, string> | undefined);
  const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
  const headers: Record<string, string> = { 'user-agent': 'concord-contract-test' };
  if (call.who) headers.authorization = `Bearer ${call.who.token}`;
  let body: BodyInit | undefined;
  if (call.upload) {
    headers['content-type'] = DOCX;
    headers['x-file-name'] = 'amendements.docx';
    body = Buffer.from(call.upload);
  } else if (spec.method !== 'GET') {
    const json = call.body ?? {};
    if (spec.request && spec.request !== 'upload') {
      // The test speaks the contract too: what it sends must pass the request schema.
      expect(spec.request.safeParse(json).success, `${name}: request ${JSON.stringify(json)}`).toBe(true);
    }
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  }
  const res = await fetch(`${server.url}${path}${query}`, { method: spec.method, headers, body });
  const text = await res.text();
  expect(res.status, `${spec.method} ${path}${query}: ${text.slice(0, 300)}`).toBe(spec.status ?? 200);
  if (isFileAnswer(spec.response)) {
    expect(res.headers.get('content-type') ?? '', name).toContain(spec.response.file);
    return text;
  }
  const json: unknown = JSON.parse(text);
  const parsed = spec.response.safeParse(json);
  if (!parsed.success) throw new Error(`${name}: the answer does not pass its schema: ${parsed.error.message}`);
  // A field the schema does not know would be stripped: the answer must be exactly what the contract says.
  expect(parsed.data, `${name}: fields outside the contract`).toEqual(json);
  return parsed.data;
}

const idOf = (body: unknown) => (body as { id: string }).id;

describe('the API contract', () => {
  it('registers every server route from the table, and every table route on the server', () => {
    const router = new Router();
    registerRoutes(router, server.services);
    const table = new Map(Object.values(routes).map((spec) => [`${spec.method} ${spec.path}`, spec]));
    const registered = router.list().map((r) => `${r.method} /${r.parts.join('/')}`);
    const outside = router
      .list()
      .filter((r) => r.spec === null || table.get(`${r.method} /${r.parts.join('/')}`) !== r.spec);
    expect(
      outside.map((r) => `${r.method} /${r.parts.join('/')}`),
      'routes without a contract entry',
    ).toEqual([]);
    expect(
      [...table.keys()].filter((k) => !registered.includes(k)),
      'contract entries with no route',
    ).toEqual([]);
    expect(new Set(registered).size, 'a route registered twice').toBe(registered.length);
  });

  // Every route of the API in one test (scrypt included, for accounts): more than the default time.
  it('answers every route with a body that passes its response schema', async () => {
    const d = { documentId: DOC };
    const { office, employers, workers, france, southAfrica, observer } = cast;

    // Session: a fresh sign-in, whose token signs out at the very end (with a socket, for session:ended).
    const observer2 = await buildUser(server.store, { username: 'contract-observer', role: 'observer', group: null });
    const session = (await hit('signIn', {
      who: null,
      body: { username: observer2.username, password: TEST_PASSWORD },
    })) as { token: string };
    const leaving = await joinedSocket(server, { user: observer2, token: session.token }, DOC);
    sockets.push(leaving);
    await hit('me', { who: france });
    await hit('currentSession', { who: france });
    await hit('currentSession', { who: null });
    await hit('regionalGroups', { who: observer });
    await hit('signInAudit', { who: office, query: { limit: '10' } });

    await hit('documents', { who: observer });
    await hit('document', { who: france, params: d });
    await hit('section', { who: observer, params: { documentId: DOC, sectionId: 'part-1' } });
    await hit('content', { who: observer, params: d });
    await hit('visitSection', { who: france, params: { documentId: DOC, sectionId: 'part-1' }, body: {} });

    const now = Date.now();
    const round = await hit('openRound', {
      who: office,
      params: d,
      body: { amendmentDeadline: now + 3600_000, subAmendmentDeadline: now + 7200_000 },
    });
    await hit('rounds', { who: observer, params: d });
    await hit('currentRound', { who: employers, params: d });
    await hit('round', { who: observer, params: { id: idOf(round) } });

    const form = (paragraph: number, find: string, text: string, extra: object = {}) => ({
      sectionId: 'part-1',
      paragraph,
      op: 'replace',
      find,
      text,
      rationale: 'Pour la clarté.',
      ...extra,
    });
    const a1 = idOf(
      await hit('createAmendment', {
        who: france,
        params: d,
        body: form(2, 'justice sociale', 'justice sociale et l’équité'),
      }),
    );
    const a2 = idOf(
      await hit('createAmendment', {
        who: employers,
        params: d,
        body: form(4, 'dialogue social', 'dialogue tripartite'),
      }),
    );
    const a3 = idOf(
      await hit('createAmendment', { who: workers, params: d, body: form(7, 'compétences nouvelles', 'compétences') }),
    );
    const a4 = idOf(
      await hit('createAmendment', { who: workers, params: d, body: form(8, 'reste stable', 'augmente') }),
    );
    const a5 = idOf(await hit('createAmendment', { who: southAfrica, params: d, body: form(1, 'soutient', 'appuie') }));
    const d1 = idOf(
      await hit('createAmendment', {
        who: employers,
        params: d,
        body: form(5, 'la référence', 'le socle', { draft: true }),
      }),
    );
    const d2 = idOf(
      await hit('createAmendment', { who: workers, params: d, body: form(6, 'période biennale', 'période') }),
    );

    await hit('amendments', { who: observer, params: d, query: { section: 'part-1' } });
    await hit('documentAmendment', { who: observer, params: { documentId: DOC, id: a1 } });
    await hit('amendment', { who: employers, params: { id: d1 } });

    await hit('support', { who: employers, params: { id: a1 } });
    await hit('supportInDocument', { who: workers, params: { documentId: DOC, id: a1 } });
    await hit('oppose', { who: workers, params: { id: a2 } });
    await hit('opposeInDocument', { who: france, params: { documentId: DOC, id: a2 } });
    await hit('cosponsor', { who: workers, params: { id: a1 } });
    await hit('uncosponsor', { who: workers, params: { id: a1 } });
    await hit('cosponsorInDocument', { who: employers, params: { documentId: DOC, id: a1 } });
    await hit('uncosponsorInDocument', { who: employers, params: { documentId: DOC, id: a1 } });
    await hit('second', { who: employers, params: { id: a1 } });
    await hit('secondInDocument', { who: france, params: { documentId: DOC, id: a5 } });
    await hit('rationale', { who: france, params: { id: a1 }, body: { rationale: 'Plus juste.' } });
    await hit('rationaleInDocument', {
      who: france,
      params: { documentId: DOC, id: a1 },
      body: { rationale: 'Plus clair.' },
    });

    await hit('editDraft', { who: employers, params: { id: d1 }, body: { rationale: 'Révisé.' } });
    await hit('editDraftInDocument', {
      who: employers,
      params: { documentId: DOC, id: d1 },
      body: { text: 'le fondement' },
    });
    await hit('table', { who: employers, params: { id: d1 } });
    await hit('withdraw', { who: employers, params: { id: a2 } });
    await hit('undo', { who: employers, params: { id: a2 } });
    await hit('withdrawInDocument', { who: employers, params: { documentId: DOC, id: a2 } });
    await hit('undoInDocument', { who: employers, params: { documentId: DOC, id: a2 } });
    await hit('reject', { who: office, params: { id: d1 } });
    await hit('rejectInDocument', { who: office, params: { documentId: DOC, id: d2 } });
    await hit('accept', { who: office, params: { id: a3 }, body: { text: 'compétences adaptées' } });
    await hit('acceptInDocument', { who: office, params: { documentId: DOC, id: a4 } });
    await hit('bulk', { who: office, params: d, body: { action: 'reject', ids: [a5] } });

    // A draft tabled through its in-document path.
    const d3 = idOf(
      await hit('createAmendment', {
        who: workers,
        params: d,
        body: form(3, 'se répètent ici', 'se répètent', { draft: true }),
      }),
    );
    await hit('tableInDocument', { who: workers, params: { documentId: DOC, id: d3 } });

    const thread = await hit('createThread', {
      who: france,
      params: d,
      body: { sectionId: 'part-1', paragraph: 2, visibility: 'all', body: 'Une question.' },
    });
    const threadId = idOf(thread);
    await hit('threads', { who: observer, params: d, query: { section: 'part-1' } });
    await hit('thread', { who: employers, params: { id: threadId } });
    const replied = (await hit('reply', {
      who: employers,
      params: { id: threadId },
      body: { body: 'Une réponse.' },
    })) as {
      comments: { id: string }[];
    };
    await hit('resolve', { who: france, params: { id: threadId } });
    await hit('reopen', { who: france, params: { id: threadId } });
    await hit('editComment', {
      who: france,
      params: { id: replied.comments[0]?.id ?? '' },
      body: { body: 'Une question précise.' },
    });
    await hit('deleteComment', { who: employers, params: { id: replied.comments[1]?.id ?? '' } });
    await hit('unread', { who: office, params: d });
    await hit('markRead', { who: office, params: { documentId: DOC, sectionId: 'part-1' } });
    await hit('whatsNew', { who: france, params: d });
    await hit('documentOverview', { who: employers });
    await hit('recentDecisions', { who: office, params: d });

    await hit('desk', { who: office, params: d, query: { pendingOnly: 'false' } });
    await hit('revised', { who: office, params: d, query: { include: 'pending' } });
    await hit('audit', { who: office, params: d, query: { limit: '50' } });
    await hit('auditCsv', { who: office, params: d });
    await hit('corrections', { who: observer, params: d });

    const version = await hit('createVersion', { who: office, params: d, body: { name: 'Avant la séance' } });
    await hit('versions', { who: observer, params: d });
    await hit('version', { who: observer, params: { documentId: DOC, versionId: idOf(version) } });
    await hit('compare', { who: observer, params: d, query: { from: idOf(version), to: 'live' } });

    const file = await docxLibraryFile([
      {
        pieces: [
          '9.\tLe Conseil d’administration prie le Directeur général de prendre en compte ',
          { ins: 'toutes ' },
          'les orientations.',
        ],
      },
    ]);
    const preview = await hit('importDocx', { who: france, params: d, upload: file });
    const importId = idOf(preview);
    await hit('importPreview', { who: france, params: { importId } });
    await hit('tableImport', { who: france, params: { importId }, body: { amendments: ['r1'] } });

    await hit('exportDocx', { who: observer, params: d, query: { changes: 'tracked' } });
    await hit('compilationDocx', { who: employers, params: d });
    await hit('compilationHtml', { who: employers, params: d });
    await hit('akn', { who: office, params: d });
    await hit('archive', { who: office, params: d });

    await hit('closeRound', { who: office, params: { id: idOf(round) }, body: { name: 'Fin du tour' } });
    const openApi = (await hit('openapi', { who: null })) as { paths: Record<string, Record<string, unknown>> };
    for (const spec of Object.values(routes)) {
      const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(openApi.paths[path]?.[spec.method.toLowerCase()], `openapi.json: ${spec.method} ${path}`).toBeDefined();
    }
    // The Office's participants screen, and a one-time link's sign-in.
    await hit('accounts', { who: office });
    await hit('accountAudit', { who: office, query: { limit: '10' } });
    const created = (await hit('createAccount', {
      who: office,
      body: { username: 'contract-ng', name: 'Ngozi Okafor', role: 'delegate', group: 'government', memberState: 'NG' },
    })) as { account: { id: string } };
    const account = { id: created.account.id };
    await hit('updateAccount', { who: office, params: account, body: { name: 'Ngozi A. Okafor' } });
    await hit('resetPassword', { who: office, params: account });
    const link = (await hit('createSignInLink', { who: office, params: account })) as { path: string };
    await hit('linkSignIn', { who: null, body: { token: link.path.slice(link.path.indexOf('#') + 1) } });

    const gbText = (await readFile(SEED_FILE, 'utf8')).replaceAll('GB.346/PFA/1', 'GB.347/PFA/2');
    await hit('previewDocumentImport', { who: office, body: { text: gbText } });
    await hit('publishDocumentImport', { who: office, body: { text: gbText, language: 'fr' } });

    await hit('signOut', { who: { user: observer2, token: session.token } });

    const missing = (Object.keys(routes) as RouteName[]).filter((name) => !called.has(name));
    expect(missing, 'routes the contract test did not call').toEqual([]);
  }, 120_000);

  it('sends socket.io events that pass their schemas', async () => {
    const [officeSocket, , , observerSocket] = sockets;
    if (!officeSocket || !observerSocket) throw new Error('sockets missing');
    // Client events, valid by their own schemas; the Office presents, an observer may not (app:error).
    const start = { documentId: DOC };
    const position = { documentId: DOC, sectionId: 'part-1', paragraph: 2 };
    expect(clientEvents[ClientEvent.PresenterStart].safeParse(start).success).toBe(true);
    expect(clientEvents[ClientEvent.PresenterPosition].safeParse(position).success).toBe(true);
    officeSocket.socket.emit(ClientEvent.PresenterStart, start);
    observerSocket.socket.emit(ClientEvent.PresenterStart, start);
    // Positions are volatile: sent once the room has heard that the Office presents.
    await eventually(() => {
      const presenting = observerSocket.events.some(
        (e) => e.name === ServerEvent.PresenterState && (e.payload as { presenter: unknown }).presenter !== null,
      );
      expect(presenting).toBe(true);
    });
    officeSocket.socket.emit(ClientEvent.PresenterPosition, position);

    const expected = [
      ServerEvent.Presence,
      ServerEvent.AmendmentChanged,
      ServerEvent.DraftChanged,
      ServerEvent.ThreadChanged,
      ServerEvent.RoundChanged,
      ServerEvent.VersionCreated,
      ServerEvent.PresenterState,
      ServerEvent.PresenterPosition,
      ServerEvent.Error,
      ServerEvent.SessionEnded,
    ];
    await eventually(() => {
      const seen = new Set(sockets.flatMap((s) => s.events.map((e) => e.name)));
      expect(expected.filter((name) => !seen.has(name))).toEqual([]);
    });
    const failures: string[] = [];
    let checked = 0;
    for (const { events } of sockets) {
      for (const { name, payload } of events) {
        const schema = (serverEvents as Record<string, z.ZodType | undefined>)[name];
        if (!schema) {
          failures.push(`${name}: not in the contract`);
          continue;
        }
        const parsed = schema.safeParse(payload);
        checked++;
        if (!parsed.success) failures.push(`${name}: ${parsed.error.message}`);
        else expect(parsed.data, `${name}: fields outside the contract`).toEqual(payload);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});
