import type { CurrentSessionResponse, MeResponse, SessionResponse } from '../../shared/api.js';
import type { RegionalGroup } from '../../shared/regions.js';
import type { UserRecord } from '../storage/Store.js';
import { routes } from '../../shared/contract/index.js';
import { hashToken } from '../auth/sessions.js';
import { noteRequestUser } from '../observability/requestUser.js';
import { SESSION_COOKIE } from '../../shared/limits.js';
import type { AuditPage } from '../../shared/audit.js';
import { recordAudit } from '../audit/record.js';
import { waitSentence } from '../auth/loginThrottle.js';
import { ConcurrencyGate, KeyedGates } from '../auth/scryptGate.js';
import { decoyHash, verifyPassword } from '../auth/passwords.js';
import { HttpError } from '../errors.js';
import { type Router, parseWith, readJson, sendJson } from '../http/router.js';
import { whyNotOffice } from '../policies/rounds.js';
import { presentAbilities } from '../presenters/abilities.js';
import { presentUser } from '../presenters/user.js';
import { type AppServices, requireUser } from './context.js';
import { throwIfRefused } from '../policies/refusal.js';

function cookie(services: AppServices, value: string, maxAgeSeconds: number): string {
  const parts = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (services.config.secureCookies) parts.push('Secure');
  return parts.join('; ');
}

/** Sign-in failures are not about a document: they are kept in the audit log under this empty document id. */
export const SIGN_IN_AUDIT_DOCUMENT = '';
export const SIGN_IN_FAILED = 'session.sign_in_failed';

