import type { Sql } from '../db/client';
import type { RawRow } from '../db/raw-row';
import type { messages } from '../db/schema';

/**
 * A free-form message to the phone, `manual` and `pending`, expiring with its window, written
 * only if the window is open and the phone not opted out: the checks and the insert are one
 * statement, so no opt-out or closing window slips between them. Raw: the builder's
 * insert-select wants every column of the table, in order. Nothing back when refused.
 */
export async function insertManualMessage(sql: Sql, phone: string, body: string) {
  const [row] = await sql<Pick<RawRow<typeof messages>, 'id'>[]>`
    insert into messages (contact_id, phone, kind, status, body, expires_at)
    select (select id from contacts where phone = c.phone), c.phone, 'manual', 'pending',
      ${body}, c.window_expires_at
    from conversations c
    where c.phone = ${phone} and c.window_expires_at > now()
      and not exists (select 1 from opt_outs o where o.phone = c.phone)
    returning id`;
  return row;
}
