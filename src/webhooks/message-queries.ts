import type postgres from 'postgres';
import type { RawRow } from '../db/raw-row';
import type { campaigns, contacts, inboundMessages, messages } from '../db/schema';

/**
 * The statements of applying one chat message, raw because they run in the webhook's raw
 * transaction beside its acks (see queries.ts).
 */

type Tx = postgres.TransactionSql;

/** The campaign message a reply is attributed to. */
export type Attribution = Pick<RawRow<typeof messages>, 'id' | 'runId' | 'contactId' | 'kind'> & {
  campaignId: string;
};

const attributionColumns = (tx: Tx) =>
  tx`id, run_id as "runId", campaign_id as "campaignId", contact_id as "contactId", kind`;

/**
 * The sending number a webhook's message came through: `senderId`, or the default sender when
 * null (the default chat-api webhook). Rows stored before senders have no sender_id and were the
 * default sender's.
 */
export const senderOf = (tx: Tx, senderId: string | null) =>
  tx`coalesce(${senderId}::uuid, default_sender_id())`;
const sentBy = (tx: Tx, senderId: string | null) =>
  tx`coalesce(sender_id, default_sender_id()) = ${senderOf(tx, senderId)}`;

/** The campaign message sent through `senderId` with this provider id, if any. */
export async function campaignMessageByProviderId(
  tx: Tx,
  providerMessageId: string,
  senderId: string | null,
): Promise<Attribution | undefined> {
  const [quoted] = await tx<Attribution[]>`
    select ${attributionColumns(tx)} from messages
    where provider_message_id = ${providerMessageId} and campaign_id is not null
      and ${sentBy(tx, senderId)}`;
  return quoted;
}

/**
 * The latest template sent to the phone through `senderId` in (`time` - `hours`, `time` + 10
 * minutes]: a reply to one of our numbers answers what that number sent.
 */
export async function latestTemplateSentTo(
  tx: Tx,
  reply: { phone: string; time: number; senderId: string | null },
  hours: number,
): Promise<Attribution | undefined> {
  const { phone, time, senderId } = reply;
  // messages_phone_sent_idx: (phone, sent_at desc) of sent templates
  const [latest] = await tx<Attribution[]>`
    select ${attributionColumns(tx)} from messages
    where phone = ${phone} and kind = 'template' and sent_at is not null
      and sent_at > to_timestamp(${time}) - make_interval(hours => ${hours})
      and sent_at <= to_timestamp(${time}) + interval '10 minutes'
      and campaign_id is not null and ${sentBy(tx, senderId)}
    order by sent_at desc
    limit 1`;
  return latest;
}

export type InboundMessage = {
  providerMessageId: string;
  phone: string;
  fromMe: boolean;
  type: string;
  text: string | null;
  /** The provider's time, in seconds. */
  time: number;
  quotedMsgId: string | null;
  /** A button's payload or an interactive reply's id (Meta's); null for a plain message. */
  payload: string | null;
  isOptOut: boolean;
  /** The sender whose webhook brought it; null: the default sender. */
  senderId: string | null;
};

/**
 * Records a chat message once (provider_message_id is unique): nothing back for a duplicate.
 * Its contact is the attributed message's, else the phone's.
 */
export async function insertInbound(
  tx: Tx,
  message: InboundMessage,
  attributed: Attribution | undefined,
) {
  const { phone } = message;
  const [inbound] = await tx<Pick<RawRow<typeof inboundMessages>, 'id' | 'contactId'>[]>`
    insert into inbound_messages (provider_message_id, phone, contact_id, from_me, type, body,
      sent_at, quoted_message_id, attributed_message_id, campaign_id, is_opt_out, sender_id,
      payload)
    values (${message.providerMessageId}, ${phone},
      coalesce(${attributed?.contactId ?? null}::uuid, (select id from contacts where phone = ${phone})),
      ${message.fromMe}, ${message.type}, ${message.text}, to_timestamp(${message.time}),
      ${message.quotedMsgId}, ${attributed?.id ?? null}, ${attributed?.campaignId ?? null},
      ${message.isOptOut}, ${senderOf(tx, message.senderId)}, ${message.payload})
    on conflict (provider_message_id) do nothing
    returning id, contact_id as "contactId"`;
  return inbound;
}

/** The window a reply opened: its sender (null: the default sender) and its end. */
export type ReplyWindow = { senderId: string | null; expiresAt: string };

/**
 * Opens or extends the phone's window with the sender to `time` + 24 h, never shortening it;
 * answers its end (text, as raw queries read timestamps). The phone's conversation
 * (upsertConversation) keeps the latest end of all its windows.
 */
