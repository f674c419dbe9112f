import { eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { users } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { keepAnAdmin, lockEnabledAdmins } from './last-admin';
import { hashPassword } from './passwords';
import type { UpdateUser, User } from './schemas';
import { endUserSessions } from './sessions';
import { toUser, userColumns } from './user-json';

/**
 * Changes a user's name, role, password or disabled flag. The last enabled admin can be neither
 * demoted nor disabled (409). Disabling, a new role or a new password ends the user's sessions
 * in the same transaction (docs/design.md, rule 28); their tokens follow the user's row, so a
 * disabled user's tokens stop at once and a new role counts from the next request.
 */
export async function updateUser(ctx: AppContext, id: string, change: UpdateUser): Promise<User> {
  assertUuid(id, 'User');
  // Hashed before the transaction: scrypt takes some 100 ms, too long to hold the locks.
  const passwordHash =
    change.password === undefined ? undefined : await hashPassword(change.password);
  return transaction(ctx.database, async ({ db }) => {
    const mayRemoveAdmin =
      (change.role !== undefined && change.role !== 'admin') || change.disabled === true;
    const admins = mayRemoveAdmin ? await lockEnabledAdmins(db) : [];
    const [current] = await db
      .select({ role: users.role, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, id))
      .for('update');
    if (!current) throw AppError.notFound('User', id);
    if (change.disabled === true) keepAnAdmin(admins, id, 'disabling');
    else if (change.role !== undefined && change.role !== 'admin')
      keepAnAdmin(admins, id, 'demoting');
    const [row] = await db
      .update(users)
      .set({
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.role === undefined ? {} : { role: change.role }),
        ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
        ...(passwordHash === undefined ? {} : { passwordHash }),
      })
      .where(eq(users.id, id))
      .returning(userColumns);
    if (!row) throw AppError.notFound('User', id);
    const endsSessions =
      passwordHash !== undefined ||
      row.role !== current.role ||
      (row.disabled && !current.disabled);
    if (endsSessions) await endUserSessions(ctx, id, db);
    return toUser(row);
  });
}
