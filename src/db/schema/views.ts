import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  integer,
  pgView,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { countedFiguresSql, rateSql } from '../figures-sql';

/**
 * For analysts' own SQL (README, "Analyst views"): one row per message with its campaign, run,
 * contact phone and every timestamp. A plain view: filters on campaign_id/run_id/status reach
 * messages_campaign_idx.
 */
export const messageFacts = pgView('message_facts', {
  messageId: bigint('message_id', { mode: 'number' }),
  campaignId: uuid('campaign_id'),
  campaignName: text('campaign_name'),
  runId: uuid('run_id'),
  runScheduledFor: timestamp('run_scheduled_for', { withTimezone: true }),
  contactId: uuid('contact_id'),
  phone: text('phone'),
  kind: text('kind'),
  status: text('status'),
  error: text('error'),
  attempts: integer('attempts'),
  createdAt: timestamp('created_at', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  readAt: timestamp('read_at', { withTimezone: true }),
  repliedAt: timestamp('replied_at', { withTimezone: true }),
  failedAt: timestamp('failed_at', { withTimezone: true }),
}).as(sql`
  select m.id as message_id, m.campaign_id, c.name as campaign_name, m.run_id,
    r.scheduled_for as run_scheduled_for, m.contact_id, m.phone, m.kind::text as kind,
    m.status::text as status, m.error, m.attempts, m.created_at, m.sent_at, m.delivered_at,
    m.read_at, m.replied_at, m.failed_at
  from messages m
  left join campaigns c on c.id = m.campaign_id
  left join runs r on r.id = m.run_id`);

/**
 * A phone's conversation, both ways, one row per message (GET /v1/conversations/{phone}/messages
 * reads this view; README, "Analyst views"): the customer's messages (`in`, kind `inbound`), the
 * templates that reached the provider (with the template's name and the rendered parameters),
 * follow-ups and free-form messages in every status, and messages the business typed in the
 * WhatsApp app on its phone (`fromMe` echoes that are not our own sends; kind `manual`, no
 * status). `id` is the Message id for our messages, `chat-<n>` for messages recorded from the
 * chat. `at`: the provider's time for chat messages, the send time for ours, the creation time
 * of one not sent yet. Filter on `phone`: each branch then reads its phone index.
 */
export const conversationMessages = pgView('conversation_messages', {
  phone: text('phone').notNull(),
  contactId: uuid('contact_id'),
  id: text('id').notNull(),
  direction: text('direction').$type<'in' | 'out'>().notNull(),
  kind: text('kind').$type<'inbound' | 'template' | 'followup' | 'manual'>().notNull(),
  text: text('text'),
  templateName: text('template_name'),
  parameters: text('parameters').array(),
  status: text('status'),
  error: text('error'),
  at: timestamp('at', { withTimezone: true }).notNull(),
  campaignId: uuid('campaign_id'),
  messageId: bigint('message_id', { mode: 'number' }),
}).as(sql`
  select i.phone, i.contact_id, 'chat-' || i.id as id,
    case when i.from_me then 'out' else 'in' end as direction,
    case when i.from_me then 'manual' else 'inbound' end as kind,
    i.body as text, null::text as template_name, null::text[] as parameters, null::text as status,
    null::text as error, i.sent_at as at, i.campaign_id, null::bigint as message_id
  from inbound_messages i
  where not i.from_me
    or not exists (select 1 from messages e where e.provider_message_id = i.provider_message_id)
  union all
  select m.phone, m.contact_id, m.id::text, 'out', 'template', null, t.name, m.params,
    m.status::text, m.error, m.sent_at, m.campaign_id, m.id
  from messages m
  left join runs r on r.id = m.run_id
  left join campaigns c on c.id = m.campaign_id
  left join templates t on t.id = coalesce(r.template_id, c.template_id)
  where m.kind = 'template' and m.sent_at is not null
  union all
  select m.phone, m.contact_id, m.id::text, 'out', m.kind::text, m.body, null, null,
    m.status::text, m.error, coalesce(m.sent_at, m.created_at), m.campaign_id, m.id
  from messages m
  where m.kind <> 'template'`);

const statsColumns = {
  audience: integer('audience'),
  pending: integer('pending'),
  sent: integer('sent'),
  delivered: integer('delivered'),
  read: integer('read'),
  failed: integer('failed'),
  skipped: integer('skipped'),
  unknown: integer('unknown'),
  replied: integer('replied'),
  optedOut: integer('opted_out'),
  followUpsSent: integer('follow_ups_sent'),
  windowsOpen: integer('windows_open'),
  deliveryRate: doublePrecision('delivery_rate'),
  readRate: doublePrecision('read_rate'),
  replyRate: doublePrecision('reply_rate'),
};

/**
 * The Stats figures of one scope (a campaign, or a run with `run`), in the column order of
 * statsColumns, from the counters the triggers keep: message_counts and reply_counts summed over
 * the scope's few rows, keyword opt-outs by index, windowsOpen from window_counts (docs/
 * decisions.md, Statistics). `campaign` and `run` are SQL naming the scope's ids.
 */
function statsSql(idColumns: string, from: string, campaign: string, run?: string): string {
  const ofRun = (column: string) => (run ? `${column} = ${run}` : `${column} is null`);
  const inScope = (alias: string) =>
    run ? `${alias}.run_id = ${run}` : `${alias}.campaign_id = ${campaign}`;
  const hour = `date_trunc('hour', now(), 'UTC')`;
  return `
  select s.*,
    ${rateSql('s.delivered', 's.sent')} as delivery_rate,
    ${rateSql('s.read', 's.sent')} as read_rate,
    ${rateSql('s.replied', 's.sent')} as reply_rate
  from (
    select ${idColumns}, f.audience, f.pending, f.sent, f.delivered, f.read, f.failed, f.skipped,
      f.unknown,
      (select coalesce(sum(x.n), 0) from reply_counts x
        where x.campaign_id = ${campaign} and ${ofRun('x.run_id')})::int as replied,
      (select count(*) from opt_outs o where ${inScope('o')} and o.source = 'keyword')::int
        as opted_out,
      f.follow_ups_sent,
      ((select coalesce(sum(w.n), 0) from window_counts w
         where w.campaign_id = ${campaign}${run ? ` and w.run_id = ${run}` : ''}
           and w.expires_hour > ${hour})
       + (select count(*) from conversations v
         where ${inScope('v')} and v.window_expires_at > now()
           and v.window_expires_at < ${hour} + interval '1 hour'))::int as windows_open
    ${from}
    cross join lateral (
      select ${countedFiguresSql} from message_counts c
      where c.campaign_id = ${campaign}${run ? ` and c.run_id = ${run}` : ''}) f
  ) s`;
}

/**
 * One row per campaign with the figures of GET /v1/campaigns/{id}/stats (which reads this
 * view): sums of the counters kept by the triggers on messages and conversations, so a row costs
 * a few index reads, not a recount of the campaign's messages.
 */
export const campaignStats = pgView('campaign_stats', {
  campaignId: uuid('campaign_id'),
  name: text('name'),
  ...statsColumns,
}).as(sql.raw(statsSql('k.id as campaign_id, k.name', 'from campaigns k', 'k.id')));

/**
 * One row per campaign run with the figures of GET /v1/campaigns/{id}/stats?run= (which reads
 * this view), from the same counters. optedOut and windowsOpen of a run: the keyword opt-outs and
 * windows whose attributed reply was to a message of that run (opt_outs.run_id,
 * conversations.run_id).
 */
export const runStats = pgView('run_stats', {
  campaignId: uuid('campaign_id'),
  runId: uuid('run_id'),
  scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
  ...statsColumns,
}).as(
  sql.raw(
    statsSql(
      'r.campaign_id, r.id as run_id, r.scheduled_for',
      'from runs r',
      'r.campaign_id',
      'r.id',
    ),
  ),
);
