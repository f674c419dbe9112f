import type { Sql } from '../db/client';
import { uuidv7 } from '../db/uuid';

export type ContactRow = { phone: string; attributes: Record<string, string> };

/**
 * Upserts a batch of contacts (phones distinct) and adds them to the list, in one statement.
 * Attributes merge with the file winning; a contact counts as created when this statement
 * inserted it or an earlier attempt of the same import did. Rows go in phone order so that two
 * imports touching the same contacts lock them in the same order and cannot deadlock. New
 * contacts get time-ordered ids (see uuidv7).
 */
export async function writeContacts(
  sql: Sql,
  importId: string,
  listId: string,
  batch: ContactRow[],
): Promise<{ created: number; updated: number }> {
  const sorted = [...batch].sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0));
  const phones = sorted.map((row) => row.phone);
  const attributes = sorted.map((row) => JSON.stringify(row.attributes));
  const ids = sorted.map(() => uuidv7());
  const [counts] = await sql<{ created: number; updated: number }[]>`
    with input as (
      select * from unnest(${ids}::uuid[], ${phones}::text[], ${attributes}::text[]) as t(id, phone, attributes)
    ), upserted as (
      insert into contacts (id, phone, attributes, created_by_import_id)
      select id, phone, attributes::jsonb, ${importId}::uuid from input
      on conflict (phone) do update
        set attributes = contacts.attributes || excluded.attributes, updated_at = now()
      returning id, (xmax = 0 or contacts.created_by_import_id = ${importId}::uuid) as created
    ), members as (
      insert into list_members (list_id, contact_id)
      select ${listId}::uuid, id from upserted
      on conflict do nothing
    )
    select count(*) filter (where created)::int as created,
           count(*) filter (where not created)::int as updated
    from upserted`;
  return counts ?? { created: 0, updated: 0 };
}
