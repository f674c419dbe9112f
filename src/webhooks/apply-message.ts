import type postgres from 'postgres';
import type { AppContext } from '../context';
import { attributeReply } from './attribute-reply';
import { phoneOfMessage, type WebhookMessage } from './event-schema';
import {
  type Attribution,
  insertInbound,
  markReplied,
  upsertConversation,
  upsertWindow,
} from './message-queries';
import { optOutByKeyword } from './opt-out-by-keyword';
import { isOptOutKeyword } from './opt-out-keyword';
import { queueFollowUp } from './queue-follow-up';

export type MessageResult = 'duplicate' | 'echo' | 'reply' | 'inbound' | 'opt_out' | 'ignored';

/** A message of the chat, whichever provider posted it. */
export type ChatMessage = {
  providerMessageId: string;
  /** E.164: the customer's phone. */
  phone: string;
  /** The business's own message (chat-api's `fromMe`; the Cloud API posts none). */
  fromMe: boolean;
  /** The provider's type (chat-api's `chat`, `image`…; Meta's `text`, `button`…). */
  type: string;
  text: string | null;
  /** The provider's time, in unix seconds. */
  time: number;
  /** The provider message id of the message it quotes. */
  quotedMsgId: string | null;
  /** The sender whose webhook brought it (null: the default sender's webhook). */
  senderId: string | null;
  /** A tapped button's payload, an interactive reply's id (Meta's); chat-api posts none. */
  payload: string | null;
};

/**
 * A chat-api message (docs/design.md, rule 25) that came through `senderId`'s webhook (null:
 * the default sender's), applied as every provider's is.
 */
export function applyMessage(
  ctx: AppContext,
  tx: postgres.TransactionSql,
  message: WebhookMessage,
  senderId: string | null,
): Promise<MessageResult> {
  const phone = phoneOfMessage(message);
  if (!phone) return Promise.resolve('ignored');
  return applyChatMessage(ctx, tx, {
    providerMessageId: message.id,
    phone,
    fromMe: message.fromMe === true || message.fromMe === 1,
    type: message.type ?? 'chat',
    text: message.body ?? message.caption ?? null,
    time: message.time,
    quotedMsgId: message.quotedMsgId ?? null,
    senderId,
    payload: null,
  });
}

/**
 * One message of the chat: recorded once (inbound_messages.provider_message_id is unique, so
 * a duplicate, even one applied concurrently, stops at the insert). The business's own messages
 * (`fromMe`) are recorded and nothing more. A customer's message opens or extends the phone's
 * window with the sender it wrote to to `time + 24h` (never shortening it; rule 34), is attributed (docs/design.md, rule 17) and
 * marks that message replied, then opts the phone out (a stop keyword) or queues the campaign's
 * follow-up.
 */
export async function applyChatMessage(
  ctx: AppContext,
  tx: postgres.TransactionSql,
  message: ChatMessage,
): Promise<MessageResult> {
  const { phone, fromMe } = message;
  const attributed: Attribution | undefined = fromMe
    ? undefined
    : await attributeReply(
        tx,
        {
          phone,
          time: message.time,
          quotedMsgId: message.quotedMsgId,
          senderId: message.senderId,
        },
        ctx.config.REPLY_ATTRIBUTION_HOURS,
      );
  const optOut = !fromMe && isOptOutKeyword(message.text, ctx.config.OPT_OUT_KEYWORDS);
  const inbound = await insertInbound(tx, { ...message, isOptOut: optOut }, attributed);
  if (!inbound) return 'duplicate';
  if (fromMe) return 'echo';

  const window = {
    senderId: message.senderId,
    expiresAt: await upsertWindow(tx, phone, message.senderId, message.time),
  };
  await upsertConversation(tx, phone, inbound.contactId, message.time, attributed);
  if (!attributed) return optOut ? optOutAndCount(tx, phone, inbound.contactId) : 'inbound';

  await markReplied(tx, attributed.id, message.time);
  if (optOut) return optOutAndCount(tx, phone, inbound.contactId, attributed);
  await queueFollowUp(tx, ctx.logger, attributed, phone, window);
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
    campaignId: attributed?.campaignId ?? null,
    runId: attributed?.runId ?? null,
  });
  return 'opt_out';
}
