import type { Sql } from '../db/client';
import { isoUtc } from '../db/iso';
import type { RawRow } from '../db/raw-row';
import type { contacts, optOuts } from '../db/schema';
import { withinBytes } from '../http/pagination';

/**
 * A contact with its opt-out. `attributes` is null when left out: larger than
 * LIST_PAGE_MAX_BYTES (`omitted`), or past the page's budget. Timestamps as ISO text (isoUtc).
 */
export type ContactRow = Pick<RawRow<typeof contacts>, 'id' | 'phone' | 'createdAt'> & {
  attributes: RawRow<typeof contacts>['attributes'] | null;
  omitted: boolean;
  /** Null when the phone is not opted out (a left join). */
  optedOutAt: RawRow<typeof optOuts>['optedOutAt'] | null;
};

/*
 * Raw: a page of contacts is bounded in bytes by a window sum over the page (withinBytes), and
 * both queries share the columns that measure a contact's attributes.
 */

const iso = (sql: Sql, column: string) => sql.unsafe(isoUtc(column));

/**
 * A contact's columns with its opt-out and `size`, the bytes of its attributes: a contact
 * whose attributes alone are larger than LIST_PAGE_MAX_BYTES (stored before imports had
 * limits) is answered without them, so that no answer is larger than that, whatever was stored.
 */
const contactColumns = (sql: Sql) => sql`
  c.id, c.phone, ${iso(sql, 'c.created_at')} as "createdAt",
  ${iso(sql, 'o.opted_out_at')} as "optedOutAt", c.attributes,
  octet_length(c.attributes::text) as size`;

export async function contactById(
  sql: Sql,
  id: string,
  budget: number,
): Promise<ContactRow | undefined> {
  const [row] = await sql<ContactRow[]>`
    select id, phone, "createdAt", "optedOutAt", size > ${budget} as omitted,
      case when size <= ${budget} then attributes end as attributes
    from (
      select ${contactColumns(sql)}
      from contacts c left join opt_outs o on o.phone = c.phone
      where c.id = ${id}) c`;
  return row;
}

/**
 * A list's contacts in id order after `after`, `limit` of them (the list_members primary key
 * serves it), with `fits` for those within `budget` bytes of attributes (see withinBytes).
 */
export function listMemberRows(
  sql: Sql,
  listId: string,
  after: string | undefined,
  limit: number,
  budget: number,
) {
  const members = sql`
    select ${contactColumns(sql)}
    from list_members m join contacts c on c.id = m.contact_id
      left join opt_outs o on o.phone = c.phone
    where m.list_id = ${listId} ${after ? sql`and m.contact_id > ${after}` : sql``}
    order by m.contact_id
    limit ${limit}`;
  return sql<(ContactRow & { fits: boolean })[]>`
    select id, phone, "createdAt", "optedOutAt", size > ${budget} as omitted, fits,
      case when fits and size <= ${budget} then attributes end as attributes
    from (${withinBytes(sql, members, sql`p.id`, budget)}) w
    order by id`;
}
