import type { Authenticated } from '../auth/sessions.js';
import { unauthorized } from '../errors.js';
import type { RequestContext } from '../http/router.js';
import { noteRequestUser } from '../observability/requestUser.js';
import type { AppServices } from '../services.js';

// Route modules keep importing the services type from here; it is defined in server/services.ts.
export type { AppServices, Clock } from '../services.js';

/** The signed-in user of a request, or a 401. */
export async function requireUser(services: AppServices, ctx: RequestContext): Promise<Authenticated> {
  const auth = await services.sessions.ofRequest(ctx.req);
  if (!auth) throw unauthorized('Your session has ended or is missing. Sign in again.');
  noteRequestUser(ctx.req, auth.user.id);
  return auth;
}
