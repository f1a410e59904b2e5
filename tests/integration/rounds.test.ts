import type { WebsocketProvider } from 'y-websocket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { CurrentRoundResponse, RoundView } from '../../shared/rounds.js';
import { SUGGEST_INSERT, newSuggestionId, ownerKeyOf } from '../../shared/suggestions.js';
import type { VersionSummary } from '../../shared/versions.js';
import { type Cast, type Person, buildCast, call, consultationDocument } from '../support/consultation.js';
import { sectionBarrier } from '../support/barrier.js';
import { connectProvider, waitForSync } from '../support/providers.js';
import { type TestServer, eventually, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-rounds-1';
const HOUR = 3600_000;

let server: TestServer;
let cast: Cast;
/** The fake time every deadline check reads. */
let now = Date.UTC(2024, 2, 14, 12, 0, 0);

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  server.services.clock = { now: () => now };
  cast = await buildCast(server);
});

afterAll(async () => {
  await server.stop();
});

const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T>(server, method, path, who, body);

const byForm = (who: Person, form: Record<string, unknown>) =>
  api<AmendmentView & { error?: string; message?: string }>('POST', `/api/documents/${DOC}/amendments`, who, {
    sectionId: 'part-1',
    ...form,
  });

/** The XmlText of numbered paragraph `n` of part-1. */
function paragraphText(doc: Y.Doc, n: number): Y.XmlText {
  const block = doc.getXmlFragment(SECTION_FRAGMENT).get(n) as Y.XmlElement;
  return (block.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closed: Promise<{ code: number; reason: string }>;
}

async function typist(who: Person): Promise<Client> {
  const c = connectProvider(server.url, `${DOC}/part-1`, who.token);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    c.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (!event || event.code < 4000) return;
      c.provider.shouldConnect = false;
      resolve({ code: event.code, reason: event.reason });
    });
  });
  await waitForSync(c.provider);
  return { ...c, closed };
}

let round: RoundView;

