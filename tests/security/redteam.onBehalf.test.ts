import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Amendment } from '../../shared/amendments.js';
import { call, consultationDocument, type Person } from '../support/consultation.js';
import { AFRICA } from '../support/regions.js';
import { buildUser, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team on `onBehalfOf` (regional groups): who may speak for a region, and a record nobody can reach.
 */
const DOC = 'gb-999-redteam-onbehalf-1';

type Who = 'southAfrica' | 'nigeria' | 'france' | 'office' | 'workers';
let server: TestServer;
const cast = {} as Record<Who, Person>;

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  await server.store.saveRegionalGroup(AFRICA);
  const specs: [Who, Parameters<typeof buildUser>[1]][] = [
    ['southAfrica', { name: 'Thandiwe Nkosi', group: 'government', memberState: 'ZA' }],
    ['nigeria', { name: 'Ngozi Okafor', group: 'government', memberState: 'NG' }],
    ['france', { name: 'Julien Moreau', group: 'government', memberState: 'FR' }],
    ['office', { name: 'Claire Martin', role: 'secretariat', group: null }],
    ['workers', { name: 'Kwame Mensah', group: 'workers' }],
  ];
  for (const [key, spec] of specs) {
    const user = await buildUser(server.store, spec);
    cast[key] = { user, token: await server.login(user) };
  }
});

afterAll(async () => {
  await server.stop();
});

type Answer = Amendment & { error?: string; reason?: { code: string } };
const propose = (who: Person, body: Record<string, unknown>) =>
  call<Answer>(server, 'POST', `/api/documents/${DOC}/amendments`, who, {
    sectionId: 'part-1',
    paragraph: 7,
    op: 'replace',
    find: 'compétences nouvelles',
    text: 'compétences d’avenir',
    ...body,
  });

describe('red team: speaking for a regional group', () => {
  it('the Office cannot keep a draft for a regional group, which nobody, the Office included, could ever see', async () => {
    const before = (await server.store.amendments.list(DOC)).length;
    const draft = await propose(cast.office, { draft: true, onBehalfOf: 'region:AFRICA' });
    expect(draft.status).toBe(403);
    expect(draft.body.reason?.code).toBe('draft_on_behalf');
    expect((await server.store.amendments.list(DOC)).length).toBe(before);
  });

  it('holds: a State outside the region neither proposes for it nor withdraws its amendment; a member State does', async () => {
    expect((await propose(cast.france, { onBehalfOf: 'region:AFRICA' })).status).toBe(403);
    expect((await propose(cast.workers, { onBehalfOf: 'region:AFRICA' })).status).toBe(403);
    const tabled = await propose(cast.southAfrica, { onBehalfOf: 'region:AFRICA' });
    expect(tabled.status).toBe(201);
    expect(tabled.body.ownerKey).toBe('region:AFRICA');
    const id = tabled.body.id;
    expect((await call(server, 'POST', `/api/amendments/${id}/second`, cast.france)).status).toBe(409);
    expect((await call(server, 'POST', `/api/amendments/${id}/withdraw`, cast.france)).status).toBe(403);
    expect((await call(server, 'POST', `/api/amendments/${id}/support`, cast.nigeria)).status).toBe(403);
    expect((await call(server, 'POST', `/api/amendments/${id}/withdraw`, cast.nigeria)).status).toBe(200);
  });
});
