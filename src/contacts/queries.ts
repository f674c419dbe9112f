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

/**
 * The attribute names (CSV columns) of a list's contacts, read from its first and its last
 * `sample` members in contact id order: both ends of the list_members primary key, so a list of
 * millions answers in milliseconds. Ids are time-ordered (uuid v7), so the two ends hold the
 * oldest contacts and the newest imports. At most `max` names, alphabetical.
 */
export async function attributeNamesOfList(
  sql: Sql,
  listId: string,
  sample: number,
  max: number,
): Promise<{ names: string[]; sampled: number }> {
  const ends = sql`
    (select contact_id from list_members where list_id = ${listId} order by contact_id limit ${sample})
    union
    (select contact_id from list_members where list_id = ${listId} order by contact_id desc limit ${sample})`;
  const [names, [counted]] = await Promise.all([
    sql<{ name: string }[]>`
      select distinct k.name
      from (${ends}) s join contacts c on c.id = s.contact_id,
        jsonb_object_keys(c.attributes) as k(name)
      order by k.name
      limit ${max}`,
    sql<{ sampled: number }[]>`select count(*)::int as sampled from (${ends}) s`,
  ]);
  return { names: names.map((row) => row.name), sampled: counted?.sampled ?? 0 };
}
