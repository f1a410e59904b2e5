import { LoginRequest, type MeResponse, type SessionResponse } from '../../shared/api.js';
import { SESSION_COOKIE } from '../../shared/limits.js';
import { LoginThrottle } from '../auth/loginThrottle.js';
import { decoyHash, verifyPassword } from '../auth/passwords.js';
import { HttpError } from '../errors.js';
import { type Router, readJson, sendJson } from '../http/router.js';
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

export function sessionRoutes(router: Router, services: AppServices): void {
  const throttle = new LoginThrottle();
  router.post('/api/session', async ({ req, res }) => {
    const { username: typed, password } = await readJson(req, LoginRequest);
    const username = typed.toLowerCase();
    const wait = throttle.retryAfter(username);
    if (wait > 0) {
      services.metrics.signInFailures.inc({ reason: 'throttled' });
      const minutes = Math.ceil(wait / 60_000);
      throw new HttpError(429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${minutes} min.`);
    }
    const user = await services.store.findUserByUsername(username);
    const demoRefused = user?.demo === true && !services.sessions.demoAccountsAllowed;
    // Hash even for unknown users, so the response time does not tell which usernames exist.
    const valid = await verifyPassword(password, user && !demoRefused ? user.passwordHash : await decoyHash());
    if (!user || demoRefused || !valid) {
      throttle.fail(username);
      services.metrics.signInFailures.inc({ reason: 'invalid_credentials' });
      throw new HttpError(401, 'invalid_credentials', 'Wrong username or password.');
    }
    throttle.succeed(username);
    const { token, expiresAt } = await services.sessions.create(user.id);
    const body: SessionResponse = { user: presentUser(user), token, abilities: abilitiesFor(user), expiresAt };
    sendJson(res, 200, body, {
      'set-cookie': cookie(services, token, Math.floor(services.config.sessionTtlMs / 1000)),
    });
    return undefined;
  });

  router.delete('/api/session', async (ctx) => {
    const auth = await requireUser(services, ctx);
    await services.sessions.revoke(auth.tokenHash);
    services.onSessionEnded(auth.tokenHash);
    sendJson(ctx.res, 200, { ok: true }, { 'set-cookie': cookie(services, '', 0) });
    return undefined;
  });

  router.get('/api/me', async (ctx) => {
    const { user } = await requireUser(services, ctx);
    const body: MeResponse = { user: presentUser(user), abilities: abilitiesFor(user) };
    return body;
  });
}
