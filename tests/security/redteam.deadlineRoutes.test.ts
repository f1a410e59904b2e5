import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Amendment, AmendmentView } from '../../shared/amendments.js';
import {
  buildCast,
  type Cast,
  call,
  consultationDocument,
  openRoundPassingDeadlines,
  type Person,
} from '../support/consultation.js';
import { eventually, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Red team: the amendment deadline by routes other than typing. README: "After it (or once the round is
 * closed) a delegate may no longer table or change amendments, but may always withdraw them."
 */
const DOC = 'gb-999-redteam-deadline-routes-1';

let server: TestServer;
let cast: Cast;
let amendment: Amendment;
let subAmendment: Amendment;
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
    rationale: 'As tabled before the deadline.',
  });
  expect(created.status).toBe(201);
  amendment = created.body;
  const sub = await api<Amendment>('POST', `/api/documents/${DOC}/amendments`, cast.france, {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'tripartite',
    text: 'tripartite renforcé',
    parentId: amendment.id,
    rationale: 'As tabled before the deadline.',
  });
  expect(sub.status).toBe(201);
  subAmendment = sub.body;
  await openRoundPassingDeadlines(server, DOC, cast);
});

afterAll(async () => {
  await server.stop();
});

/** The Workers' amendment both groups of tests sub-amend: "dialogue social" → "dialogue tripartite". */
async function workersAmendment(on: TestServer, people: Cast): Promise<Amendment> {
  const created = await call<Amendment>(on, 'POST', `/api/documents/${DOC}/amendments`, people.workers, {
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'dialogue social',
    text: 'dialogue tripartite',
  });
  expect(created.status).toBe(201);
  return created.body;
}

/** Opens a round whose amendment deadline passes in a moment, sub-amendments staying open for an hour. */
async function betweenDeadlines(on: TestServer, people: Cast): Promise<void> {
  const round = await call(on, 'POST', `/api/documents/${DOC}/rounds`, people.office, {
    amendmentDeadline: Date.now() + 600,
    subAmendmentDeadline: Date.now() + 3600_000,
  });
  expect(round.status).toBe(201);
  await eventually(async () => {
    const current = await call<{ round: { amendmentsOpen: boolean } }>(
      on,
      'GET',
      `/api/documents/${DOC}/rounds/current`,
      people.workers,
    );
    expect(current.body.round.amendmentsOpen).toBe(false);
  }, 5000);
}

describe('red team: the deadline by other routes', () => {
  it('after the deadline, a group cannot re-write the justification of its pending amendment or sub-amendment', async () => {
    for (const [who, target] of [
      [cast.workers, amendment],
      [cast.france, subAmendment],
    ] as const) {
      const res = await api<{ error: string }>('POST', `/api/amendments/${target.id}/rationale`, who, {
        rationale: 'A new justification, written after everyone else stopped.',
      });
      expect(res.status, target.ref).toBe(409);
      expect(res.body.error).toBe('deadline_passed');
      const after = await api<Amendment>('GET', `/api/amendments/${target.id}`, who);
      expect(after.body.rationale).toBe('As tabled before the deadline.');
    }
  });
});

describe('red team: a group sub-amending its own amendment after the amendment deadline', () => {
  let local: TestServer;
  let people: Cast;
  let own: Amendment;
  const as = <T>(method: string, path: string, who: Person, body?: unknown) => call<T>(local, method, path, who, body);
  const subOf = (parentId: string, text: string, draft = false) => ({
    sectionId: 'part-1',
    paragraph: 4,
    op: 'replace',
    find: 'tripartite',
    text,
    parentId,
    draft,
  });

  beforeAll(async () => {
    local = await startTestServer({ document: consultationDocument(DOC) });
    people = await buildCast(local);
    own = await workersAmendment(local, people);
    // Drafted before the deadline, tabled after it.
    const draft = await as<Amendment>(
      'POST',
      `/api/documents/${DOC}/amendments`,
      people.workers,
      subOf(own.id, 'tripartite élargi', true),
    );
    expect(draft.status).toBe(201);
    ownDraft = draft.body;
    await betweenDeadlines(local, people);
  });
  let ownDraft: Amendment;

  afterAll(async () => {
    await local.stop();
  });

  it('is refused (it would re-word the amendment the deadline closed), by form and by tabling a draft; others may still sub-amend', async () => {
    const byForm = await as<{ error: string }>(
      'POST',
      `/api/documents/${DOC}/amendments`,
      people.workers,
      subOf(own.id, 'tripartite et social'),
    );
    expect(byForm.status).toBe(409);
    expect(byForm.body.error).toBe('deadline_passed');
    const tabled = await as<{ error: string }>('POST', `/api/amendments/${ownDraft.id}/table`, people.workers);
    expect(tabled.status).toBe(409);
    expect(tabled.body.error).toBe('deadline_passed');
    const list = await as<Amendment[]>('GET', `/api/documents/${DOC}/amendments`, people.workers);
    expect(list.body.filter((a) => a.parentId === own.id && a.status === 'proposed')).toEqual([]);
    // Sub-amendments are still open to the other groups and States.
    const france = await as(
      'POST',
      `/api/documents/${DOC}/amendments`,
      people.france,
      subOf(own.id, 'tripartite et paritaire'),
    );
    expect(france.status).toBe(201);
  });
});

