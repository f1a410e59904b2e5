import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { AuditPage } from '../../shared/audit.js';
import type { DeskResponse } from '../../shared/desk.js';
import { ServerEvent } from '../../shared/events.js';
import { type Cast, type Person, buildCast, call, consultationDocument, joinedSocket } from '../support/consultation.js';
import { buildUser } from '../support/fixtures.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-seconding-1';

let server: TestServer;
let cast: Cast;
let brazil: Person;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
  const user = await buildUser(server.store, { name: 'Ana Lima', group: 'government', memberState: 'Brazil' });
  brazil = { user, token: await server.login(user) };
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

type Answer = AmendmentView & { error?: string; message?: string };
const api = <T = Answer>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);

const propose = (who: Person, paragraph: number, find: string, text: string) =>
  api('POST', `/api/documents/${DOC}/amendments`, who, { sectionId: 'part-1', paragraph, op: 'replace', find, text });

async function auditOf(id: string) {
  const page = await api<AuditPage>('GET', `/api/documents/${DOC}/audit?limit=1000`, cast.office);
  expect(page.status).toBe(200);
  return page.body.entries.filter((e) => e.targetId === id);
}

describe('seconding one State’s amendment', () => {
  it('France’s amendment waits for a seconder until Brazil seconds it: once, audited, live, with name and State', async () => {
    const res = await propose(cast.france, 2, 'justice sociale', 'justice sociale et l’équité');
    expect(res.status).toBe(201);
    const a = res.body;
    expect(a.seconder).toBeNull();
    expect(a.abilities?.second).toBe(false);

    // What each reader is offered is the policy's answer.
    const asBrazil = await api('GET', `/api/amendments/${a.id}`, brazil);
    expect(asBrazil.body.abilities?.second).toBe(true);
    const asObserver = await api('GET', `/api/amendments/${a.id}`, cast.observer);
    expect(asObserver.body.abilities?.second).toBe(false);

    // Neither France itself, nor the Office, nor an observer can second it.
    for (const [who, status] of [
      [cast.france, 403],
      [cast.office, 403],
      [cast.observer, 403],
    ] as const) {
      const refused = await api('POST', `/api/amendments/${a.id}/second`, who);
      expect(refused.status).toBe(status);
      expect(refused.body.error).toBe('forbidden');
    }

    const watcher = await joinedSocket(server, cast.workers, DOC);
    cleanups.push(() => watcher.socket.disconnect());
    const heard = new Promise<{ amendment: AmendmentView }>((resolve) => {
      watcher.socket.on(ServerEvent.AmendmentChanged, (p: { amendment: AmendmentView }) => {
        if (p.amendment.id === a.id && p.amendment.seconder !== null) resolve(p);
      });
    });

    const seconded = await api('POST', `/api/amendments/${a.id}/second`, brazil);
    expect(seconded.status).toBe(200);
    expect(seconded.body.seconder).toMatchObject({
      ownerKey: 'government:Brazil',
      byUserId: brazil.user.id,
      byName: 'Ana Lima',
      inRoom: false,
    });
    expect(seconded.body.abilities?.second).toBe(false);
    const event = await heard;
    expect(event.amendment.seconder?.byName).toBe('Ana Lima');

    // A second seconder is refused: the first one stands.
    const again = await api('POST', `/api/documents/${DOC}/amendments/${a.id}/second`, cast.workers);
    expect(again.status).toBe(409);
    expect((await api('GET', `/api/amendments/${a.id}`, cast.observer)).body.seconder?.byName).toBe('Ana Lima');

    const audit = await auditOf(a.id);
    const line = audit.find((e) => e.action === 'amendment.seconded');
    expect(line).toMatchObject({ userId: brazil.user.id, details: { seconder: 'government:Brazil' } });
    expect(audit.filter((e) => e.action === 'amendment.seconded')).toHaveLength(1);

    // Seconded, it is accepted like any other.
    const accepted = await api('POST', `/api/amendments/${a.id}/accept`, cast.office);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.seconder?.inRoom).toBe(false);
  });

  it('groups’ amendments need no seconder and cannot be seconded', async () => {
    const res = await propose(cast.employers, 4, 'dialogue social', 'dialogue tripartite');
    expect(res.status).toBe(201);
    const refused = await api('POST', `/api/amendments/${res.body.id}/second`, cast.workers);
    expect(refused.status).toBe(409);
    const accepted = await api('POST', `/api/amendments/${res.body.id}/accept`, cast.office);
    expect(accepted.status).toBe(200);
    expect(accepted.body.seconder).toBeNull();
  });

  it('the Office accepts an unseconded one only when it confirms it was seconded in the room, which is recorded', async () => {
    const res = await propose(cast.southAfrica, 1, 'soutient', 'appuie');
    expect(res.status).toBe(201);
    const id = res.body.id;

    const desk = await api<DeskResponse>('GET', `/api/documents/${DOC}/desk`, cast.office);
    expect(desk.status).toBe(200);
    expect(desk.body.counts.awaitingSeconder).toBe(1);
    const card = desk.body.paragraphs.flatMap((p) => p.amendments).find((x) => x.id === id);
    expect(card?.seconder).toBeNull();

    const refused = await api('POST', `/api/amendments/${id}/accept`, cast.office);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('not_seconded');
    const bulk = await api<{ results: { id: string; ok: boolean; error?: string }[] }>(
      'POST',
      `/api/documents/${DOC}/amendments/bulk`,
      cast.office,
      { action: 'accept', ids: [id] },
    );
    expect(bulk.body.results[0]).toMatchObject({ id, ok: false, error: 'not_seconded' });
    expect((await api('GET', `/api/amendments/${id}`, cast.observer)).body.status).toBe('proposed');

    const accepted = await api('POST', `/api/amendments/${id}/accept`, cast.office, { secondedInRoom: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.seconder).toMatchObject({ inRoom: true, byUserId: cast.office.user.id, ownerKey: 'secretariat' });
    const line = (await auditOf(id)).find((e) => e.action === 'amendment.accepted');
    expect(line?.details).toMatchObject({ secondedInRoom: true });

    const after = await api<DeskResponse>('GET', `/api/documents/${DOC}/desk`, cast.office);
    expect(after.body.counts.awaitingSeconder).toBe(0);
  });

  it('a decided or withdrawn amendment can no longer be seconded', async () => {
    const res = await propose(cast.france, 8, 'reste stable', 'augmente');
    expect(res.status).toBe(201);
    expect((await api('POST', `/api/amendments/${res.body.id}/withdraw`, cast.france)).status).toBe(200);
    const refused = await api('POST', `/api/amendments/${res.body.id}/second`, brazil);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('conflict');
  });
});
