import { and, eq } from 'drizzle-orm';
import { type Actor, userOf } from '../access/actor';
import { can } from '../access/permissions';
import type { AppContext } from '../context';
import { apiTokens } from '../db/schema';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';

/**
 * Revokes a token by deleting it: its next request is a 401. One's own tokens; an admin (and
 * the machine token) any user's, to stop a leaked one the audit trail names. Another user's
 * token is a 404 to anyone else, as if it did not exist.
 */
export async function revokeToken(ctx: AppContext, actor: Actor, tokenId: string): Promise<void> {
  assertUuid(tokenId, 'Token');
  const user = userOf(actor);
  const mine = can(actor, 'admin') || !user ? undefined : eq(apiTokens.userId, user.id);
  const deleted = await ctx.database.db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), mine))
    .returning({ id: apiTokens.id });
  if (deleted.length === 0) throw AppError.notFound('Token', tokenId);
}
