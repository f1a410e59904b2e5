import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmendmentView } from '../../server/presenters/amendment.js';
import type { UserRecord } from '../../server/storage/Store.js';
import type { ImportedDocument } from '../../shared/document.js';
import { ServerEvent } from '../../shared/events.js';
import type { PMNode } from '../../shared/schema/index.js';
import { socketBarrier } from '../support/barrier.js';
import { joinedSocket } from '../support/consultation.js';
import { AFRICA } from '../support/regions.js';
import { buildUser, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Who may do what with amendments: every role against every action, each cell asserted. "Own" means an
 * amendment tabled by the role's own group or State; roles that cannot table act on another's instead.
 */
const DOC = 'gb-999-matrix-1';
const PARAGRAPHS = 100;

const ROLES = ['office', 'employers', 'workers', 'gov-France', 'gov-South Africa', 'observer', 'signed-out'] as const;
type RoleName = (typeof ROLES)[number];
const ACTIONS = [
  'create by form',
  'support',
  'oppose',
  'withdraw own',
  "withdraw other's",
  'accept',
  'reject',
  'set rationale own',
  "set rationale other's",
] as const;
type ActionName = (typeof ACTIONS)[number];

const OK = 200;
const CREATED = 201;
const FORBIDDEN = 403;
const SIGNED_OUT = 401;

/** The expected status of each cell. */
const EXPECTED: Record<RoleName, Record<ActionName, number>> = {
  office: {
    'create by form': CREATED,
    support: FORBIDDEN,
    oppose: FORBIDDEN,
    'withdraw own': OK,
    "withdraw other's": FORBIDDEN,
    accept: OK,
    reject: OK,
    'set rationale own': OK,
    "set rationale other's": FORBIDDEN,
  },
  employers: delegate(),
  workers: delegate(),
  'gov-France': delegate(),
  'gov-South Africa': delegate(),
  observer: Object.fromEntries(ACTIONS.map((a) => [a, FORBIDDEN])) as Record<ActionName, number>,
  'signed-out': Object.fromEntries(ACTIONS.map((a) => [a, SIGNED_OUT])) as Record<ActionName, number>,
};

function delegate(): Record<ActionName, number> {
  return {
    'create by form': CREATED,
    support: OK,
    oppose: OK,
    'withdraw own': OK,
    "withdraw other's": FORBIDDEN,
    accept: FORBIDDEN,
    reject: FORBIDDEN,
    'set rationale own': OK,
    "set rationale other's": FORBIDDEN,
  };
}

function matrixDocument(): ImportedDocument {
  const numbers = Array.from({ length: PARAGRAPHS }, (_, i) => i + 1);
  const content: PMNode[] = numbers.map((n) => ({
    type: 'numberedParagraph',
    attrs: { number: String(n) },
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: `Paragraphe ${n} : le Bureau soutient les mandants.` }] },
    ],
  }));
  return {
    id: DOC,
    symbol: 'GB.999/MATRIX/1',
    title: 'Matrice des droits',
    language: 'fr',
    sections: [
      {
        id: 'part-1',
        kind: 'part',
        label: 'I',
        title: 'Tout',
        parentId: null,
        paragraphs: numbers,
        content: { type: 'doc', content },
      },
    ],
  };
}

let server: TestServer;
const tokens = new Map<string, string>();
const users = new Map<string, UserRecord>();
let nextParagraph = 1;
/** An amendment of a State outside the matrix (Brazil), for the "other's" cells and for votes. */
let brazils: AmendmentView;

beforeAll(async () => {
  server = await startTestServer({ document: matrixDocument() });
  const specs: [string, Parameters<typeof buildUser>[1]][] = [
    ['office', { role: 'secretariat', group: null }],
    ['employers', { group: 'employers' }],
    ['workers', { group: 'workers' }],
    ['gov-France', { group: 'government', memberState: 'France' }],
    ['gov-South Africa', { group: 'government', memberState: 'South Africa' }],
    ['gov-South Africa 2', { group: 'government', memberState: 'ZA' }],
    ['gov-Brazil', { group: 'government', memberState: 'Brazil' }],
    ['gov-Nigeria', { group: 'government', memberState: 'NG' }],
    ['observer', { role: 'observer', group: null }],
  ];
  // South Africa (stored by its English name, as before migration 0004) and Nigeria form the region.
  await server.store.saveRegionalGroup(AFRICA);
  for (const [name, spec] of specs) {
    const user = await buildUser(server.store, { name, ...spec });
    users.set(name, user);
    tokens.set(name, await server.login(user));
  }
  brazils = await table('gov-Brazil');
});

