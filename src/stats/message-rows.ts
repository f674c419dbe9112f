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
 * both the JSON page and the CSV export, so that both show the same rows. The filter columns
 * and the order are those of messages_campaign_idx (campaign_id, run_id, status, id).
 */
export function messageRows(sql: Sql, filter: MessageFilter, afterId: string | undefined) {
  return sql<Message[]>`
    select ${sql.unsafe(columns)}
    from messages m
    where m.campaign_id = ${filter.campaignId}
      ${filter.runId === undefined ? sql`` : sql`and m.run_id = ${filter.runId}`}
      ${filter.status === undefined ? sql`` : sql`and m.status = ${filter.status}::message_status`}
      ${afterId === undefined ? sql`` : sql`and m.id > ${afterId}::bigint`}
    order by m.id`;
}
