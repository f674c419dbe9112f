import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { decodeCursor, toPage } from '../http/pagination';
import { assertUuid } from '../http/params';
import { getList } from './lists/lists';
import { type ContactRow, contactById, listMemberRows } from './queries';
import type { Contact } from './schemas';

export const toContact = (row: ContactRow): Contact => ({
  id: row.id,
  phone: row.phone,
  attributes: row.attributes ?? {},
  ...(row.omitted ? { attributesOmitted: true } : {}),
  optedOut: row.optedOutAt !== null,
  optedOutAt: row.optedOutAt,
  createdAt: row.createdAt,
});

export async function getContact(ctx: AppContext, id: string): Promise<Contact> {
  assertUuid(id, 'Contact');
  const row = await contactById(ctx.database.sql, id, ctx.config.LIST_PAGE_MAX_BYTES);
  if (!row) throw AppError.notFound('Contact', id);
  return toContact(row);
}

/**
 * A list's contacts in id order, `limit` at a time (the list_members primary key serves it),
 * and no more than LIST_PAGE_MAX_BYTES of their attributes (see withinBytes).
 */
export async function listContacts(
  ctx: AppContext,
  listId: string,
  page: { cursor?: string; limit: number },
) {
  await getList(ctx, listId);
  const after = decodeCursor(page.cursor, z.uuid());
  const budget = ctx.config.LIST_PAGE_MAX_BYTES;
  const rows = await listMemberRows(ctx.database.sql, listId, after, page.limit + 1, budget);
  const fitting = rows.filter((row) => row.fits).length;
  return toPage(rows, page.limit, toContact, (row) => row.id, fitting);
}
