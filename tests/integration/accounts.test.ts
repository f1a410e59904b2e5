import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, AccountWithPassword, SignInLink } from '../../shared/accounts.js';
import { ServerEvent } from '../../shared/events.js';
import {
  type Cast,
  type Person,
  buildCast,
  call,
  consultationDocument,
  joinedSocket,
} from '../support/consultation.js';
import { type TestServer, startTestServer } from '../support/testServer.js';

const DOC = 'gb-999-accounts-1';

let server: TestServer;
let cast: Cast;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  server = await startTestServer({ document: consultationDocument(DOC) });
  cast = await buildCast(server);
});

afterAll(async () => {
  for (const c of cleanups.splice(0)) c();
  await server.stop();
});

type Failure = { error?: string; message?: string };
const api = <T>(method: string, path: string, who: Person | null, body?: unknown) =>
  call<T & Failure>(server, method, path, who, body);

const signIn = (username: string, password: string) =>
  api<{ token: string }>('POST', '/api/session', null, { username, password });

async function accountActions(id: string): Promise<string[]> {
  const { entries } = await server.store.audit.list('', { limit: 1000, offset: 0 });
  return entries
    .filter((e) => e.targetId === id)
    .map((e) => e.action)
    .reverse();
}

const tokenOfLink = (link: SignInLink) => link.path.slice(link.path.indexOf('#') + 1);

