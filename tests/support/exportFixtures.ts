import type { ImportedDocument } from '../../shared/document.js';
import type { PMNode } from '../../shared/schema/index.js';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { UserRecord } from '../../server/storage/Store.js';
import { type TestServer, buildUser } from './testServer.js';

/** A small document with every kind of block an export must keep: headings, bullets, a box, a footnote. */
export function exportDocument(id = 'gb-999-export-1'): ImportedDocument {
  const text = (t: string): PMNode => ({ type: 'text', text: t });
  const para = (n: number, ...content: PMNode[]): PMNode => ({
    type: 'numberedParagraph',
    attrs: { number: String(n) },
    content: [{ type: 'paragraph', content }],
  });
  return {
    id,
    symbol: 'GB.999/EXPORT/1',
    title: 'Document d’essai des exports',
    language: 'fr',
    sections: [
      {
        id: 'part-1',
        kind: 'part',
        label: 'I',
        title: 'Introduction',
        parentId: null,
        paragraphs: [1, 2, 3],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 1 }, content: [text('I. Introduction')] },
            para(1, text('Le Bureau soutient les mandants tripartites dans la mise en œuvre du programme.')),
            para(
              2,
              text('La justice sociale est au cœur du mandat'),
              { type: 'footnote', attrs: { marker: '1', text: 'Voir aussi GB.999/INS/1.' } },
              text(' de l’Organisation et de ses « partenaires ».'),
            ),
            {
              type: 'numberedParagraph',
              attrs: { number: '3' },
              content: [
                { type: 'paragraph', content: [text('Le programme couvre trois domaines :')] },
                {
                  type: 'bulletList',
                  content: [
                    {
                      type: 'listItem',
                      content: [{ type: 'paragraph', content: [text('les normes internationales du travail;')] }],
                    },
                    {
                      type: 'listItem',
                      content: [{ type: 'paragraph', content: [text('le dialogue social et le tripartisme;')] }],
                    },
                  ],
                },
              ],
            },
          ],
        },
      },
      {
        id: 'outcome-1',
        kind: 'outcome',
        label: 'Résultat 1',
        title: 'Des normes appliquées',
        parentId: null,
        paragraphs: [4, 5],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [text('Résultat 1. Des normes appliquées')] },
            { type: 'heading', attrs: { level: 3 }, content: [text('Stratégie')] },
            para(4, text('Les partenaires sociaux participent au dialogue social et le dialogue se renforce.')),
            {
              type: 'box',
              attrs: { title: 'Un programme spécial' },
              content: [{ type: 'paragraph', content: [text('Ce programme vise les organisations de travailleurs.')] }],
            },
            para(5, text('Le budget reste stable en termes réels.')),
          ],
        },
      },
      {
        id: 'decision',
        kind: 'decision',
        label: 'Projet de décision',
        title: 'Projet de décision',
        parentId: null,
        paragraphs: [6],
        content: {
          type: 'doc',
          content: [
            { type: 'heading', attrs: { level: 2 }, content: [text('Projet de décision')] },
            para(
              6,
              text('Le Conseil d’administration prie le Directeur général de prendre en compte les orientations.'),
            ),
          ],
        },
      },
    ],
  };
}

export type People = Record<string, { user: UserRecord; token: string }>;

/** The usual cast: the Office, one delegate per group, two States, an observer. */
export async function buildPeople(server: TestServer): Promise<People> {
  const specs: [string, Parameters<typeof buildUser>[1]][] = [
    ['office', { name: 'Claire Martin', role: 'secretariat', group: null }],
    ['employers', { name: 'Renate Hornung', group: 'employers' }],
    ['workers', { name: 'Kwame Mensah', group: 'workers' }],
    ['workers2', { name: 'Walter Worker', group: 'workers' }],
    ['france', { name: 'Julien Moreau', group: 'government', memberState: 'France' }],
    ['southAfrica', { name: 'Thandiwe Nkosi', group: 'government', memberState: 'South Africa' }],
    ['observer', { name: 'Ana Sousa', role: 'observer', group: null }],
  ];
  const people: People = {};
  for (const [key, spec] of specs) {
    const user = await buildUser(server.store, spec);
    people[key] = { user, token: await server.login(user) };
  }
  return people;
}

/** A small HTTP client bound to a server and its people. */
export function client(server: TestServer, people: People) {
  const token = (as: string | null) => {
    if (as === null) return null;
    const person = people[as];
    if (!person) throw new Error(`no test user ${as}`);
    return person.token;
  };
  return {
    async raw(method: string, path: string, as: string | null, body?: BodyInit, headers: Record<string, string> = {}) {
      const t = token(as);
      return fetch(`${server.url}${path}`, {
        method,
        headers: { ...(t ? { authorization: `Bearer ${t}` } : {}), ...headers },
        body,
      });
    },
    async json(
      method: string,
      path: string,
      as: string | null,
      body?: unknown,
    ): Promise<{ status: number; body: unknown }> {
      const t = token(as);
      // State changes are JSON only, body-less actions included.
      if (body === undefined && method !== 'GET' && method !== 'DELETE') body = {};
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(t ? { authorization: `Bearer ${t}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    async bytes(path: string, as: string | null): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
      const res = await this.raw('GET', path, as);
      return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
    },
    async table(documentId: string, as: string, form: Record<string, unknown>): Promise<AmendmentView> {
      const res = await this.json('POST', `/api/documents/${documentId}/amendments`, as, { rationale: '', ...form });
      if (res.status !== 201) throw new Error(`tabling failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as AmendmentView;
    },
  };
}
