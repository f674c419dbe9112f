import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { sessionCookie } from '../access/authenticate';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { findSession } from '../users/sessions';

/**
 * Every console page but the sign-in needs a live session (docs/design.md, rule 28): a visitor
 * without one is sent to sign in, and back to the page afterwards. Every state-changing request
 * must carry the session's CSRF token: the `_csrf` form field, the `X-CSRF-Token` header
 * (scripts), or for a streamed upload the `_csrf` query parameter (its body is not parsed here).
 */
export function requireSignIn(ctx: AppContext): MiddlewareHandler {
  return async (c, next) => {
    const cookie = getCookie(c, sessionCookie);
    const actor = cookie ? await findSession(ctx, cookie) : null;
    if (actor?.kind !== 'user') {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        const back = c.req.path === '/' ? '' : `?next=${encodeURIComponent(pathAndQuery(c))}`;
        return c.redirect(`/sign-in${back}`, 303);
      }
      throw new AppError('unauthorized', 'Your session has ended: sign in again.');
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const given = await csrfTokenOf(c);
      if (!safeEqual(given, actor.session.csrfToken)) {
        throw new AppError(
          'forbidden',
          'This form has expired or did not come from this console: reload the page and try again.',
        );
      }
    }
    c.set('actor', actor);
    await next();
  };
}

async function csrfTokenOf(c: Context): Promise<string> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) return c.req.query('_csrf') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const form = await c.req.parseBody();
    return typeof form._csrf === 'string' ? form._csrf : '';
  }
  return '';
}

const pathAndQuery = (c: Context) => {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
};

/** Where to go after signing in: a path of this console only, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) && !next.startsWith('/sign-') ? next : '/campaigns';
}
