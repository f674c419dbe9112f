import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../context';
import { listMembers, lists } from '../db/schema';
import { decodeCursor, NewestKey, toPage } from '../http/pagination';
import { getContact } from './contacts';
import { listMicros, listsAfter, newestListsFirst } from './lists/lists';
import type { ContactListEntry } from './schemas';

/**
 * GET /v1/contacts/{contactId}/lists: the lists that hold a contact, newest list first, with
 * when it joined each. list_members has no index by contact (every import would pay for one):
 * the join probes its primary key (list_id, contact_id) once per list, and lists are few.
 */
export async function listContactLists(
  ctx: AppContext,
  contactId: string,
  page: { cursor?: string; limit: number },
) {
  await getContact(ctx, contactId);
  const after = decodeCursor(page.cursor, NewestKey);
  const rows = await ctx.database.db
    .select({
      id: lists.id,
      name: lists.name,
      addedAt: listMembers.createdAt,
      micros: listMicros,
    })
    .from(lists)
    .innerJoin(
      listMembers,
      and(eq(listMembers.listId, lists.id), eq(listMembers.contactId, contactId)),
    )
    .where(listsAfter(after))
    .orderBy(...newestListsFirst)
    .limit(page.limit + 1);
  return toPage(
    rows,
    page.limit,
    (row): ContactListEntry => ({ id: row.id, name: row.name, addedAt: row.addedAt.toISOString() }),
    (row) => [row.micros, row.id],
  );
}