afterAll(async () => {
  await server.stop();
});

async function call(path: string, as: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = tokens.get(as);
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}) });
  return { status: res.status, body: await res.json() };
}

function form(): Record<string, unknown> {
  const paragraph = nextParagraph++;
  if (paragraph > PARAGRAPHS) throw new Error('the matrix document ran out of paragraphs');
  return { sectionId: 'part-1', paragraph, op: 'insert', find: 'le Bureau', text: ' aussi', rationale: '' };
}

/** A fresh amendment tabled by `as`. */
async function table(as: string): Promise<AmendmentView> {
  const res = await call(`/api/documents/${DOC}/amendments`, as, form());
  if (res.status !== CREATED) throw new Error(`${as} could not table: ${JSON.stringify(res.body)}`);
  return res.body as AmendmentView;
}

/** The role's own amendment when it can table one, else someone else's. */
async function ownOf(role: RoleName): Promise<AmendmentView> {
  return role === 'observer' || role === 'signed-out' ? table('gov-Brazil') : table(role);
}

async function perform(role: RoleName, action: ActionName): Promise<{ status: number; body: unknown }> {
  const on = (a: AmendmentView, verb: string, body?: unknown) =>
    call(`/api/documents/${DOC}/amendments/${a.id}/${verb}`, role, body);
  switch (action) {
    case 'create by form':
      return call(`/api/documents/${DOC}/amendments`, role, form());
    case 'support':
    case 'oppose':
      return on(brazils, action);
    case 'withdraw own':
      return on(await ownOf(role), 'withdraw');
    case "withdraw other's":
      return on(brazils, 'withdraw');
    case 'accept':
      // One State's amendment: nobody seconded it here, so the Office confirms it was seconded in the room.
      return on(await table('gov-Brazil'), action, { secondedInRoom: true });
    case 'reject':
      return on(await table('gov-Brazil'), action);
    case 'set rationale own':
      return on(await ownOf(role), 'rationale', { rationale: `Raisons de ${role}.` });
    case "set rationale other's":
      return on(brazils, 'rationale', { rationale: 'Pas à moi.' });
  }
}

describe('amendment permission matrix', () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = EXPECTED[role][action];
      it(`${role} × ${action} → ${expected}`, async () => {
        const res = await perform(role, action);
        expect(res.status, JSON.stringify(res.body)).toBe(expected);
        if (expected === FORBIDDEN) {
          // A refusal always says why.
          const { error, message } = res.body as { error: string; message: string };
          expect(error).toBe('forbidden');
          expect(message.length).toBeGreaterThan(15);
        }
        if (expected === OK || expected === CREATED) {
          const amendment = res.body as AmendmentView;
          const status = { 'withdraw own': 'withdrawn', accept: 'accepted', reject: 'rejected' }[action as string];
          expect(amendment.status).toBe(status ?? 'proposed');
        }
      });
    }
  }

  it('left the shared amendment pending, with one voice per delegate owner', async () => {
    const res = await fetch(`${server.url}/api/amendments/${brazils.id}`, {
      headers: { authorization: `Bearer ${tokens.get('office')}` },
    });
    const amendment = (await res.json()) as AmendmentView;
    expect(amendment.status).toBe('proposed');
    expect(amendment.rationale).toBe('');
    // Each delegate supported then opposed: the oppose replaced the support.
    expect(amendment.tally).toEqual({
      government: { support: 0, oppose: 2 },
      employers: { support: 0, oppose: 1 },
      workers: { support: 0, oppose: 1 },
    });
  });
});

/**
 * An amendment on behalf of a regional group (issue 13), tabled by South Africa for Africa: the other
 * member State (Nigeria) acts for it as its own; a State outside the region, another group, the
 * observer and the Office do not.
 */
