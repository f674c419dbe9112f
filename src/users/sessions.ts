import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor';
import type { AppContext } from '../context';
import { sessions, users } from '../db/schema';
import type { Builder } from '../db/transaction';

/** The digest stored for a session cookie or an API token: a copy of the table opens nothing. */
export const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export type NewSession = { token: string; csrfToken: string; expiresAt: Date };

/** A session for a user who just signed in (docs/design.md, rule 28). */
export async function createSession(ctx: AppContext, userId: string): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + ctx.config.SESSION_MAX_HOURS * 3600_000);
  await ctx.database.db
    .insert(sessions)
    .values({ tokenHash: digest(token), userId, csrfToken, expiresAt });
  return { token, csrfToken, expiresAt };
}

/**
 * The actor of a session cookie, or null when the session ended: logged out, idle for
 * SESSION_IDLE_MINUTES, past SESSION_MAX_HOURS, or its user disabled. `last_seen_at` is
 * written at most once a minute, so that reading pages costs no write per request.
 */
export async function findSession(ctx: AppContext, token: string): Promise<Actor | null> {
  const tokenHash = digest(token);
  const idle = sql`now() - make_interval(mins => ${ctx.config.SESSION_IDLE_MINUTES})`;
  const [row] = await ctx.database.db
    .select({
      csrfToken: sessions.csrfToken,
      stale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'`,
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, idle),
        eq(users.disabled, false),
      ),
    );
  if (!row) return null;
  if (row.stale) {
    await ctx.database.db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.tokenHash, tokenHash));
  }
  const { csrfToken, stale: _, ...user } = row;
  return { kind: 'user', role: user.role, user, session: { tokenHash, csrfToken } };
}

/** Signing out: the cookie's session is deleted, so a copy of the cookie opens nothing. */
export async function endSession(ctx: AppContext, tokenHash: string): Promise<void> {
  await ctx.database.db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/**
 * Every session of a user: on disabling them, a role change or a password reset. `db` is the
 * transaction of that change, so that the sessions end with it.
 */
export async function endUserSessions(
  ctx: AppContext,
  userId: string,
  db: Builder = ctx.database.db,
): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Housekeeping: sessions past their absolute end or idle for longer than the idle limit. */
export async function deleteEndedSessions(ctx: AppContext): Promise<void> {
  await ctx.database.db
    .delete(sessions)
    .where(
      sql`${lt(sessions.expiresAt, sql`now()`)} or ${lt(
        sessions.lastSeenAt,
        sql`now() - make_interval(mins => ${ctx.config.SESSION_IDLE_MINUTES})`,
      )}`,
    );
}
