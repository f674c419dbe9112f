import { desc, eq } from 'drizzle-orm';
import type { Actor } from '../access/actor';
import type { AppContext } from '../context';
import { microsOf, olderThan } from '../db/keyset';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { decodeCursor, NewestKey, type PageQuery, toPage } from '../http/pagination';
import { assertUuid } from '../http/params';
import type { Me, User, UserPage } from './schemas';
import { toUser, userColumns } from './user-json';

export async function getUser(ctx: AppContext, id: string): Promise<User> {
  assertUuid(id, 'User');
  const [row] = await ctx.database.db.select(userColumns).from(users).where(eq(users.id, id));
  if (!row) throw AppError.notFound('User', id);
  return toUser(row);
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listUsers(ctx: AppContext, page: PageQuery): Promise<UserPage> {
  const after = decodeCursor(page.cursor, NewestKey);
  const rows = await ctx.database.db
    .select({ ...userColumns, micros: microsOf(users.createdAt) })
    .from(users)
    .where(olderThan(users.createdAt, users.id, after, 'uuid'))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toUser, (row) => [row.micros, row.id]);
}

/** Who calls: the machine token has no user; a session or a personal token has theirs. */
export async function getMe(ctx: AppContext, actor: Actor): Promise<Me> {
  if (actor.kind === 'machine') return { kind: 'machine', role: actor.role };
  const user = await getUser(ctx, actor.user.id);
  return { kind: actor.kind, role: user.role, user };
}
