import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor';
import type { AppContext } from '../context';
import { apiTokens, users } from '../db/schema';
import { digest } from './sessions';

/** Personal tokens start so, which tells them from API_TOKEN in a log line or a leak scan. */
export const personalTokenPrefix = 'wbt_';

/**
 * The actor of a personal API token: its user's role, while the user is enabled and the token
 * not revoked (revoking deletes it). `last_used_at` is written at most once a minute.
 */
export async function findTokenActor(ctx: AppContext, token: string): Promise<Actor | null> {
  if (!token.startsWith(personalTokenPrefix)) return null;
  const tokenHash = digest(token);
  const [row] = await ctx.database.db
    .select({
      tokenId: apiTokens.id,
      stale: sql<boolean>`coalesce(${apiTokens.lastUsedAt} < now() - interval '1 minute', true)`,
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), eq(users.disabled, false)));
  if (!row) return null;
  if (row.stale) {
    await ctx.database.db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiTokens.id, row.tokenId));
  }
  const { tokenId, stale: _, ...user } = row;
  return { kind: 'token', role: user.role, user, tokenId };
}
