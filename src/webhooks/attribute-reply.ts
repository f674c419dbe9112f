import type postgres from 'postgres';

export type Attribution = {
  id: number;
  run_id: string | null;
  campaign_id: string;
  contact_id: string | null;
  kind: 'template' | 'followup' | 'manual';
};

/**
 * docs/design.md, rule 17: the campaign message the reply quotes, else the latest template sent to
 * the phone within REPLY_ATTRIBUTION_HOURS before the reply's own time (the provider's clock,
 * so that a webhook retried hours later attributes as it would have on time), and not after it
 * (but for 10 minutes of clock skew between the provider and us). A quoted message
 * of no campaign (a manual message) falls through to the latest template.
 */
export async function attributeReply(
  tx: postgres.TransactionSql,
  reply: { phone: string; time: number; quotedMsgId: string | null | undefined },
  attributionHours: number,
): Promise<Attribution | undefined> {
  if (reply.quotedMsgId) {
    const [quoted] = await tx<Attribution[]>`
      select id, run_id, campaign_id, contact_id, kind from messages
      where provider_message_id = ${reply.quotedMsgId} and campaign_id is not null`;
    if (quoted) return quoted;
  }
  // messages_phone_sent_idx: (phone, sent_at desc) of sent templates
  const [latest] = await tx<Attribution[]>`
    select id, run_id, campaign_id, contact_id, kind from messages
    where phone = ${reply.phone} and kind = 'template' and sent_at is not null
      and sent_at > to_timestamp(${reply.time}) - make_interval(hours => ${attributionHours})
      and sent_at <= to_timestamp(${reply.time}) + interval '10 minutes'
      and campaign_id is not null
    order by sent_at desc
    limit 1`;
  return latest;
}
