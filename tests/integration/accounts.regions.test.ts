import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account, AccountWithPassword } from '../../shared/accounts.js';
import { CloseCode } from '../../shared/closeCodes.js';
import type { RegionalGroup } from '../../shared/regions.js';
import { harness } from '../support/collabHarness.js';
import { buildCast, type Cast, call, consultationDocument } from '../support/consultation.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { buildUser, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Issue 13, item 7: the Office sets an account's regional memberships on the Participants screen. They
 * are its State's: the State joins the groups listed and leaves the others, for every delegate of that
 * State, whose live sockets are renewed with the new circles.
 */
const DOC = 'gb-999-accounts-regions-1';

const group = (code: string, shortName: string, members: string[]): RegionalGroup => ({
  code,
  nameEn: `${code} group`,
  nameFr: `Groupe ${code}`,
  nameEs: `Grupo ${code}`,
  shortName,
  members,
});

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];
const { join } = harness(() => server, cleanups);

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  await server.store.saveRegionalGroup(group('AFRICA', 'AFR', ['ZA', 'KE']));
  await server.store.saveRegionalGroup(group('GRULAC', 'GRULAC', ['BR']));
  cast = await buildCast(server);
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

afterAll(async () => {
  await server.stop();
});

const members = async (code: string) =>
  (await server.store.listRegionalGroups()).find((g) => g.code === code)?.members ?? [];

async function auditOf(id: string) {
  const { entries } = await server.store.audit.list('', { limit: 1000, offset: 0 });
  return entries.filter((e) => e.targetId === id).reverse();
}

