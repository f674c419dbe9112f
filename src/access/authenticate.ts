import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { findTokenActor } from '../users/api-tokens';
import { findSession } from '../users/sessions';
import type { Actor } from './actor';
import { apiPermission, requirePermission } from './permissions';

/** The console's session cookie (docs/design.md, rule 28). */
export const sessionCookie = 'wbs_session';

/** What the console passes to the in-process API call it makes for a signed-in person. */
export type ConsoleCall = { consoleActor: Actor };

/**
 * Who calls `/v1`, then whether their role may (docs/design.md, rule 27): the console's own
 * in-process call (the page already checked the session and its CSRF token), a bearer token
 * (API_TOKEN or a personal one) or a session cookie, whose writes must carry `X-CSRF-Token`.
 */
export function authenticate(ctx: AppContext): MiddlewareHandler {
  return async (c, next) => {
    const actor =
      (c.env as Partial<ConsoleCall> | undefined)?.consoleActor ?? (await fromRequest(ctx, c));
    c.set('actor', actor);
    requirePermission(actor, apiPermission(c.req.method, c.req.path));
    await next();
  };
}

async function fromRequest(ctx: AppContext, c: Parameters<MiddlewareHandler>[0]): Promise<Actor> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const token = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
    if (token && safeEqual(token, ctx.secrets.apiToken)) return { kind: 'machine', role: 'admin' };
    const actor = token ? await findTokenActor(ctx, token) : null;
    if (actor) return actor;
    c.header('WWW-Authenticate', 'Bearer');
    throw new AppError('unauthorized', 'The bearer token is wrong, revoked or its user disabled.');
  }
  const cookie = getCookie(c, sessionCookie);
  const actor = cookie ? await findSession(ctx, cookie) : null;
  if (actor?.kind !== 'user') {
    c.header('WWW-Authenticate', 'Bearer');
    throw new AppError(
      'unauthorized',
      'A valid "Authorization: Bearer <API_TOKEN>" header (or a personal token) is required.',
    );
  }
  const safe = c.req.method === 'GET' || c.req.method === 'HEAD';
  if (!safe && !safeEqual(c.req.header('x-csrf-token') ?? '', actor.session.csrfToken)) {
    throw new AppError('forbidden', 'A write with a session cookie needs its X-CSRF-Token header.');
  }
  return actor;
}
