import { and, asc, eq } from 'drizzle-orm';
import { users } from '../db/schema';
import type { Builder } from '../db/transaction';
import { AppError } from '../errors';

/**
 * Locks every enabled admin, in id order, before the change that may take one away: two admins
 * demoting each other at once then take turns, and the second sees that only they are left
 * (a row that stopped matching is dropped from the locked set). The same order everywhere, so
 * that two such changes never wait for each other in a circle.
 */
export async function lockEnabledAdmins(db: Builder): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
    .orderBy(asc(users.id))
    .for('update');
  return rows.map((row) => row.id);
}

/** A 409 when `userId` is the only enabled admin of `admins` (docs/design.md, rule 27). */
export function keepAnAdmin(admins: string[], userId: string, change: string): void {
  if (admins.includes(userId) && admins.length === 1) {
    throw new AppError(
      'conflict',
      `User ${userId} is the last enabled admin: ${change} them would leave no one who can manage users. Make another user an admin first.`,
    );
  }
}
