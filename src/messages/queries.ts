import type { Sql } from '../db/client';
import type { RawRow } from '../db/raw-row';
import type { messages } from '../db/schema';

/**
 * A free-form message to the phone, `manual` and `pending`, sent through the sender whose window
 * is open (`senderId`'s, else the window that closes last: docs/design.md, rule 34) and expiring
 * with that window, written only if such a window is open, its sender not deleted, and the phone
 * not opted out: the checks and the insert are one statement, so no opt-out or closing window
 * slips between them. Raw: the builder's insert-select wants every column of the table, in
 * order. Nothing back when refused.
 */
export async function insertManualMessage(
  sql: Sql,
  phone: string,
  body: string,
  senderId: string | undefined,
) {
  const [row] = await sql<Pick<RawRow<typeof messages>, 'id'>[]>`
    insert into messages (contact_id, phone, kind, status, body, expires_at, sender_id)
    select (select id from contacts where phone = w.phone), w.phone, 'manual', 'pending',
      ${body}, w.window_expires_at, w.sender_id
    from conversation_windows w join senders s on s.id = w.sender_id and s.deleted_at is null
    where w.phone = ${phone} and w.window_expires_at > now()
      ${senderId ? sql`and w.sender_id = ${senderId}` : sql``}
      and not exists (select 1 from opt_outs o where o.phone = w.phone)
    order by w.window_expires_at desc
    limit 1
    returning id`;
  return row;
}

/** The senders (not deleted) with an open window with the phone, the latest-closing first. */
export async function openWindowSenders(sql: Sql, phone: string) {
  return sql<{ id: string; name: string; windowExpiresAt: string }[]>`
    select s.id, s.name, w.window_expires_at::text as "windowExpiresAt"
    from conversation_windows w join senders s on s.id = w.sender_id and s.deleted_at is null
    where w.phone = ${phone} and w.window_expires_at > now()
    order by w.window_expires_at desc`;
}
