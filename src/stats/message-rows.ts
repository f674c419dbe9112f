import type { Sql } from '../db/client';
import { isoUtc } from '../db/iso';
import type { Message } from '../messages/message-json';

export type MessageFilter = { campaignId: string; status?: string; runId?: string };

const columns = `
  m.id::text as id, m.run_id::text as "runId", m.contact_id::text as "contactId", m.phone,
  m.kind::text as kind, m.status::text as status, m.provider_message_id as "providerMessageId",
  m.error, m.attempts, ${isoUtc('m.sent_at')} as "sentAt", ${isoUtc('m.delivered_at')} as "deliveredAt",
  ${isoUtc('m.read_at')} as "readAt", ${isoUtc('m.replied_at')} as "repliedAt"`;

/**
 * A campaign's messages in the Message shape, in id order after `afterId`: the one query behind
 * the JSON page, whose filter the CSV export shares (`messageIds`), so that both show the same
 * rows. The filter columns and the order are those of messages_campaign_idx (campaign_id,
 * run_id, status, id).
 */
export function messageRows(sql: Sql, filter: MessageFilter, afterId: string | undefined) {
  return sql<Message[]>`
    select ${sql.unsafe(columns)}
    from messages m
    where ${matching(sql, filter)}
      ${afterId === undefined ? sql`` : sql`and m.id > ${afterId}::bigint`}
    order by m.id`;
}

/** The ids of the filter's messages in order (as numbers: identity values stay below 2^53). */
export function messageIds(sql: Sql, filter: MessageFilter) {
  return sql<{ id: number }[]>`
    select m.id::float8 as id from messages m where ${matching(sql, filter)} order by m.id`;
}

/**
 * A row of the CSV export: the Message, the text of its reply, and the value of each attribute
 * asked for, in its own column (`a0`, `a1`…: a text column each was measured cheaper than one
 * JSON array of them, whether built by PostgreSQL or parsed here).
 */
export type ExportRow = Message & {
  replyText: string | null;
  [value: AttributeAlias]: string | null;
};

type AttributeAlias = `a${number}`;

/** The alias of the value of the i-th attribute asked for in an ExportRow. */
export const attributeAlias = (i: number): AttributeAlias => `a${i}`;

/**
 * These messages for the CSV export, in id order: primary-key lookups, whatever the filter.
 * Each of `keys` is the contact's current value of that attribute (the contact is joined by
 * its key only when some are asked for). `replyText` is the text of the reply that set
 * `repliedAt` (the first one attributed to the message): the inbound row of that phone at that
 * very time (its sent_at is the reply's time, as is replied_at) attributed to this message,
 * found through inbound_messages_phone_idx (phone, sent_at); a message with no reply costs one
 * empty index probe.
 */
export function exportRowsByIds(sql: Sql, ids: number[], keys: string[]) {
  const values = keys.map(
    (key, i) => sql`, c.attributes ->> ${key}::text as ${sql(attributeAlias(i))}`,
  );
  return sql<ExportRow[]>`
    select ${sql.unsafe(columns)}, r.body as "replyText"
      ${values.reduce((list, value) => sql`${list}${value}`, sql``)}
    from messages m
    ${keys.length > 0 ? sql`left join contacts c on c.id = m.contact_id` : sql``}
    left join lateral (
      select i.body from inbound_messages i
      where i.phone = m.phone and i.sent_at = m.replied_at and i.attributed_message_id = m.id
      order by i.id limit 1) r on true
    where m.id = any(${ids}::bigint[])
    order by m.id`;
}

/**
 * The distinct attribute names of the contacts of the filter's messages, in alphabetical order,
 * at most `limit`: one pass over the filter's rows, joined to their contacts by id.
 */
export function attributeNames(sql: Sql, filter: MessageFilter, limit: number) {
  return sql<{ name: string }[]>`
    select k.name from (
      select distinct jsonb_object_keys(c.attributes) as name
      from messages m join contacts c on c.id = m.contact_id
      where ${matching(sql, filter)}) k
    order by k.name
    limit ${limit}`;
}

function matching(sql: Sql, filter: MessageFilter) {
  return sql`m.campaign_id = ${filter.campaignId}
    ${filter.runId === undefined ? sql`` : sql`and m.run_id = ${filter.runId}`}
    ${filter.status === undefined ? sql`` : sql`and m.status = ${filter.status}::message_status`}`;
}
