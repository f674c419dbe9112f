import { randomBytes } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { actorOf } from '../access/actor';
import { sessionCookie } from '../access/authenticate';
import { recordAudit } from '../audit/record-audit';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { safeEqual } from '../http/auth';
import { endSession, findSession } from '../users/sessions';
import { signIn } from '../users/sign-in';
import { Document } from './layout';
import { requireSignIn, safeNext } from './session-guard';
import { ErrorSummary, InputField } from './ui/form';

/** Before a session exists, the sign-in form's CSRF token is a cookie and a field that match. */
const signInCookie = 'wbs_signin';

function SignInPage(props: { token: string; next?: string; email?: string; error?: string }) {
  return (
    <Document title="Sign in">
      <main id="main" class="sign-in">
        <div class="brand">
          <span class="brand-dot" aria-hidden="true" />
          Broadcast
        </div>
        <h1>Sign in</h1>
        <ErrorSummary errors={{}} message={props.error} />
        <form method="post" action="/sign-in" class="stack">
          <input type="hidden" name="_csrf" value={props.token} />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <InputField
            name="email"
            label="Email"
            input={{
              type: 'email',
              autocomplete: 'username',
              required: true,
              maxlength: 254,
              value: props.email ?? '',
            }}
          />
          <InputField
            name="password"
            label="Password"
            input={{
              type: 'password',
              autocomplete: 'current-password',
              required: true,
              maxlength: 200,
            }}
          />
          <button type="submit" class="button primary">
            Sign in
          </button>
        </form>
      </main>
    </Document>
  );
}

const isHttps = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // an in-process request (tests) has no socket
  }
}

function renderForm(
  c: Context,
  status: 200 | 403 | 429,
  fields: { next?: string; email?: string; error?: string },
) {
  const token = randomBytes(18).toString('base64url');
  setCookie(c, signInCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/sign-in',
    maxAge: 3600,
  });
  return c.html(<SignInPage token={token} {...fields} />, status);
}

/** The sign-in and sign-out of the console (docs/design.md, rules 28 and 29). */
export function signInRoutes(ctx: AppContext) {
  return new Hono()
    .get('/sign-in', async (c) => {
      const cookie = getCookie(c, sessionCookie);
      const next = c.req.query('next');
      if (cookie && (await findSession(ctx, cookie))) return c.redirect(safeNext(next), 303);
      return renderForm(c, 200, { next });
    })
    .post('/sign-in', async (c) => {
      const form = await c.req.parseBody();
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const next = text('next') || undefined;
      const email = text('email').slice(0, 254);
      if (!safeEqual(text('_csrf'), getCookie(c, signInCookie) ?? '')) {
        return renderForm(c, 403, {
          next,
          email,
          error: 'The form had expired: please sign in again.',
        });
      }
      try {
        const session = await signIn(ctx, {
          email,
          password: text('password').slice(0, 200),
          address: clientAddress(c),
        });
        deleteCookie(c, signInCookie, { path: '/sign-in' });
        setCookie(c, sessionCookie, session.token, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: isHttps(c),
          path: '/',
          expires: session.expiresAt,
        });
        return c.redirect(safeNext(next), 303);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.retryAfterSeconds) c.header('Retry-After', String(error.retryAfterSeconds));
        // A wrong password shows the form again (a page like any other, 200); the throttle's
        // refusal keeps its 429 and Retry-After.
        return renderForm(c, error.status === 429 ? 429 : 200, {
          next,
          email,
          error: error.message,
        });
      }
    })
    .post('/sign-out', requireSignIn(ctx), async (c) => {
      const actor = actorOf(c);
      if (actor.kind === 'user') {
        await endSession(ctx, actor.session.tokenHash);
        await recordAudit(ctx, actor, {
          action: 'user.sign_out',
          target: { type: 'user', id: actor.user.id },
        });
      }
      deleteCookie(c, sessionCookie, { path: '/' });
      return c.redirect('/sign-in', 303);
    });
}
