import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Amendment } from '../../shared/amendments.js';
import type { DocumentAbilities } from '../../shared/roles.js';
import {
  buildCast,
  type Cast,
  call,
  consultationDocument,
  openRoundPassingDeadlines,
  type Person,
} from '../support/consultation.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team on the typed contract: "Abilities are the server's … The client shows, hides and explains
 * actions from these only" (README). After the amendment deadline the server refuses a delegate's new
 * amendments and changes, so the abilities it sends must say so.
 */
const DOC = 'gb-999-redteam-contract-1';
let server: TestServer;
let cast: Cast;
let amendment: Amendment;
const api = <T>(method: string, path: string, who: Person, body?: unknown) => call<T>(server, method, path, who, body);

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
  const created = await api<Amendment>('POST', `/api/documents/${DOC}/amendments`, cast.workers, {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'dialogue social',
    text: 'dialogue tripartite',
  });
  expect(created.status).toBe(201);
  amendment = created.body;
  await openRoundPassingDeadlines(server, DOC, cast);
});

afterAll(async () => {
  await server.stop();
});

describe('red team: abilities after the deadline', () => {
  // Found by the red team: abilities were computed from the role only, so after the deadline a
  // delegate's document still said `amend: true` and its own pending amendment `editRationale: true`
  // while the server answered 409. The document's and the records' abilities now take the latest round
  // into account; the session's stay the role's (it names no document).
  it('a delegate’s abilities say it can no longer amend, nor re-word its justification', async () => {
    const doc = await api<{ abilities: DocumentAbilities }>('GET', `/api/documents/${DOC}`, cast.workers);
    expect(doc.body.abilities.amend).toBe(false);
    // The session's abilities are the role's (no document, no round): the document's answer is the one to read.
    const own = await api<Amendment & { abilities: Record<string, boolean> }>(
      'GET',
      `/api/amendments/${amendment.id}`,
      cast.workers,
    );
    expect(own.body.abilities.editRationale).toBe(false);
  });
});
