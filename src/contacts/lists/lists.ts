import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context';
import { microsOf, olderThan } from '../../db/keyset';
import { campaigns, listMemberCounts, listMembers, lists, runs } from '../../db/schema';
import { AppError } from '../../errors';
import { decodeCursor, NewestKey, toPage } from '../../http/pagination';
import { assertUuid } from '../../http/params';
import type { CreateList, List, UpdateList } from './schemas';

/** A list's size from its counter rows (one after a compaction), not a count of its members. */
const contactCount = sql<number>`(select coalesce(sum(${listMemberCounts.n}), 0)::int from ${listMemberCounts} where ${listMemberCounts.listId} = ${lists.id})`;
const columns = {
  id: lists.id,
  name: lists.name,
  description: lists.description,
  createdAt: lists.createdAt,
  contactCount,
};
type Row = typeof lists.$inferSelect & { contactCount: number };

const toList = (row: Row): List => ({ ...row, createdAt: row.createdAt.toISOString() });

export async function createList(ctx: AppContext, input: CreateList): Promise<List> {
  const [row] = await ctx.database.db
    .insert(lists)
    .values({ name: input.name, description: input.description ?? null })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return toList({ ...row, contactCount: 0 });
}

export async function getList(ctx: AppContext, id: string): Promise<List> {
  assertUuid(id, 'List');
  const [row] = await ctx.database.db.select(columns).from(lists).where(eq(lists.id, id));
  if (!row) throw AppError.notFound('List', id);
  return toList(row);
}

/**
 * The names of these lists by id, without their contact counts (a campaign's page names its
 * lists; counting a list of a million members is not worth a name). A deleted list is absent.
 */
export async function listNames(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.database.db
    .select({ id: lists.id, name: lists.name })
    .from(lists)
    .where(inArray(lists.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * Renames a list, or changes its description (a body with neither changes nothing); its
 * contacts and the campaigns that use it are untouched.
 */
export async function updateList(ctx: AppContext, id: string, input: UpdateList): Promise<List> {
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
  };
  if (Object.keys(changes).length === 0) return getList(ctx, id);
  assertUuid(id, 'List');
  const [row] = await ctx.database.db
    .update(lists)
    .set(changes)
    .where(eq(lists.id, id))
    .returning({ id: lists.id });
  if (!row) throw AppError.notFound('List', id);
  return getList(ctx, id);
}

/** Lists newest first (NewestKey): the cursor's column, and the lists after a cursor. */
export const listMicros = microsOf(lists.createdAt);
export const listsAfter = (after: NewestKey | undefined) =>
  olderThan(lists.createdAt, lists.id, after, 'uuid');
export const newestListsFirst = [desc(lists.createdAt), desc(lists.id)];

/** Newest first; the cursor keeps the creation time to the microsecond (NewestKey). */
export async function listLists(ctx: AppContext, page: { cursor?: string; limit: number }) {
  const after = decodeCursor(page.cursor, NewestKey);
  const rows = await ctx.database.db
    .select({ ...columns, micros: listMicros })
    .from(lists)
    .where(listsAfter(after))
    .orderBy(...newestListsFirst)
    .limit(page.limit + 1);
  return toPage(rows, page.limit, toList, (row) => [row.micros, row.id]);
}

/** Deletes the list and its memberships; its contacts stay. */
export async function deleteList(ctx: AppContext, id: string): Promise<void> {
  assertUuid(id, 'List');
  await ctx.database.db.transaction(async (tx) => {
    // Lock the list first, so that a campaign cannot be scheduled on it while we look.
    const [list] = await tx
      .select({ id: lists.id, name: lists.name })
      .from(lists)
      .where(eq(lists.id, id))
      .for('update');
    if (!list) throw AppError.notFound('List', id);
    const [user] = await tx
      .select({ id: campaigns.id, name: campaigns.name })
      .from(campaigns)
      .where(
        or(
          and(
            sql`${id}::uuid = any(${campaigns.listIds})`,
            inArray(campaigns.status, ['scheduled', 'running', 'paused']),
          ),
          // a run keeps the lists it was opened with while its snapshot goes on
          inArray(
            campaigns.id,
            tx
              .select({ id: runs.campaignId })
              .from(runs)
              .where(
                and(
                  sql`${id}::uuid = any(${runs.listIds})`,
                  inArray(runs.status, ['running', 'paused']),
                  isNull(runs.snapshotDoneAt),
                ),
              ),
          ),
        ),
      )
      .limit(1);
    if (user) {
      throw new AppError(
        'conflict',
        `The list "${list.name}" is used by the campaign "${user.name}" (${user.id}), which is not finished: cancel it, or let it finish, first.`,
      );
    }
    await tx.delete(listMembers).where(eq(listMembers.listId, id));
    // after the members: their delete appended the list's last counter row
    await tx.delete(listMemberCounts).where(eq(listMemberCounts.listId, id));
    await tx.delete(lists).where(eq(lists.id, id));
  });
}