describe('the Office administers participants', () => {
  it('only the Office lists, creates or changes accounts', async () => {
    for (const who of [cast.france, cast.employers, cast.observer]) {
      expect((await api('GET', '/api/admin/users', who)).status).toBe(403);
      const created = await api('POST', '/api/admin/users', who, {
        username: 'sneaky',
        name: 'Sneaky',
        role: 'secretariat',
        group: null,
        memberState: null,
      });
      expect(created.status).toBe(403);
      expect((await api('POST', `/api/admin/users/${cast.workers.user.id}/password`, who)).status).toBe(403);
    }
    expect((await api('GET', '/api/admin/users', null)).status).toBe(401);
    expect((await signIn('sneaky', 'whatever-it-is')).status).toBe(401);
  });

  it('creates a delegate of Nigeria by State code, who signs in with the password shown once; edits are audited', async () => {
    const refused = await api('POST', '/api/admin/users', cast.office, {
      username: 'gov-ng-2',
      name: 'Ngozi Okafor',
      role: 'delegate',
      group: 'government',
      memberState: 'Nigeria',
    });
    expect(refused.status).toBe(400);
    const noState = await api('POST', '/api/admin/users', cast.office, {
      username: 'gov-ng-2',
      name: 'Ngozi Okafor',
      role: 'delegate',
      group: 'government',
      memberState: null,
    });
    expect(noState.status).toBe(400);

    const res = await api<AccountWithPassword>('POST', '/api/admin/users', cast.office, {
      username: 'gov-ng-2',
      name: 'Ngozi Okafor',
      role: 'delegate',
      group: 'government',
      memberState: 'NG',
    });
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({
      username: 'gov-ng-2',
      memberState: 'NG',
      group: 'government',
      active: true,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/);
    const again = await api('POST', '/api/admin/users', cast.office, {
      username: 'gov-ng-2',
      name: 'Other',
      role: 'observer',
      group: null,
      memberState: null,
    });
    expect(again.status).toBe(409);
    expect((again.body as { reason?: unknown }).reason).toEqual({
      code: 'username_taken',
      params: { username: 'gov-ng-2' },
    });

    const session = await signIn('gov-ng-2', res.body.password);
    expect(session.status).toBe(200);
    const me = await api<{ user: { memberState: string } }>('GET', '/api/me', {
      user: { id: res.body.account.id } as Person['user'],
      token: session.body.token,
    });
    expect(me.body.user.memberState).toBe('NG');

    const edited = await api<Account>('PATCH', `/api/admin/users/${res.body.account.id}`, cast.office, {
      name: 'Ngozi A. Okafor',
    });
    expect(edited.status).toBe(200);
    expect(edited.body.name).toBe('Ngozi A. Okafor');
    // Role, group and State are checked together: an employer has no State.
    const incoherent = await api('PATCH', `/api/admin/users/${res.body.account.id}`, cast.office, {
      role: 'delegate',
      group: 'employers',
      memberState: 'NG',
    });
    expect(incoherent.status).toBe(400);
    // … also when the change leaves the State out: it would be kept.
    const partial = await api('PATCH', `/api/admin/users/${res.body.account.id}`, cast.office, { group: 'employers' });
    expect(partial.status).toBe(400);

    const list = await api<Account[]>('GET', '/api/admin/users', cast.office);
    expect(list.body.find((a) => a.username === 'gov-ng-2')?.name).toBe('Ngozi A. Okafor');
    expect(await accountActions(res.body.account.id)).toEqual(['user.created', 'user.edited']);
  });

  it('deactivating ends the account’s sessions and live sockets, and it can no longer sign in', async () => {
    const created = await api<AccountWithPassword>('POST', '/api/admin/users', cast.office, {
      username: 'leaving',
      name: 'Lea Ving',
      role: 'delegate',
      group: 'workers',
      memberState: null,
    });
    const id = created.body.account.id;
    const token = (await signIn('leaving', created.body.password)).body.token;
    const person: Person = { user: { id } as Person['user'], token };
    const live = await joinedSocket(server, person, DOC);
    cleanups.push(() => live.socket.disconnect());
    const ended = new Promise<void>((resolve) => live.socket.once(ServerEvent.SessionEnded, () => resolve()));

    expect((await api('PATCH', `/api/admin/users/${cast.office.user.id}`, cast.office, { active: false })).status).toBe(
      409,
    );
    const off = await api<Account>('PATCH', `/api/admin/users/${id}`, cast.office, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    await ended;
    expect((await api('GET', '/api/me', person)).status).toBe(401);
    expect((await signIn('leaving', created.body.password)).status).toBe(401);
    const link = await api<{ reason?: { code: string } }>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    expect(link.status).toBe(409);
    expect(link.body.reason?.code).toBe('account_deactivated');

    const on = await api<Account>('PATCH', `/api/admin/users/${id}`, cast.office, { active: true });
    expect(on.body.active).toBe(true);
    expect((await signIn('leaving', created.body.password)).status).toBe(200);
    expect(await accountActions(id)).toEqual([
      'user.created',
      'user.deactivated',
      'session.sign_in_failed',
      'user.reactivated',
    ]);
  });

  it('a password reset is shown once and ends the old sessions', async () => {
    const created = await api<AccountWithPassword>('POST', '/api/admin/users', cast.office, {
      username: 'forgetful',
      name: 'For Getful',
      role: 'observer',
      group: null,
      memberState: null,
    });
    const id = created.body.account.id;
    const token = (await signIn('forgetful', created.body.password)).body.token;
    const reset = await api<AccountWithPassword>('POST', `/api/admin/users/${id}/password`, cast.office);
    expect(reset.status).toBe(200);
    expect(reset.body.password).not.toBe(created.body.password);
    expect((await api('GET', '/api/me', { user: { id } as Person['user'], token })).status).toBe(401);
    expect((await signIn('forgetful', created.body.password)).status).toBe(401);
    expect((await signIn('forgetful', reset.body.password)).status).toBe(200);
    // Shown once: the list never carries it.
    expect(JSON.stringify((await api('GET', '/api/admin/users', cast.office)).body)).not.toContain(reset.body.password);
    expect(await accountActions(id)).toEqual(['user.created', 'user.password_reset', 'session.sign_in_failed']);
  });

  it('a one-time sign-in link works once, is stored hashed, and expires', async () => {
    const created = await api<AccountWithPassword>('POST', '/api/admin/users', cast.office, {
      username: 'linked',
      name: 'Lin Ked',
      role: 'delegate',
      group: 'employers',
      memberState: null,
    });
    const id = created.body.account.id;
    const link = await api<SignInLink>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    expect(link.status).toBe(200);
    expect(link.body.path).toMatch(/^\/sign-in\/link#[A-Za-z0-9_-]{40,}$/);
    const token = tokenOfLink(link.body);

    // Only the hash is stored: the token itself is no key of the store.
    const probe = { tokenHash: 'probe-session', createdAt: Date.now(), expiresAt: Date.now() + 60_000 };
    expect(await server.store.signInByLink(token, Date.now(), probe)).toBeNull();

    const first = await api<{ token: string; user: { id: string } }>('POST', '/api/session/link', null, { token });
    expect(first.status).toBe(200);
    expect(first.body.user.id).toBe(id);
    expect(first.headers.get('set-cookie')).toContain('concord_session=');
    const second = await api('POST', '/api/session/link', null, { token });
    expect(second.status).toBe(401);
    expect(second.body.error).toBe('invalid_link');

    const later = await api<SignInLink>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    const clock = server.services.clock;
    const now = clock.now();
    server.services.clock = { now: () => now + 73 * 3600_000 };
    try {
      const expired = await api('POST', '/api/session/link', null, { token: tokenOfLink(later.body) });
      expect(expired.status).toBe(401);
    } finally {
      server.services.clock = clock;
    }
    // Refused past its expiry, the same unused link still works within its time.
    expect((await api('POST', '/api/session/link', null, { token: tokenOfLink(later.body) })).status).toBe(200);
    expect(await accountActions(id)).toEqual([
      'user.created',
      'user.sign_in_link_created',
      'session.signed_in_by_link',
      'user.sign_in_link_created',
      'session.signed_in_by_link',
    ]);
  });

  it('a new sign-in link replaces the account’s unused one: only the latest the Office sent signs in', async () => {
    const created = await api<AccountWithPassword>('POST', '/api/admin/users', cast.office, {
      username: 'relinked',
      name: 'Re Linked',
      role: 'delegate',
      group: 'workers',
      memberState: null,
    });
    const id = created.body.account.id;
    const older = await api<SignInLink>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    const newer = await api<SignInLink>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    expect([older.status, newer.status]).toEqual([200, 200]);
    // Another account's link is not touched by this one's.
    const other = await api<SignInLink>('POST', `/api/admin/users/${cast.france.user.id}/sign-in-link`, cast.office);

    const byOlder = await api('POST', '/api/session/link', null, { token: tokenOfLink(older.body) });
    expect(byOlder.status).toBe(401);
    expect(byOlder.body.error).toBe('invalid_link');
    expect((await api('POST', '/api/session/link', null, { token: tokenOfLink(newer.body) })).status).toBe(200);
    expect((await api('POST', '/api/session/link', null, { token: tokenOfLink(other.body) })).status).toBe(200);

    // A used link is history, not replaced: the next link says it replaced none.
    await api<SignInLink>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    // Nor is an expired one: a link sent after the last one's expiry replaced nothing usable.
    const clock = server.services.clock;
    const now = clock.now();
    server.services.clock = { now: () => now + 73 * 3600_000 };
    try {
      await api<SignInLink>('POST', `/api/admin/users/${id}/sign-in-link`, cast.office);
    } finally {
      server.services.clock = clock;
    }
    const { entries } = await server.store.audit.list('', { limit: 1000, offset: 0 });
    const links = entries.filter((e) => e.targetId === id && e.action === 'user.sign_in_link_created').reverse();
    expect(links.map((e) => e.details.replaced ?? 0)).toEqual([0, 1, 0, 0]);
  });

  it('the accounts’ log is the Office’s to read: its account changes, newest first', async () => {
    const created = await api<{ account: { id: string } }>('POST', '/api/admin/users', cast.office, {
      username: 'gov-ke',
      name: 'Wanjiru Kamau',
      role: 'delegate',
      group: 'government',
      memberState: 'KE',
    });
    expect(created.status).toBe(201);
    const id = created.body.account.id;
    expect((await api('PATCH', `/api/admin/users/${id}`, cast.office, { active: false })).status).toBe(200);
    for (const who of [cast.france, cast.employers, cast.observer]) {
      expect((await api('GET', '/api/admin/audit', who)).status).toBe(403);
    }
    expect((await api('GET', '/api/admin/audit', null)).status).toBe(401);
    const log = await api<{ entries: { action: string; targetRef: string; userName: string }[]; total: number }>(
      'GET',
      '/api/admin/audit?limit=5',
      cast.office,
    );
    expect(log.status).toBe(200);
    expect(log.body.entries.slice(0, 2).map((e) => [e.action, e.targetRef, e.userName])).toEqual([
      ['user.deactivated', 'gov-ke', cast.office.user.name],
      ['user.created', 'gov-ke', cast.office.user.name],
    ]);
    expect(log.body.total).toBeGreaterThanOrEqual(2);
  });
});