const REGION_ROLES = ['gov-South Africa', 'gov-Nigeria', 'gov-France', 'employers', 'observer', 'office'] as const;
type RegionRole = (typeof REGION_ROLES)[number];
const REGION_ACTIONS = ['create for the region', 'withdraw', 'set rationale', 'support', 'co-sponsor'] as const;
type RegionAction = (typeof REGION_ACTIONS)[number];

const member = {
  'create for the region': CREATED,
  withdraw: OK,
  'set rationale': OK,
  support: FORBIDDEN,
  'co-sponsor': FORBIDDEN,
};
const outsider = {
  'create for the region': FORBIDDEN,
  withdraw: FORBIDDEN,
  'set rationale': FORBIDDEN,
  support: OK,
  'co-sponsor': OK,
};
const nobody = Object.fromEntries(REGION_ACTIONS.map((a) => [a, FORBIDDEN])) as Record<RegionAction, number>;
const REGION_EXPECTED: Record<RegionRole, Record<RegionAction, number>> = {
  'gov-South Africa': member,
  'gov-Nigeria': member,
  'gov-France': outsider,
  employers: outsider,
  observer: nobody,
  // The Office decides; it neither speaks for a region by form… except to table a region's import.
  office: { ...nobody, 'create for the region': CREATED },
};

async function tableForAfrica(): Promise<AmendmentView> {
  const res = await call(`/api/documents/${DOC}/amendments`, 'gov-South Africa', {
    ...form(),
    onBehalfOf: 'region:AFRICA',
  });
  if (res.status !== CREATED) throw new Error(`South Africa could not table for Africa: ${JSON.stringify(res.body)}`);
  return res.body as AmendmentView;
}

async function performForRegion(role: RegionRole, action: RegionAction): Promise<{ status: number; body: unknown }> {
  switch (action) {
    case 'create for the region':
      return call(`/api/documents/${DOC}/amendments`, role, { ...form(), onBehalfOf: 'region:AFRICA' });
    case 'withdraw':
      return call(`/api/documents/${DOC}/amendments/${(await tableForAfrica()).id}/withdraw`, role);
    case 'set rationale':
      return call(`/api/documents/${DOC}/amendments/${(await tableForAfrica()).id}/rationale`, role, {
        rationale: `Raisons de ${role}.`,
      });
    case 'support':
      return call(`/api/documents/${DOC}/amendments/${(await tableForAfrica()).id}/support`, role);
    case 'co-sponsor':
      return call(`/api/amendments/${(await tableForAfrica()).id}/cosponsor`, role);
  }
}

describe('regional amendment permission matrix', () => {
  for (const role of REGION_ROLES) {
    for (const action of REGION_ACTIONS) {
      const expected = REGION_EXPECTED[role][action];
      it(`${role} × ${action} (region:AFRICA) → ${expected}`, async () => {
        const res = await performForRegion(role, action);
        expect(res.status, JSON.stringify(res.body)).toBe(expected);
        if (expected === FORBIDDEN) expect((res.body as { error: string }).error).toBe('forbidden');
        if (expected === CREATED) expect((res.body as AmendmentView).ownerKey).toBe('region:AFRICA');
      });
    }
  }
});

/**
 * Drafts with circles (issue 13): South Africa keeps a draft to its delegation, to the Africa group, to
 * the Government group or to everyone; each reader is asserted on every read path a draft has — the
 * document's list, the record by id, the live event — and on editing it (the owner's members in the
 * circle only). The Office reads all but a delegation's drafts.
 */
const CIRCLE_READERS = ['gov-South Africa 2', 'gov-Nigeria', 'gov-France', 'employers', 'office', 'observer'] as const;
type CircleReader = (typeof CIRCLE_READERS)[number];
const CIRCLES = ['delegation', 'region', 'group', 'all'] as const;
const READS: Record<(typeof CIRCLES)[number], Record<CircleReader, boolean>> = {
  delegation: {
    'gov-South Africa 2': true,
    'gov-Nigeria': false,
    'gov-France': false,
    employers: false,
    office: false,
    observer: false,
  },
  region: {
    'gov-South Africa 2': true,
    'gov-Nigeria': true,
    'gov-France': false,
    employers: false,
    office: true,
    observer: false,
  },
  group: {
    'gov-South Africa 2': true,
    'gov-Nigeria': true,
    'gov-France': true,
    employers: false,
    office: true,
    observer: false,
  },
  all: {
    'gov-South Africa 2': true,
    'gov-Nigeria': true,
    'gov-France': true,
    employers: true,
    office: true,
    observer: true,
  },
};

