import { io as connect, type Socket } from 'socket.io-client';
import type { ImportedDocument } from '../../shared/document.js';
import { ClientEvent, type PresencePayload, ServerEvent } from '../../shared/events.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { type TestServer, buildUser, eventually } from './testServer.js';

/**
 * Helpers for the consolidation tests (rounds, drafts, desk, versions, presenter): a document with
 * distinct words, the cast of a consultation, an HTTP caller and a joined socket.io client.
 */

export function consultationDocument(id: string): ImportedDocument {
  const para = (n: number, text: string): PMNode => ({
    type: 'numberedParagraph',
    attrs: { number: String(n) },
    content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  });
  return {
    id,
    symbol: 'GB.999/CONS/1',
    title: 'Document pour la consolidation',
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
            para(1, 'Le Bureau soutient les mandants tripartites dans la mise en œuvre du programme.'),
            para(2, 'La justice sociale est au cœur du mandat de l’Organisation.'),
            para(3, 'Le texte et le texte se répètent ici.'),
            para(4, 'Les partenaires sociaux participent au dialogue social.'),
            para(5, 'Les normes internationales du travail restent la référence.'),
            para(6, 'Le programme couvre la période biennale.'),
            para(7, 'La transition juste exige des compétences nouvelles.'),
            para(8, 'Le budget reste stable en termes réels.'),
          ],
        },
      },
      {
        id: 'decision',
        kind: 'decision',
        label: 'Projet de décision',
        title: 'Projet de décision',
        parentId: null,
        paragraphs: [9],
        content: {
          type: 'doc',
          content: [
            para(9, 'Le Conseil d’administration prie le Directeur général de prendre en compte les orientations.'),
          ],
        },
      },
    ],
  };
}

export interface Person {
  user: UserRecord;
  token: string;
}

export type Cast = Record<
  'office' | 'employers' | 'employers2' | 'workers' | 'france' | 'southAfrica' | 'observer',
  Person
>;

export async function buildCast(server: TestServer): Promise<Cast> {
  const specs: [keyof Cast, Parameters<typeof buildUser>[1]][] = [
    ['office', { name: 'Bureau Officer', role: 'secretariat', group: null }],
    ['employers', { name: 'Emma Employer', group: 'employers' }],
    ['employers2', { name: 'Eric Employer', group: 'employers' }],
    ['workers', { name: 'Walter Worker', group: 'workers' }],
    ['france', { name: 'Julien Moreau', group: 'government', memberState: 'France' }],
    ['southAfrica', { name: 'Thabo Nkosi', group: 'government', memberState: 'South Africa' }],
    ['observer', { name: 'Olga Observer', role: 'observer', group: null }],
  ];
  const cast: Partial<Cast> = {};
  for (const [key, spec] of specs) {
    const user = await buildUser(server.store, spec);
    cast[key] = { user, token: await server.login(user) };
  }
  return cast as Cast;
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** One HTTP call as `who` (null: no session); JSON in, JSON (or text) out. */
export async function call<T = unknown>(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  who: Person | null,
  body?: unknown,
): Promise<Reply<T>> {
  const headers: Record<string, string> = { 'user-agent': 'concord-tests' };
  if (who) headers.authorization = `Bearer ${who.token}`;
  // State changes are JSON only, body-less actions included.
  if (body === undefined && method !== 'GET' && method !== 'DELETE') body = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other text answers stay text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers, text };
}

/** A socket.io client of `who` that has joined `documentId`, recording every event it receives. */
export async function joinedSocket(
  server: Pick<TestServer, 'url'>,
  who: Person,
  documentId: string,
): Promise<{ socket: Socket; events: { name: string; payload: unknown }[] }> {
  const socket: Socket = connect(server.url, {
    path: '/socket.io',
    auth: { token: who.token },
    transports: ['websocket'],
  });
  const events: { name: string; payload: unknown }[] = [];
  socket.onAny((name: string, payload: unknown) => events.push({ name, payload }));
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
  return { socket, events };
}

/**
 * Opens a round whose amendment and sub-amendment deadlines pass within a second, and resolves once the
 * server says both are closed (for tests of what the deadlines refuse).
 */
export async function openRoundPassingDeadlines(server: TestServer, documentId: string, cast: Cast): Promise<void> {
  const round = await call(server, 'POST', `/api/documents/${documentId}/rounds`, cast.office, {
    amendmentDeadline: Date.now() + 600,
    subAmendmentDeadline: Date.now() + 700,
  });
  if (round.status !== 201) throw new Error(`opening the round answered ${round.status}`);
  await eventually(async () => {
    const current = await call<{ round: { subAmendmentsOpen: boolean } }>(
      server,
      'GET',
      `/api/documents/${documentId}/rounds/current`,
      cast.workers,
    );
    if (current.body.round.subAmendmentsOpen !== false)
      throw new Error('the sub-amendment deadline has not passed yet');
  }, 5000);
}
