import type postgres from 'postgres';
import type { AppContext } from '../context';
import { type Attribution, attributeReply } from './attribute-reply';
import { phoneOfMessage, type WebhookMessage } from './event-schema';
import { optOutByKeyword } from './opt-out-by-keyword';
import { isOptOutKeyword } from './opt-out-keyword';
import { queueFollowUp } from './queue-follow-up';

export type MessageResult = 'duplicate' | 'echo' | 'reply' | 'inbound' | 'opt_out' | 'ignored';

/**
 * One message of the chat: recorded once (inbound_messages.provider_message_id is unique, so
 * a duplicate, even one applied concurrently, stops at the insert). The business's own messages
 * (`fromMe`) are recorded and nothing more. A customer's message opens or extends the phone's
 * window to `time + 24h` (never shortening it), is attributed (docs/design.md, rule 17) and
 * marks that message replied, then opts the phone out (a stop keyword) or queues the campaign's
 * follow-up.
 */
export async function applyMessage(
  ctx: AppContext,
  tx: postgres.TransactionSql,
  message: WebhookMessage,
): Promise<MessageResult> {
  const phone = phoneOfMessage(message);
  if (!phone) return 'ignored';
  const fromMe = message.fromMe === true || message.fromMe === 1;
  const text = message.body ?? message.caption ?? null;
  const attributed: Attribution | undefined = fromMe
    ? undefined
    : await attributeReply(
        tx,
        { phone, time: message.time, quotedMsgId: message.quotedMsgId },
        ctx.config.REPLY_ATTRIBUTION_HOURS,
      );
  const optOut = !fromMe && isOptOutKeyword(message.body, ctx.config.OPT_OUT_KEYWORDS);
  const [inbound] = await tx<{ id: number; contact_id: string | null }[]>`
    insert into inbound_messages (provider_message_id, phone, contact_id, from_me, type, body,
      sent_at, quoted_message_id, attributed_message_id, campaign_id, is_opt_out)
    values (${message.id}, ${phone},
      coalesce(${attributed?.contact_id ?? null}::uuid, (select id from contacts where phone = ${phone})),
      ${fromMe}, ${message.type ?? 'chat'}, ${text}, to_timestamp(${message.time}),
      ${message.quotedMsgId ?? null}, ${attributed?.id ?? null}, ${attributed?.campaign_id ?? null},
      ${optOut})
    on conflict (provider_message_id) do nothing
    returning id, contact_id`;
  if (!inbound) return 'duplicate';
  if (fromMe) return 'echo';

  const [conversation] = await tx<{ window_expires_at: string }[]>`
    insert into conversations (phone, contact_id, last_inbound_at, window_expires_at, campaign_id,
      run_id)
    values (${phone}, ${inbound.contact_id}, to_timestamp(${message.time}),
      to_timestamp(${message.time}) + interval '24 hours', ${attributed?.campaign_id ?? null},
      ${attributed?.run_id ?? null})
    on conflict (phone) do update set
      contact_id = coalesce(excluded.contact_id, conversations.contact_id),
      last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
      window_expires_at = greatest(conversations.window_expires_at, excluded.window_expires_at),
      campaign_id = coalesce(excluded.campaign_id, conversations.campaign_id),
      -- the run goes with the campaign: both are those of the latest attributed reply
      run_id = case when excluded.campaign_id is null then conversations.run_id
        else excluded.run_id end,
      updated_at = now()
    returning window_expires_at::text`;
  if (!conversation) throw new Error('the conversation upsert returned no row');
  if (!attributed) return optOut ? optOutAndCount(tx, phone, inbound.contact_id) : 'inbound';

  await tx`
    update messages set replied_at = to_timestamp(${message.time}), updated_at = now()
    where id = ${attributed.id} and replied_at is null`;
  if (optOut) return optOutAndCount(tx, phone, inbound.contact_id, attributed);
  await queueFollowUp(tx, ctx.logger, attributed, phone, conversation.window_expires_at);
  return 'reply';
}

async function optOutAndCount(
  tx: postgres.TransactionSql,
  phone: string,
  contactId: string | null,
  attributed?: Attribution,
): Promise<'opt_out'> {
  await optOutByKeyword(tx, {
    phone,
    contactId,
    campaignId: attributed?.campaign_id ?? null,
    runId: attributed?.run_id ?? null,
  });
  return 'opt_out';
}
