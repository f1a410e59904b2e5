import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Amendment } from '../../shared/amendments.js';
import type { DocumentAbilities } from '../../shared/roles.js';
import { buildCast, type Cast, call, consultationDocument, type Person } from '../support/consultation.js';
import { eventually, startTestServer, type TestServer } from '../support/testServer.js';

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
  const round = await api('POST', `/api/documents/${DOC}/rounds`, cast.office, {
    amendmentDeadline: Date.now() + 600,
    subAmendmentDeadline: Date.now() + 700,
  });
  expect(round.status).toBe(201);
  await eventually(async () => {
    const current = await api<{ round: { subAmendmentsOpen: boolean } }>(
      'GET',
      `/api/documents/${DOC}/rounds/current`,
      cast.workers,
    );
    expect(current.body.round.subAmendmentsOpen).toBe(false);
  }, 5000);
});

afterAll(async () => {
  await server.stop();
});

describe('red team: abilities after the deadline', () => {
  // FINDING: abilities are computed from the role only (server/presenters/abilities.ts,
  // policies' whyCannotCreate / whyCannotEditRationale), never from the round: after the deadline a
  // delegate's document abilities still say `amend: true` (and `suggest`), and its own pending
  // amendment still says `editRationale: true`, while the server answers 409 deadline_passed. The
  // client therefore decides the deadline itself from the round (its read-only bar), against issue 14
  // ("no client file decides a permission"), and offers actions that fail. Expected: the document's
  // and the records' abilities take the latest round into account (the policies given the round and the
  // clock's now), and `round:changed` at the deadline prompts a refetch. Not fixed here: the presenters
  // are synchronous and role-only; giving them the round touches every route that presents abilities.
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