describe('consultation rounds', () => {
  it('only the Office opens a round; deadlines are validated', async () => {
    const body = { amendmentDeadline: now + 48 * HOUR, subAmendmentDeadline: now + 72 * HOUR };
    const refused = await api<{ error: string; message: string }>(
      'POST',
      `/api/documents/${DOC}/rounds`,
      cast.france,
      body,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Only the Office opens consultation rounds.');
    expect((await api('POST', `/api/documents/${DOC}/rounds`, cast.observer, body)).status).toBe(403);
    const backwards = await api<{ message: string }>('POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: now + 48 * HOUR,
      subAmendmentDeadline: now + HOUR,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/sub-amendment deadline must not come before/);
    expect((await api('GET', `/api/documents/${DOC}/rounds/current`, cast.observer)).body).toMatchObject({
      documentId: DOC,
      round: null,
    });
  });

  it('opens a round with ISO deadlines, shown to everyone with the time left', async () => {
    const res = await api<RoundView>('POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: new Date(now + 48 * HOUR).toISOString(),
      subAmendmentDeadline: new Date(now + 72 * HOUR).toISOString(),
    });
    expect(res.status).toBe(201);
    round = res.body;
    expect(round).toMatchObject({
      documentId: DOC,
      number: 1,
      amendmentDeadline: now + 48 * HOUR,
      subAmendmentDeadline: now + 72 * HOUR,
      closedAt: null,
      phase: 'amendments',
      amendmentsOpen: true,
      subAmendmentsOpen: true,
      now,
      amendmentMsLeft: 48 * HOUR,
      subAmendmentMsLeft: 72 * HOUR,
    });
    expect(round.abilities).toEqual({ close: true });
    const current = await api<CurrentRoundResponse>('GET', `/api/documents/${DOC}/rounds/current`, cast.workers);
    expect(current.body.round?.id).toBe(round.id);
    // What each reader may do with the round is on it, from the policies.
    expect(current.body.round?.abilities).toEqual({ close: false });
    expect(current.body.abilities).toEqual({ open: false });
    const asOffice = await api<CurrentRoundResponse>('GET', `/api/documents/${DOC}/rounds/current`, cast.office);
    expect(asOffice.body.round?.abilities).toEqual({ close: true });
    expect(asOffice.body.abilities).toEqual({ open: false });
    const again = await api('POST', `/api/documents/${DOC}/rounds`, cast.office, {
      amendmentDeadline: now + HOUR,
      subAmendmentDeadline: now + HOUR,
    });
    expect(again.status).toBe(409);
  });

  it('takes an amendment one second before the deadline and refuses one a second after, with the reason', async () => {
    now = round.amendmentDeadline - 1000;
    const early = await byForm(cast.workers, { paragraph: 1, op: 'insert', find: 'Le Bureau', text: ' renforcé' });
    expect(early.status).toBe(201);
    now = round.amendmentDeadline + 1000;
    const late = await byForm(cast.workers, { paragraph: 2, op: 'delete', find: ' de l’Organisation' });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('deadline_passed');
    expect(late.body.message).toBe(
      'The deadline for amendments in round 1 passed at 2024-03-16T12:00:00Z; new amendments are refused. Comments remain open.',
    );
    // Exactly at the deadline is already too late.
    now = round.amendmentDeadline;
    expect((await byForm(cast.workers, { paragraph: 2, op: 'delete', find: ' de l’Organisation' })).status).toBe(409);
    // The Office's work goes on, and so do comments and votes.
    expect(
      (await byForm(cast.office, { paragraph: 6, op: 'replace', find: 'biennale', text: 'de deux ans' })).status,
    ).toBe(201);
    const comment = await api('POST', `/api/documents/${DOC}/threads`, cast.workers, {
      sectionId: 'part-1',
      paragraph: 2,
      body: 'Toujours possible de commenter.',
    });
    expect(comment.status).toBe(201);
    expect((await api('POST', `/api/amendments/${early.body.id}/support`, cast.france)).status).toBe(200);
  });

  it('refuses a new suggestion typed after the deadline on the collaboration socket, and takes it before', async () => {
    now = round.amendmentDeadline - 1000;
    const before = await typist(cast.employers);
    const earlyId = newSuggestionId();
    const attrs = { by: ownerKeyOf(cast.employers.user), author: cast.employers.user.id };
    paragraphText(before.doc, 4).insert(3, 'nouveaux ', { [SUGGEST_INSERT]: { id: earlyId, ...attrs } });
    await eventually(async () => {
      expect((await api('GET', `/api/amendments/${earlyId}`, cast.office)).status).toBe(200);
    });
    before.provider.destroy();

    now = round.amendmentDeadline + 1000;
    const after = await typist(cast.employers);
    const lateId = newSuggestionId();
    paragraphText(after.doc, 5).insert(3, 'seules ', { [SUGGEST_INSERT]: { id: lateId, ...attrs } });
    const close = await after.closed;
    expect(close.code).toBe(CloseCode.UpdateRefused);
    expect(close.reason).toMatch(/deadline for new amendments has passed/);
    after.provider.destroy();
    await sectionBarrier(server, DOC, 'part-1');
    expect((await api('GET', `/api/amendments/${lateId}`, cast.office)).status).toBe(404);
    const live = await api<{ text: string }>('GET', `/api/documents/${DOC}/sections/part-1`, cast.observer);
    expect(live.body.text).not.toContain('seules');

    // After the deadline a pending amendment's words may not change either (that would table a new
    // proposal under an old id): more words are refused; deleting all of them still withdraws it.
    const more = await typist(cast.employers);
    paragraphText(more.doc, 4).insert(3 + 'nouveaux '.length, 'et ', { [SUGGEST_INSERT]: { id: earlyId, ...attrs } });
    const refused = await more.closed;
    expect(refused.code).toBe(CloseCode.UpdateRefused);
    expect(refused.reason).toMatch(/deadline for new amendments has passed/);
    more.provider.destroy();
    expect((await api<AmendmentView>('GET', `/api/amendments/${earlyId}`, cast.office)).body.proposedText).toBe(
      'nouveaux ',
    );
    const withdraw = await typist(cast.employers);
    paragraphText(withdraw.doc, 4).delete(3, 'nouveaux '.length);
    await eventually(async () => {
      const a = await api<AmendmentView>('GET', `/api/amendments/${earlyId}`, cast.office);
      expect(a.body.status).toBe('withdrawn');
    });
    withdraw.provider.destroy();
  });

  it('sub-amendments have their own, later deadline', async () => {
    now = round.amendmentDeadline - 1000;
    const parent = await byForm(cast.workers, {
      paragraph: 7,
      op: 'replace',
      find: 'nouvelles',
      text: 'nouvelles et vertes',
    });
    expect(parent.status).toBe(201);
    now = round.subAmendmentDeadline - 1000;
    const sub = await api<AmendmentView>('POST', `/api/documents/${DOC}/amendments`, cast.employers, {
      parentId: parent.body.id,
      op: 'replace',
      find: 'vertes',
      text: 'durables',
    });
    expect(sub.status).toBe(201);
    now = round.subAmendmentDeadline + 1000;
    const late = await api<{ error: string; message: string }>(
      'POST',
      `/api/documents/${DOC}/amendments`,
      cast.france,
      {
        parentId: parent.body.id,
        op: 'delete',
        find: ' et vertes',
      },
    );
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/^The deadline for sub-amendments in round 1 passed at/);
  });

  it('after the amendment deadline, undoing a withdrawal is no longer offered to its group, and is refused; the Office still may', async () => {
    now = round.amendmentDeadline - 1000;
    const tabled = await byForm(cast.workers, {
      paragraph: 5,
      op: 'insert',
      find: 'Les normes',
      text: ' fondamentales',
    });
    expect(tabled.status).toBe(201);
    const withdrawn = await api<AmendmentView>('POST', `/api/amendments/${tabled.body.id}/withdraw`, cast.workers, {});
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(withdrawn.body.abilities?.undo).toBe(true);
    expect(withdrawn.body.reasons).toBeUndefined();

    now = round.amendmentDeadline + 1000;
    const listed = async (who: Person) => {
      const res = await api<AmendmentView[]>('GET', `/api/documents/${DOC}/amendments?status=withdrawn`, who);
      return res.body.find((a) => a.id === tabled.body.id);
    };
    const forWorkers = await listed(cast.workers);
    expect(forWorkers?.abilities?.undo).toBe(false);
    // The deadline's refusal comes with its sentence, for the client to show beside the disabled action.
    expect(forWorkers?.reasons?.undo).toMatch(/^The deadline for amendments in round 1 passed at/);
    const forOffice = await listed(cast.office);
    expect(forOffice?.abilities?.undo).toBe(true);
    expect(forOffice?.reasons).toBeUndefined();
    // Who may never undo it is not told about the deadline: the action is simply not theirs.
    expect((await listed(cast.employers))?.reasons).toBeUndefined();
    const one = await api<AmendmentView>('GET', `/api/amendments/${tabled.body.id}`, cast.workers);
    expect(one.body.abilities?.undo).toBe(false);
    // What is offered and what is enforced are one rule.
    const undo = await api<{ error: string; message: string }>(
      'POST',
      `/api/amendments/${tabled.body.id}/undo`,
      cast.workers,
      {},
    );
    expect(undo.status).toBe(409);
    expect(undo.body.error).toBe('deadline_passed');
  });

  it('closing a round is the Office’s, takes a named version, and stops new amendments', async () => {
    const refused = await api<{ message: string }>('POST', `/api/rounds/${round.id}/close`, cast.workers);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('Only the Office closes consultation rounds.');
    const res = await api<{ round: RoundView; version: VersionSummary }>(
      'POST',
      `/api/rounds/${round.id}/close`,
      cast.office,
      {
        name: 'Fin du premier tour',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.round).toMatchObject({
      phase: 'closed',
      closedByName: 'Bureau Officer',
      versionId: res.body.version.id,
    });
    expect(res.body.version).toMatchObject({ name: 'Fin du premier tour', roundId: round.id, documentId: DOC });
    expect((await api('POST', `/api/rounds/${round.id}/close`, cast.office)).status).toBe(409);
    expect(res.body.round.abilities).toEqual({ close: false });
    const next = await api<CurrentRoundResponse>('GET', `/api/documents/${DOC}/rounds/current`, cast.office);
    expect(next.body.abilities).toEqual({ open: true });
    const nextForWorkers = await api<CurrentRoundResponse>('GET', `/api/documents/${DOC}/rounds/current`, cast.workers);
    expect(nextForWorkers.body.abilities).toEqual({ open: false });
    const versions = await api<VersionSummary[]>('GET', `/api/documents/${DOC}/versions`, cast.observer);
    expect(versions.body.map((v) => v.name)).toContain('Fin du premier tour');
    now = round.openedAt; // even "before the deadline", a closed round takes nothing new
    const closed = await byForm(cast.workers, { paragraph: 8, op: 'delete', find: ' en termes réels' });
    expect(closed.status).toBe(409);
    expect(closed.body.message).toMatch(/^Round 1 is closed/);
  });
});
