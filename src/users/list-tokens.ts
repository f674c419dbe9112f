import { desc, eq } from 'drizzle-orm';
import { type Actor, userOf } from '../access/actor';
import type { AppContext } from '../context';
import { apiTokens } from '../db/schema';
import type { TokenList } from './schemas';

/** The most tokens one answer lists: TOKENS_PER_USER_MAX's upper bound. */
const MAX_LISTED = 1000;

/**
 * The caller's own tokens, newest first, without the tokens themselves (only their digests are
 * kept). One answer, not pages: a user holds at most TOKENS_PER_USER_MAX. The machine token
 * has no user, and so no personal tokens.
 */
export async function listTokens(ctx: AppContext, actor: Actor): Promise<TokenList> {
  const user = userOf(actor);
  if (!user) return { data: [] };
  const rows = await ctx.database.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, user.id))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(MAX_LISTED);
  return {
    data: rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    })),
  };
}