export async function upsertWindow(
  tx: Tx,
  phone: string,
  senderId: string | null,
  time: number,
): Promise<string> {
  const [window] = await tx<{ windowExpiresAt: string }[]>`
    insert into conversation_windows (phone, sender_id, last_inbound_at, window_expires_at)
    values (${phone}, ${senderOf(tx, senderId)}, to_timestamp(${time}),
      to_timestamp(${time}) + interval '24 hours')
    on conflict (phone, sender_id) do update set
      last_inbound_at = greatest(conversation_windows.last_inbound_at, excluded.last_inbound_at),
      window_expires_at = greatest(conversation_windows.window_expires_at,
        excluded.window_expires_at)
    returning window_expires_at::text as "windowExpiresAt"`;
  if (!window) throw new Error('the window upsert returned no row');
  return window.windowExpiresAt;
}

/**
 * Opens or extends the phone's conversation to `time` + 24 h, never shortening it: the latest
 * end of its windows with every sender.
 */
export async function upsertConversation(
  tx: Tx,
  phone: string,
  contactId: string | null,
  time: number,
  attributed: Attribution | undefined,
): Promise<void> {
  const [conversation] = await tx<{ windowExpiresAt: string }[]>`
    insert into conversations (phone, contact_id, last_inbound_at, window_expires_at, campaign_id,
      run_id)
    values (${phone}, ${contactId}, to_timestamp(${time}),
      to_timestamp(${time}) + interval '24 hours', ${attributed?.campaignId ?? null},
      ${attributed?.runId ?? null})
    on conflict (phone) do update set
      contact_id = coalesce(excluded.contact_id, conversations.contact_id),
      last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
      window_expires_at = greatest(conversations.window_expires_at, excluded.window_expires_at),
      campaign_id = coalesce(excluded.campaign_id, conversations.campaign_id),
      -- the run goes with the campaign: both are those of the latest attributed reply
      run_id = case when excluded.campaign_id is null then conversations.run_id
        else excluded.run_id end,
      updated_at = now()
    returning window_expires_at::text as "windowExpiresAt"`;
  if (!conversation) throw new Error('the conversation upsert returned no row');
}

/** The first reply's time marks the message replied; later ones leave it. */
export async function markReplied(tx: Tx, messageId: string, time: number): Promise<void> {
  await tx`
    update messages set replied_at = to_timestamp(${time}), updated_at = now()
    where id = ${messageId} and replied_at is null`;
}

/** What a follow-up needs: the campaign's body and status, the contact's attributes. */
export async function followUpSource(tx: Tx, message: Attribution, phone: string) {
  const [source] = await tx<
    (Pick<RawRow<typeof campaigns>, 'followUpBody' | 'status'> & {
      attributes: RawRow<typeof contacts>['attributes'] | null;
      optedOut: boolean;
    })[]
  >`
    select c.follow_up_body as "followUpBody", c.status, ct.attributes,
      exists (select 1 from opt_outs o where o.phone = ${phone}) as "optedOut"
    from campaigns c left join contacts ct on ct.id = ${message.contactId}
    where c.id = ${message.campaignId}`;
  return source;
}

/**
 * The run's follow-up for the contact, once (messages_run_contact_kind_uq): `pending`, or
 * `expired` when the window has already closed; nothing back when it exists.
 */
export async function insertFollowUp(
  tx: Tx,
  message: Attribution,
  phone: string,
  body: string,
  window: ReplyWindow,
) {
  const [row] = await tx<Pick<RawRow<typeof messages>, 'id' | 'status'>[]>`
    insert into messages (run_id, campaign_id, contact_id, phone, kind, status, body, expires_at,
      error, sender_id)
    select ${message.runId}::uuid, ${message.campaignId}::uuid, ${message.contactId}::uuid,
      ${phone}, 'followup', (case when open then 'pending' else 'expired' end)::message_status,
      ${body}, ${window.expiresAt}::timestamptz,
      case when open then null else 'the conversation window closed before it could be sent' end,
      ${senderOf(tx, window.senderId)}
    from (select ${window.expiresAt}::timestamptz > now() as open) w
    on conflict (run_id, contact_id, kind) do nothing
    returning id, status`;
  return row;
}

export type KeywordOptOut = {
  phone: string;
  contactId: string | null;
  campaignId: string | null;
  runId: string | null;
};

/** An opt-out by keyword or by the provider's word; an existing one is kept as it was. */
export async function insertOptOut(
  tx: Tx,
  target: KeywordOptOut,
  source: 'keyword' | 'provider',
): Promise<void> {
  await tx`
    insert into opt_outs (phone, contact_id, source, campaign_id, run_id)
    values (${target.phone}, ${target.contactId}, ${source}, ${target.campaignId}, ${target.runId})
    on conflict (phone) do nothing`;
}

/** Skips every pending message to the phone (see optOutByKeyword); answers how many. */
export async function skipPendingTo(tx: Tx, target: KeywordOptOut): Promise<number> {
  const skipped = await tx`
    update messages set status = 'skipped', error = 'opted out', updated_at = now()
    where status = 'pending' and id in (
      select id from messages
      where status = 'pending' and kind <> 'template' and phone = ${target.phone}
      union all
      select m.id from runs r
      join messages m on m.run_id = r.id and m.contact_id = ${target.contactId}::uuid
      where r.status in ('running', 'paused') and m.status = 'pending'
    )`;
  return skipped.count;
}
