import { type CurrentSessionResponse, LoginRequest, type MeResponse, type SessionResponse } from '../../shared/api.js';
import { tokenOf } from '../auth/sessions.js';
import { noteRequestUser } from '../observability/requestUser.js';
import { SESSION_COOKIE } from '../../shared/limits.js';
import { AuditQuery, type AuditPage } from '../../shared/audit.js';
import { recordAudit } from '../audit/record.js';
import { LoginThrottle, waitSentence } from '../auth/loginThrottle.js';
import { ConcurrencyGate, KeyedGates } from '../auth/scryptGate.js';
import { decoyHash, verifyPassword } from '../auth/passwords.js';
import { HttpError } from '../errors.js';
import { type Router, parseWith, readJson, sendJson } from '../http/router.js';
import { refuseUnlessOffice } from '../policies/rounds.js';
import { abilitiesFor } from '../policies/index.js';
import { presentUser } from '../presenters/user.js';
import { type AppServices, requireUser } from './context.js';

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
  const throttle = new LoginThrottle();
  const scrypt = new ConcurrencyGate(3);
  const perAddress = new KeyedGates(1, 10);
  router.post('/api/session', async ({ req, res }) => {
    const { username: typed, password } = await readJson(req, LoginRequest);
    const username = typed.toLowerCase();
    const ip = req.socket.remoteAddress ?? 'unknown';
    const refuseIfThrottled = () => {
      const verdict = throttle.admit(username, ip, services.clock.now());
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
    refuseIfThrottled();
    // One address's sign-ins are checked one after another (a burst of guesses holds one thread, and
    // each waits behind the failures before it); the server checks a few at once.
    const checked = await perAddress.run(ip, async () => {
      refuseIfThrottled();
      const user = await services.store.findUserByUsername(username);
      const demoRefused = user?.demo === true && !services.sessions.demoAccountsAllowed;
      // Hash even for unknown users, so the response time does not tell which usernames exist.
      const hash = user && !demoRefused ? user.passwordHash : await decoyHash();
      const valid = (await scrypt.run(() => verifyPassword(password, hash))) && user !== null && !demoRefused;
      // Counted before the next guess in line is let through.
      const inARow = valid ? 0 : throttle.fail(username, ip, services.clock.now());
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
    throttle.succeed(username, ip);
    const { token, expiresAt } = await services.sessions.create(user.id);
    const body: SessionResponse = { user: presentUser(user), token, abilities: abilitiesFor(user), expiresAt };
    sendJson(res, 200, body, {
      'set-cookie': cookie(services, token, Math.floor(services.config.sessionTtlMs / 1000)),
    });
    return undefined;
  });

  /** The Office sees failed sign-ins per account (who, when, from where), newest first. */
  router.get('/api/audit/sign-ins', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const refusal = refuseUnlessOffice(user, 'reads failed sign-ins');
    if (refusal) throw new HttpError(refusal.status, 'forbidden', refusal.reason);
    const query = parseWith(AuditQuery, Object.fromEntries(ctx.url.searchParams));
    const { entries, total } = await services.store.audit.list(SIGN_IN_AUDIT_DOCUMENT, {
      ...query,
      action: SIGN_IN_FAILED,
    });
    const page: AuditPage = { entries, total, limit: query.limit, offset: query.offset };
    return page;
  });

  router.delete('/api/session', async (ctx) => {
    const auth = await requireUser(services, ctx);
    await services.sessions.revoke(auth.tokenHash);
    services.onSessionEnded(auth.tokenHash);
    sendJson(ctx.res, 200, { ok: true }, { 'set-cookie': cookie(services, '', 0) });
    return undefined;
  });

  // The page's first question. Signed out is a normal state (200, `{ user: null }`), so a first visit
  // logs no 401; GET /api/me keeps answering 401 for clients that want the error.
  router.get('/api/session', async (ctx) => {
    const auth = await services.sessions.authenticate(tokenOf(ctx.req));
    if (!auth) {
      const body: CurrentSessionResponse = { user: null };
      return body;
    }
    noteRequestUser(ctx.req, auth.user.id);
    const body: CurrentSessionResponse = { user: presentUser(auth.user), abilities: abilitiesFor(auth.user) };
    return body;
  });

  router.get('/api/me', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const body: MeResponse = { user: presentUser(user), abilities: abilitiesFor(user) };
    return body;
  });
}
