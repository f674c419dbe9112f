import { randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { type ActingUser, type Actor, userOf } from '../access/actor';
import type { AppContext } from '../context';
import { apiTokens, users } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { personalTokenPrefix } from './api-tokens';
import type { NewToken } from './schemas';
import { digest } from './sessions';

/** The user a new token would belong to: the machine token (API_TOKEN) has none (409). */
export function tokenOwner(actor: Actor): ActingUser {
  const user = userOf(actor);
  if (!user) {
    throw new AppError(
      'conflict',
      'Personal tokens belong to users, and the machine token (API_TOKEN) has none: create one signed in as a user, or with a personal token.',
    );
  }
  return user;
}

/**
 * A personal API token for a user: `wbt_` and 32 random bytes. Only its digest is stored, so
 * this answer is the one place the token is ever shown. A user holds at most
 * TOKENS_PER_USER_MAX (409 past it): tokens are for a person's scripts, not one per request.
 */
export async function createToken(
  ctx: AppContext,
  userId: string,
  name: string,
): Promise<NewToken> {
  const token = `${personalTokenPrefix}${randomBytes(32).toString('base64url')}`;
  return transaction(ctx.database, async ({ db }) => {
    // The user's row, locked: two creations at once take turns at the count.
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, userId))
      .for('no key update');
    if (!user) throw AppError.notFound('User', userId);
    const [held] = await db
      .select({ n: count() })
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId));
    const max = ctx.config.TOKENS_PER_USER_MAX;
    if ((held?.n ?? 0) >= max) {
      throw new AppError(
        'conflict',
        `This user holds ${held?.n} personal tokens, the most TOKENS_PER_USER_MAX (${max}) allows: revoke one first.`,
      );
    }
    const [row] = await db
      .insert(apiTokens)
      .values({ userId, name, tokenHash: digest(token) })
      .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
    if (!row) throw new Error('insert returned no row');
    return { id: row.id, name: row.name, token, createdAt: row.createdAt.toISOString() };
  });
}