async function send(method: string, path: string, as: string, body?: unknown) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${tokens.get(as)}`,
  };
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('draft circles permission matrix', () => {
  for (const circle of CIRCLES) {
    for (const onBehalfOf of ['government:ZA', 'region:AFRICA']) {
      it(`a ${circle} draft of ${onBehalfOf} is read and edited by its circle only`, async () => {
        const sockets = new Map<CircleReader, Awaited<ReturnType<typeof joinedSocket>>>();
        for (const who of CIRCLE_READERS) {
          const person = { user: users.get(who) as UserRecord, token: tokens.get(who) as string };
          sockets.set(who, await joinedSocket(server, person, DOC));
        }
        try {
          const marker = `cercle-${circle}-${onBehalfOf}`;
          const created = await call(`/api/documents/${DOC}/amendments`, 'gov-South Africa', {
            ...form(),
            text: ` ${marker}`,
            draft: true,
            onBehalfOf,
            circle,
            ...(circle === 'region' ? { region: 'AFRICA' } : {}),
          });
          expect(created.status, JSON.stringify(created.body)).toBe(CREATED);
          const draft = created.body as AmendmentView;
          expect(draft).toMatchObject({
            status: 'draft',
            ownerKey: onBehalfOf,
            draftCircle: { delegation: 'government:ZA', region: 'region:AFRICA', group: null, all: 'all' }[circle],
          });
          for (const who of CIRCLE_READERS) {
            const reads = READS[circle][who];
            const list = await send('GET', `/api/documents/${DOC}/amendments`, who);
            expect(
              (list.body as AmendmentView[]).some((a) => a.id === draft.id),
              `${who} lists`,
            ).toBe(reads);
            expect((await send('GET', `/api/amendments/${draft.id}`, who)).status, `${who} reads`).toBe(
              reads ? OK : 404,
            );
            const socket = sockets.get(who);
            if (!socket) throw new Error(`no socket for ${who}`);
            await socketBarrier(socket.socket, DOC);
            const told = socket.events.some(
              (e) => e.name === ServerEvent.DraftChanged && JSON.stringify(e.payload).includes(marker),
            );
            expect(told, `${who} is told`).toBe(reads);
            expect(JSON.stringify(socket.events).includes(marker), `${who} hears of it`).toBe(reads);
            // Editing: the owner's group among those who read it (any government, for a State's draft, as
            // before circles); a regional group's draft, its member States' delegates only.
            const government = who.startsWith('gov-');
            const member = who === 'gov-South Africa 2' || who === 'gov-Nigeria';
            const mayEdit = reads && government && (onBehalfOf === 'region:AFRICA' ? member : true);
            const edit = await send('PATCH', `/api/amendments/${draft.id}`, who, { text: ` ${marker} revu` });
            expect(edit.status, `${who} edits: ${JSON.stringify(edit.body)}`).toBe(
              mayEdit ? OK : reads ? FORBIDDEN : 404,
            );
          }
        } finally {
          for (const s of sockets.values()) s.socket.disconnect();
        }
      });
    }
  }

  it('refuses a circle the author is not in, with its reason', async () => {
    const refused = async (as: string, extra: Record<string, unknown>, why: string) => {
      const res = await call(`/api/documents/${DOC}/amendments`, as, { ...form(), draft: true, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(FORBIDDEN);
      expect((res.body as { reason?: { code: string } }).reason?.code).toBe(why);
    };
    await refused('gov-France', { circle: 'region', region: 'AFRICA' }, 'draft_region_not_member');
    await refused('gov-Brazil', { circle: 'region' }, 'draft_region_not_member');
    await refused('employers', { circle: 'delegation' }, 'draft_delegation_only');
    await refused('office', { circle: 'delegation' }, 'draft_delegation_only');
  });
});
