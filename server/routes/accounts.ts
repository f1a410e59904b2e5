import { randomBytes, randomUUID } from 'node:crypto';
import { type Account, SIGN_IN_LINK_HOURS } from '../../shared/accounts.js';
import type { AuditPage } from '../../shared/audit.js';
import { routes } from '../../shared/contract/index.js';
import { appendAudit } from '../audit/record.js';
import { hashPassword } from '../auth/passwords.js';
import { powersOf } from '../auth/powers.js';
import { hashToken, newToken } from '../auth/sessions.js';
import { requireKnownRegions, setRegionsOfState } from '../commands/regionMemberships.js';
import { badRequest, notFound } from '../errors.js';
import { parseWith, type Router, readJson } from '../http/router.js';
import { whyCannotChangeAccount, whyCannotManageAccounts } from '../policies/accounts.js';
import { conflictBecause, refusalError, throwIfRefused } from '../policies/refusal.js';
import type { UserRecord } from '../storage/Store.js';
import { type AppServices, requireUser } from './context.js';

/** Account actions are not about a document: the audit keeps them under the empty document id, like sign-ins. */
const ACCOUNT_AUDIT_DOCUMENT = '';

function presentAccount(user: UserRecord): Account {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    role: user.role,
    group: user.group,
    memberState: user.memberState,
    demo: user.demo,
    active: user.deactivatedAt === null,
    createdAt: user.createdAt,
    regions: [...(user.regions ?? [])],
  };
}

/** A password the Office reads out or sends once: 16 characters from 96 random bits. */
function newPassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The Office's participants screen: list, create, edit, deactivate accounts, reset a password or make
 * a one-time sign-in link. Every action is audited; ending an account's sessions closes its live sockets.
 */