export function sessionRoutes(router: Router, services: AppServices): void {
  const throttle = services.signInThrottle;
  const scrypt = new ConcurrencyGate(3);
  const perAddress = new KeyedGates(1, 10);
  router.route(routes.signIn, async ({ req, res }) => {
    const { username: typed, password } = await readJson(req, routes.signIn.request);
    const username = typed.toLowerCase();
    const ip = services.clientAddress(req);
    const refuseIfThrottled = async () => {
      const verdict = await throttle.admit(username, ip, services.clock.now());
      if (verdict.ok) return;
      services.metrics.signInFailures.inc({ reason: 'throttled' });
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many failed sign-ins. Try again in ${waitSentence(verdict.retryAfterMs)}.`,
        undefined,
        { 'retry-after': String(Math.ceil(verdict.retryAfterMs / 1000)) },
      );
    };
    await refuseIfThrottled();
    // One address's sign-ins are checked one after another (a burst of guesses holds one thread, and
    // each waits behind the failures before it); the server checks a few at once.
    const checked = await perAddress.run(ip, async () => {
      await refuseIfThrottled();
      const user = await services.store.findUserByUsername(username);
      const demoRefused = user !== null && !services.sessions.maySignIn(user);
      // Hash even for unknown users, so the response time does not tell which usernames exist.
      const hash = user && !demoRefused ? user.passwordHash : await decoyHash();
      const valid = (await scrypt.run(() => verifyPassword(password, hash))) && user !== null && !demoRefused;
      // Counted before the next guess in line is let through.
      const inARow = valid ? 0 : await throttle.fail(username, ip, services.clock.now());
      return { user, valid, inARow };
    });
    if (checked === 'busy') {
      services.metrics.signInFailures.inc({ reason: 'throttled' });
      throw new HttpError(
        429,
        'too_many_attempts',
        'Too many sign-ins from this address at once. Try again in a moment.',
        undefined,
        {
          'retry-after': '1',
        },
      );
    }
    const { user, valid, inARow } = checked;
    if (!user || !valid) {
      services.metrics.signInFailures.inc({ reason: 'invalid_credentials' });
      if (user) {
        await recordAudit(services, user, {
          action: SIGN_IN_FAILED,
          documentId: SIGN_IN_AUDIT_DOCUMENT,
          targetType: 'user',
          targetId: user.id,
          targetRef: user.username,
          details: { failuresInARow: inARow },
        });
      }
      throw new HttpError(401, 'invalid_credentials', 'Wrong username or password.');
    }
    await throttle.succeed(username, ip);
    const { token, expiresAt } = await services.sessions.create(user.id);
    const body: SessionResponse = {
      user: presentUser(user),
      token,
      abilities: presentAbilities(user),
      expiresAt,
      regions: await regionsSpokenFor(services, user),
    };
    sendJson(res, 200, body, {
      'set-cookie': cookie(services, token, Math.floor(services.config.sessionTtlMs / 1000)),
    });
    return undefined;
  });

  // A one-time link the Office sent: the token is used once (the store claims it), then signs in as a
  // password would; an unknown, used or expired token, or a deactivated account, is a plain 401.
  router.route(routes.linkSignIn, async ({ req, res }) => {
    const { token } = await readJson(req, routes.linkSignIn.request);
    // The link's claim, its account's check and the session are one transaction (Store.signInByLink):
    // a reset or deactivation at the same moment ends the session or finds the link gone.
    const session = services.sessions.draft();
    const userId = await services.store.signInByLink(hashToken(token), services.clock.now(), session.record);
    const user = userId ? await services.store.findUserById(userId) : null;
    if (!user || !services.sessions.maySignIn(user)) {
      if (userId) await services.sessions.revoke(session.record.tokenHash);
      services.metrics.signInFailures.inc({ reason: 'invalid_credentials' });
      throw new HttpError(
        401,
        'invalid_link',
        'This sign-in link is not valid: it was used, it expired, or it was never issued.',
      );
    }
    await recordAudit(services, user, {
      action: 'session.signed_in_by_link',
      documentId: SIGN_IN_AUDIT_DOCUMENT,
      targetType: 'user',
      targetId: user.id,
      targetRef: user.username,
      details: {},
    });
    const body: SessionResponse = {
      user: presentUser(user),
      token: session.token,
      abilities: presentAbilities(user),
      expiresAt: session.record.expiresAt,
      regions: await regionsSpokenFor(services, user),
    };
    sendJson(res, 200, body, {
      'set-cookie': cookie(services, session.token, Math.floor(services.config.sessionTtlMs / 1000)),
    });
    return undefined;
  });

  /** The Office sees failed sign-ins per account (who, when, from where), newest first. */
  router.route(routes.signInAudit, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    throwIfRefused(whyNotOffice(user, 'reads failed sign-ins'));
    const query = parseWith(routes.signInAudit.query, Object.fromEntries(ctx.url.searchParams));
    const { entries, total } = await services.store.audit.list(SIGN_IN_AUDIT_DOCUMENT, {
      ...query,
      action: SIGN_IN_FAILED,
    });
    const page: AuditPage = { entries, total, limit: query.limit, offset: query.offset };
    return page;
  });

  router.route(routes.signOut, async (ctx) => {
    const auth = await requireUser(services, ctx);
    await services.sessions.revoke(auth.tokenHash);
    services.onSessionEnded(auth.tokenHash);
    sendJson(ctx.res, 200, { ok: true }, { 'set-cookie': cookie(services, '', 0) });
    return undefined;
  });

  // The page's first question. Signed out is a normal state (200, `{ user: null }`), so a first visit
  // logs no 401; GET /api/me keeps answering 401 for clients that want the error.
  router.route(routes.currentSession, async (ctx) => {
    const auth = await services.sessions.ofRequest(ctx.req);
    if (!auth) {
      const body: CurrentSessionResponse = { user: null };
      return body;
    }
    noteRequestUser(ctx.req, auth.user.id);
    const body: CurrentSessionResponse = {
      user: presentUser(auth.user),
      abilities: presentAbilities(auth.user),
      regions: await regionsSpokenFor(services, auth.user),
    };
    return body;
  });

  router.route(routes.regionalGroups, async (ctx) => {
    await requireUser(services, ctx);
    return services.store.listRegionalGroups();
  });

  router.route(routes.me, async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const body: MeResponse = {
      user: presentUser(user),
      abilities: presentAbilities(user),
      regions: await regionsSpokenFor(services, user),
    };
    return body;
  });
}

/** The regional groups a government delegate may speak for, with their names, for the client to offer. */
async function regionsSpokenFor(services: AppServices, user: UserRecord): Promise<RegionalGroup[]> {
  if (!user.regions || user.regions.length === 0) return [];
  const codes = new Set(user.regions);
  return (await services.store.listRegionalGroups()).filter((g) => codes.has(g.code));
}
