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

/** These messages in the Message shape, in id order: primary-key lookups, whatever the filter. */
export function messagesByIds(sql: Sql, ids: number[]) {
  return sql<Message[]>`
    select ${sql.unsafe(columns)} from messages m where m.id = any(${ids}::bigint[]) order by m.id`;
}

function matching(sql: Sql, filter: MessageFilter) {
  return sql`m.campaign_id = ${filter.campaignId}
    ${filter.runId === undefined ? sql`` : sql`and m.run_id = ${filter.runId}`}
    ${filter.status === undefined ? sql`` : sql`and m.status = ${filter.status}::message_status`}`;
}