describe('the Office sets a State’s regional groups from an account', () => {
  it('creates a delegate of Nigeria in the Africa group: Nigeria joins it, audited, and the account says so', async () => {
    const created = await call<AccountWithPassword>(server, 'POST', '/api/admin/users', cast.office, {
      username: 'ng-new',
      name: 'Ngozi Okafor',
      role: 'delegate',
      group: 'government',
      memberState: 'NG',
      regions: ['AFRICA'],
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.account.regions).toEqual(['AFRICA']);
    expect(await members('AFRICA')).toContain('NG');
    expect((await server.store.findUserById(created.body.account.id))?.regions).toEqual(['AFRICA']);
    const [line] = await auditOf(created.body.account.id);
    expect(line).toMatchObject({ action: 'user.created', details: { memberState: 'NG', regions: ['AFRICA'] } });
    const listed = await call<Account[]>(server, 'GET', '/api/admin/users', cast.office);
    expect(listed.body.find((a) => a.username === 'ng-new')?.regions).toEqual(['AFRICA']);
  });

  it('a change is the State’s: every delegate of Kenya leaves Africa and joins GRULAC, and a Kenyan’s open socket is renewed', async () => {
    const edited = await buildUser(server.store, { name: 'Wanjiru', group: 'government', memberState: 'KE' });
    const colleague = await buildUser(server.store, { name: 'Otieno', group: 'government', memberState: 'KE' });
    const open = await join(colleague, `${DOC}/part-1`);

    const res = await call<Account>(server, 'PATCH', `/api/admin/users/${edited.id}`, cast.office, {
      regions: ['GRULAC'],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.regions).toEqual(['GRULAC']);
    expect(await members('AFRICA')).not.toContain('KE');
    expect(await members('GRULAC')).toEqual(['BR', 'KE']);
    expect((await server.store.findUserById(colleague.id))?.regions).toEqual(['GRULAC']);
    // The colleague's socket was admitted with Africa's circle: it is renewed, not left with it.
    expect((await open.closed).code).toBe(CloseCode.PowersChanged);
    const lines = await auditOf(edited.id);
    expect(lines.at(-1)).toMatchObject({
      action: 'user.edited',
      details: { before: { regions: ['AFRICA'] }, change: { regions: ['GRULAC'] } },
    });
  });

  it('the same memberships again change nothing and write no audit line', async () => {
    const brazil = await buildUser(server.store, { name: 'Bruna', group: 'government', memberState: 'BR' });
    const before = (await auditOf(brazil.id)).length;
    const res = await call<Account>(server, 'PATCH', `/api/admin/users/${brazil.id}`, cast.office, {
      regions: ['GRULAC'],
    });
    expect(res.status).toBe(200);
    expect((await auditOf(brazil.id)).length).toBe(before);
  });

  it('refuses an unknown group, and groups for an account without a State, before writing anything', async () => {
    const groupsBefore = await server.store.listRegionalGroups();
    const unknown = await call(server, 'PATCH', `/api/admin/users/${cast.southAfrica.user.id}`, cast.office, {
      regions: ['AFRICA', 'NOWHERE'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('NOWHERE');
    const employer = await call(server, 'PATCH', `/api/admin/users/${cast.employers.user.id}`, cast.office, {
      regions: ['AFRICA'],
    });
    expect(employer.status).toBe(400);
    const created = await call(server, 'POST', '/api/admin/users', cast.office, {
      username: 'emp-regions',
      name: 'Eve',
      role: 'delegate',
      group: 'employers',
      memberState: null,
      regions: ['AFRICA'],
    });
    expect(created.status).toBe(400);
    expect(await server.store.findUserByUsername('emp-regions')).toBeNull();
    expect(await server.store.listRegionalGroups()).toEqual(groupsBefore);
  });

  it('only the Office sets memberships', async () => {
    const groupsBefore = await server.store.listRegionalGroups();
    for (const who of [cast.southAfrica, cast.france, cast.employers, cast.observer]) {
      const res = await call(server, 'PATCH', `/api/admin/users/${cast.southAfrica.user.id}`, who, {
        regions: [],
      });
      expect(res.status).toBe(403);
    }
    expect(await server.store.listRegionalGroups()).toEqual(groupsBefore);
  });
});

describe.skipIf(!postgresAvailable())('memberships changed at once, on PostgreSQL', () => {
  let pgServer: TestServer;
  let pgCast: Cast;
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    pgServer = await startTestServer({ document: consultationDocument(`${DOC}-pg`), databaseUrl: database.url });
    await pgServer.store.saveRegionalGroup(group('AFRICA', 'AFR', ['KE']));
    await pgServer.store.saveRegionalGroup(group('GRULAC', 'GRULAC', ['BR']));
    await pgServer.store.saveRegionalGroup(group('ASPAG', 'ASPAG', ['JP']));
    pgCast = await buildCast(pgServer);
  });

  afterAll(async () => {
    await pgServer.stop();
    await database.drop();
  });

  const patch = (id: string, body: unknown) =>
    call<Account>(pgServer, 'PATCH', `/api/admin/users/${id}`, pgCast.office, body);
  const groupsOf = async (state: string) =>
    (await pgServer.store.listRegionalGroups())
      .filter((g) => g.members.includes(state))
      .map((g) => g.code)
      .sort()
      .join();

  it('two accounts of one State changed at once end as one of the two requests, never a mix', async () => {
    const a = await buildUser(pgServer.store, { name: 'Akinyi', group: 'government', memberState: 'KE' });
    const b = await buildUser(pgServer.store, { name: 'Baraka', group: 'government', memberState: 'KE' });
    for (let i = 0; i < 10; i++) {
      expect((await patch(a.id, { regions: ['AFRICA'] })).status).toBe(200);
      const [ra, rb] = await Promise.all([
        patch(a.id, { regions: ['AFRICA', 'ASPAG'] }),
        patch(b.id, { regions: ['GRULAC'] }),
      ]);
      expect([ra.status, rb.status]).toEqual([200, 200]);
      expect(['AFRICA,ASPAG', 'GRULAC']).toContain(await groupsOf('KE'));
    }
  });

  it('a group removed or replaced while an account names it: 400 or done, never a server error', async () => {
    const ng = await buildUser(pgServer.store, { name: 'Nkechi', group: 'government', memberState: 'NG' });
    for (let i = 0; i < 10; i++) {
      await pgServer.store.saveRegionalGroup(group('XG', 'XG', ['BR']));
      expect((await patch(ng.id, { regions: [] })).status).toBe(200);
      const [res] = await Promise.all([
        patch(ng.id, { regions: ['XG'] }),
        i % 2
          ? pgServer.store.removeRegionalGroup('XG')
          : pgServer.store.saveRegionalGroup(group('XG', 'XG', ['BR', 'AR'])),
      ]);
      expect([200, 400], res.text).toContain(res.status);
    }
  });
});
