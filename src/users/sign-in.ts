import { and, count, eq, gt, inArray, sql } from 'drizzle-orm';
import type { ActingUser } from '../access/actor';
import { recordAudit } from '../audit/record-audit';
import type { AppContext } from '../context';
import { loginFailures, users } from '../db/schema';
import { AppError } from '../errors';
import { absentUserHash, verifyPassword } from './passwords';
import { createSession, type NewSession } from './sessions';

export type SignInAttempt = { email: string; password: string; address: string };

const refused = () => new AppError('unauthorized', 'The email or the password is wrong.');

/**
 * Signs a person in and opens a session (docs/design.md, rules 28 and 29). A wrong email, a
 * wrong password and a disabled account get the same answer in about the same time, so that
 * the answer does not tell whether the email has an account. Failures are counted per account
 * and per client address; past LOGIN_MAX_FAILURES_PER_MINUTE in the last minute either way,
 * the attempt is a 429 before any password is checked.
 */
export async function signIn(
  ctx: AppContext,
  attempt: SignInAttempt,
): Promise<NewSession & { user: ActingUser }> {
  const email = attempt.email.trim().toLowerCase().slice(0, 254);
  const keys = [`account:${email}`, `address:${attempt.address}`.slice(0, 300)];
  const recent = await ctx.database.db
    .select({ key: loginFailures.key, n: count() })
    .from(loginFailures)
    .where(
      and(inArray(loginFailures.key, keys), gt(loginFailures.at, sql`now() - interval '1 minute'`)),
    )
    .groupBy(loginFailures.key);
  if (recent.some((row) => row.n >= ctx.config.LOGIN_MAX_FAILURES_PER_MINUTE)) {
    throw AppError.tooManyRequests(
      'Too many failed sign-ins for this account or from this address: try again in a minute.',
      60,
    );
  }
  const [user] = await ctx.database.db.select().from(users).where(eq(users.email, email));
  const matches = await verifyPassword(attempt.password, user?.passwordHash ?? absentUserHash);
  if (!user || !matches || user.disabled) {
    await ctx.database.db.insert(loginFailures).values(keys.map((key) => ({ key })));
    await recordAudit(
      ctx,
      { kind: 'anonymous', email },
      { action: 'user.sign_in_failed', target: { type: 'user', id: user?.id } },
    );
    throw refused();
  }
  await ctx.database.db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
  const acting: ActingUser = { id: user.id, email: user.email, name: user.name, role: user.role };
  const session = await createSession(ctx, user.id);
  await recordAudit(
    ctx,
    { kind: 'user', role: user.role, user: acting, session: { tokenHash: '', csrfToken: '' } },
    { action: 'user.sign_in', target: { type: 'user', id: user.id } },
  );
  return { ...session, user: acting };
}

/** Housekeeping: failures older than the throttle's minute count for nothing. */
export async function deleteOldLoginFailures(ctx: AppContext): Promise<void> {
  await ctx.database.db
    .delete(loginFailures)
    .where(sql`${loginFailures.at} < now() - interval '10 minutes'`);
}
