import { z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import type { Sql } from '../db/client';
import { isoUtc } from '../db/iso';
import { AppError } from '../errors';
import { decodeCursor, toPage, withinBytes } from '../http/pagination';
import { assertUuid } from '../http/params';
import { getList } from './lists/lists';
import type { Contact } from './schemas';

type Row = {
  id: string;
  phone: string;
  /** Null when left out: larger than LIST_PAGE_MAX_BYTES, or past the page's budget. */
  attributes: Record<string, string> | null;
  omitted: boolean;
  createdAt: string;
  optedOutAt: string | null;
};

const iso = (sql: Sql, column: string) => sql.unsafe(isoUtc(column));

export const toContact = (row: Row): Contact => ({
  id: row.id,
  phone: row.phone,
  attributes: row.attributes ?? {},
  ...(row.omitted ? { attributesOmitted: true } : {}),
  optedOut: row.optedOutAt !== null,
  optedOutAt: row.optedOutAt,
  createdAt: row.createdAt,
});

/**
 * A contact's columns with its opt-out and `size`, the bytes of its attributes: a contact
 * whose attributes alone are larger than LIST_PAGE_MAX_BYTES (stored before imports had
 * limits) is answered without them, so that no answer is larger than that, whatever was stored.
 */
const contactColumns = (sql: Sql) => sql`
  c.id, c.phone, ${iso(sql, 'c.created_at')} as "createdAt",
  ${iso(sql, 'o.opted_out_at')} as "optedOutAt", c.attributes,
  octet_length(c.attributes::text) as size`;

export async function getContact(ctx: AppContext, id: string): Promise<Contact> {
  assertUuid(id, 'Contact');
  const { sql } = ctx.database;
  const budget = ctx.config.LIST_PAGE_MAX_BYTES;
  const [row] = await sql<Row[]>`
    select id, phone, "createdAt", "optedOutAt", size > ${budget} as omitted,
      case when size <= ${budget} then attributes end as attributes
    from (
      select ${contactColumns(sql)}
      from contacts c left join opt_outs o on o.phone = c.phone
      where c.id = ${id}) c`;
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
  const { sql } = ctx.database;
  const budget = ctx.config.LIST_PAGE_MAX_BYTES;
  const members = sql`
    select ${contactColumns(sql)}
    from list_members m join contacts c on c.id = m.contact_id
      left join opt_outs o on o.phone = c.phone
    where m.list_id = ${listId} ${after ? sql`and m.contact_id > ${after}` : sql``}
    order by m.contact_id
    limit ${page.limit + 1}`;
  const rows = await sql<(Row & { fits: boolean })[]>`
    select id, phone, "createdAt", "optedOutAt", size > ${budget} as omitted, fits,
      case when fits and size <= ${budget} then attributes end as attributes
    from (${withinBytes(sql, members, sql`p.id`, budget)}) w
    order by id`;
  const fitting = rows.filter((row) => row.fits).length;
  return toPage(rows, page.limit, toContact, (row) => row.id, fitting);
}
