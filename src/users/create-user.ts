import type { AppContext } from '../context';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { hashPassword } from './passwords';
import type { CreateUser, User } from './schemas';
import { toUser, userColumns } from './user-json';

/**
 * A new user, who signs in with the email (stored lower-cased, as sign-in compares it) and the
 * password given. An email already taken is a 409 naming the field, also when two requests
 * race for it: the unique index decides.
 */
export async function createUser(ctx: AppContext, input: CreateUser): Promise<User> {
  const email = input.email.toLowerCase();
  const passwordHash = await hashPassword(input.password);
  const [row] = await ctx.database.db
    .insert(users)
    .values({ email, name: input.name, role: input.role, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning(userColumns);
  if (!row) {
    throw new AppError('conflict', `A user with the email ${email} exists already.`, [
      { path: 'email', message: 'is taken by another user' },
    ]);
  }
  return toUser(row);
}