export function accountRoutes(router: Router, services: AppServices): void {
  const office = async (ctx: Parameters<typeof requireUser>[1]) => {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyCannotManageAccounts(user));
    return user;
  };
  const audit = (actor: UserRecord, action: string, target: UserRecord, details: Record<string, unknown> = {}) =>
    appendAudit(
      services.store.audit,
      actor,
      {
        action: `user.${action}`,
        documentId: ACCOUNT_AUDIT_DOCUMENT,
        targetType: 'user',
        targetId: target.id,
        targetRef: target.username,
        details,
      },
      'http',
      services.clock.now(),
    );
  const target = async (id: string) => {
    const user = await services.store.findUserById(id);
    if (!user) throw notFound(`There is no account "${id}".`);
    return user;
  };
  const endSessions = (hashes: string[]) => {
    for (const hash of hashes) services.onSessionEnded(hash);
  };

  // Account changes are kept under the same empty document id as failed sign-ins: one log of accounts.
  router.route(routes.accountAudit, async (ctx) => {
    await office(ctx);
    const query = parseWith(routes.accountAudit.query, Object.fromEntries(ctx.url.searchParams));
    const { entries, total } = await services.store.audit.list(ACCOUNT_AUDIT_DOCUMENT, query);
    const page: AuditPage = { entries, total, limit: query.limit, offset: query.offset };
    return page;
  });

  router.route(routes.accounts, async (ctx) => {
    await office(ctx);
    return (await services.store.listUsers()).map(presentAccount);
  });

  router.route(routes.createAccount, async (ctx) => {
    const actor = await office(ctx);
    const request = await readJson(ctx.req, routes.createAccount.request);
    if (await services.store.findUserByUsername(request.username)) {
      throw refusalError(
        conflictBecause('username_taken', `An account "${request.username}" already exists.`, {
          username: request.username,
        }),
      );
    }
    const { regions, ...who } = request;
    if (regions !== undefined) await requireKnownRegions(services, regions);
    const password = newPassword();
    let created = await services.store.createUser({
      id: randomUUID(),
      ...who,
      passwordHash: await hashPassword(password),
      demo: false,
    });
    if (regions !== undefined && created.memberState !== null) {
      await setRegionsOfState(services, created.memberState, regions);
      created = await target(created.id);
    }
    await audit(actor, 'created', created, {
      role: created.role,
      group: created.group,
      memberState: created.memberState,
      regions: created.regions ?? [],
    });
    return { account: presentAccount(created), password };
  });

  router.route(routes.updateAccount, async (ctx) => {
    const actor = await office(ctx);
    const { id } = parseWith(routes.updateAccount.params, ctx.params);
    const { active, regions, ...change } = await readJson(ctx.req, routes.updateAccount.request);
    throwIfRefused(whyCannotChangeAccount(actor, id, { active, role: change.role }));
    const before = await target(id);
    if (regions !== undefined) await requireKnownRegions(services, regions);
    // A partial change is judged with what it leaves unchanged: no employer keeps a State.
    const merged = { ...before, ...change };
    const delegate = merged.role === 'delegate';
    if (
      delegate !== (merged.group !== null) ||
      (delegate && merged.group === 'government') !== (merged.memberState !== null)
    ) {
      throw badRequest(
        'A delegate belongs to a group, and a government delegate speaks for one State; nobody else has one.',
      );
    }
    if (regions !== undefined && regions.length > 0 && merged.memberState === null) {
      throw badRequest('Regional groups are those of a State: only a government delegate’s account has them.');
    }
    let after = (await services.store.updateUser(id, change)) ?? before;
    // The State's memberships, for all its delegates (setRegionsOfState renews their sockets).
    let regionsChanged = false;
    if (regions !== undefined && after.memberState !== null) {
      regionsChanged = (await setRegionsOfState(services, after.memberState, regions)).changed;
      after = await target(id);
    }
    if (Object.keys(change).length > 0 || regionsChanged)
      await audit(actor, 'edited', after, {
        before: presentAccount(before),
        change: regionsChanged ? { ...change, regions: after.regions ?? [] } : change,
      });
    // Live sockets were admitted with the old role, group or State: they reconnect with the new ones.
    if (powersOf(after) !== powersOf(before)) services.onPowersChanged(after);
    if (active !== undefined && active !== (before.deactivatedAt === null)) {
      const result = await services.store.setUserDeactivated(id, active ? null : services.clock.now());
      if (!result) throw notFound(`There is no account "${id}".`);
      after = result.user;
      endSessions(result.endedSessions);
      await audit(actor, active ? 'reactivated' : 'deactivated', after, { sessionsEnded: result.endedSessions.length });
    }
    return presentAccount(after);
  });

  router.route(routes.resetPassword, async (ctx) => {
    const actor = await office(ctx);
    const { id } = parseWith(routes.resetPassword.params, ctx.params);
    const user = await target(id);
    const password = newPassword();
    const sessions = await services.store.sessionHashesOf(id);
    await services.store.setPasswordHash(id, await hashPassword(password));
    endSessions(sessions);
    await audit(actor, 'password_reset', user, { sessionsEnded: sessions.length });
    return { account: presentAccount(user), password };
  });

  router.route(routes.createSignInLink, async (ctx) => {
    const actor = await office(ctx);
    const { id } = parseWith(routes.createSignInLink.params, ctx.params);
    const user = await target(id);
    const deactivated = () =>
      refusalError(
        conflictBecause('account_deactivated', `${user.name}’s account is deactivated; reactivate it first.`, {
          name: user.name,
        }),
      );
    if (user.deactivatedAt !== null) throw deactivated();
    const token = newToken();
    const now = services.clock.now();
    const expiresAt = now + SIGN_IN_LINK_HOURS * 3600_000;
    // The store checks the account again in the same transaction: deactivated (or deleted) meanwhile, no link.
    const stored = await services.store.createSignInLink({
      tokenHash: hashToken(token),
      userId: id,
      createdAt: now,
      expiresAt,
    });
    if (!stored) throw deactivated();
    const { replaced } = stored;
    await audit(actor, 'sign_in_link_created', user, { expiresAt, ...(replaced > 0 ? { replaced } : {}) });
    return { account: presentAccount(user), path: `/sign-in/link#${token}`, expiresAt };
  });
}