describe('the abilities shown agree with the commands on a sub-amendment of one’s own amendment', () => {
  let local: TestServer;
  let people: Cast;
  let parent: Amendment;
  /** Between the deadlines: the amendment deadline has passed, sub-amendments are open for an hour. */
  const as = <T>(method: string, path: string, who: Person, body?: unknown) => call<T>(local, method, path, who, body);
  const sub = async (who: Person, text: string, withdrawn = false) => {
    const created = await as<Amendment>('POST', `/api/documents/${DOC}/amendments`, who, {
      sectionId: 'part-1',
      paragraph: 4,
      op: 'replace',
      find: 'tripartite',
      text,
      parentId: parent.id,
      rationale: 'As tabled before the deadline.',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (withdrawn) expect((await as('POST', `/api/amendments/${created.body.id}/withdraw`, who)).status).toBe(200);
    return created.body;
  };
  const shown = async (who: Person, id: string) => (await as<AmendmentView>('GET', `/api/amendments/${id}`, who)).body;
  const listed = async (who: Person, id: string) =>
    (await as<AmendmentView[]>('GET', `/api/documents/${DOC}/amendments`, who)).body.find((a) => a.id === id);

  let own: { pending: Amendment; withdrawn: Amendment };
  let others: { pending: Amendment; withdrawn: Amendment };

  beforeAll(async () => {
    local = await startTestServer({ document: consultationDocument(DOC) });
    people = await buildCast(local);
    parent = await workersAmendment(local, people);
    own = {
      pending: await sub(people.workers, 'tripartite élargi'),
      withdrawn: await sub(people.workers, 'tripartite et social', true),
    };
    others = {
      pending: await sub(people.france, 'tripartite et paritaire'),
      withdrawn: await sub(people.france, 'tripartite renforcé', true),
    };
    await betweenDeadlines(local, people);
  });

  afterAll(async () => {
    await local.stop();
  });

  it('editRationale: not offered on one’s own amendment’s sub-amendment, and refused; offered to another State, and done', async () => {
    for (const view of [await shown(people.workers, own.pending.id), await listed(people.workers, own.pending.id)]) {
      expect(view?.abilities?.editRationale).toBe(false);
      expect(view?.reasonCodes?.editRationale?.code).toBe('deadline_passed');
    }
    const refused = await as<{ error: string }>('POST', `/api/amendments/${own.pending.id}/rationale`, people.workers, {
      rationale: 'Re-worded after the amendment deadline.',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('deadline_passed');

    expect((await shown(people.france, others.pending.id)).abilities?.editRationale).toBe(true);
    const done = await as('POST', `/api/amendments/${others.pending.id}/rationale`, people.france, {
      rationale: 'Still open until the sub-amendment deadline.',
    });
    expect(done.status).toBe(200);
  });

  it('undo of a withdrawal: not offered on one’s own amendment’s sub-amendment, and refused; offered to another State, and done', async () => {
    for (const view of [await shown(people.workers, own.withdrawn.id), await listed(people.workers, own.withdrawn.id)]) {
      expect(view?.abilities?.undo).toBe(false);
      expect(view?.reasonCodes?.undo?.code).toBe('deadline_passed');
    }
    const refused = await as<{ error: string }>('POST', `/api/amendments/${own.withdrawn.id}/undo`, people.workers);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('deadline_passed');

    expect((await shown(people.france, others.withdrawn.id)).abilities?.undo).toBe(true);
    expect((await as('POST', `/api/amendments/${others.withdrawn.id}/undo`, people.france)).status).toBe(200);
  });

  it('subAmend: not offered on one’s own amendment, and refused; offered to another State, and done', async () => {
    const solidaire = {
      sectionId: 'part-1',
      paragraph: 4,
      op: 'replace',
      find: 'tripartite',
      text: 'tripartite et solidaire',
      parentId: parent.id,
    };
    expect((await shown(people.workers, parent.id)).abilities?.subAmend).toBe(false);
    const refused = await as<{ error: string }>('POST', `/api/documents/${DOC}/amendments`, people.workers, solidaire);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('deadline_passed');
    expect((await shown(people.employers, parent.id)).abilities?.subAmend).toBe(true);
    const done = await as('POST', `/api/documents/${DOC}/amendments`, people.employers, solidaire);
    expect(done.status).toBe(201);
  });
});
