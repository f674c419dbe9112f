import { eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { users } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { keepAnAdmin, lockEnabledAdmins } from './last-admin';

/**
 * Deletes a user with their sessions and tokens (the foreign keys cascade); the audit trail
 * keeps their id and email. The last enabled admin cannot be deleted (409).
 */
export async function deleteUser(ctx: AppContext, id: string): Promise<void> {
  assertUuid(id, 'User');
  await transaction(ctx.database, async ({ db }) => {
    const admins = await lockEnabledAdmins(db);
    keepAnAdmin(admins, id, 'deleting');
    const deleted = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
    if (deleted.length === 0) throw AppError.notFound('User', id);
  });
}
