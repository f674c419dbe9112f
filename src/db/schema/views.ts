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
import { figuresSql, rateSql } from '../../stats/figures-sql';

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
 * One row per campaign run with the figures of GET /v1/campaigns/{id}/stats?run= (which reads
 * this view). optedOut and windowsOpen of a run: the campaign's keyword opt-outs and open
 * attributed windows whose phone had a template message in that run.
 */
export const runStats = pgView('run_stats', {
  campaignId: uuid('campaign_id'),
  runId: uuid('run_id'),
  scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
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
}).as(
  sql.raw(`
  with f as (
    select r.campaign_id, r.id as run_id, r.scheduled_for, ${figuresSql}
    from runs r
    left join messages m on m.campaign_id = r.campaign_id and m.run_id = r.id
    group by r.id
  )
  select f.campaign_id, f.run_id, f.scheduled_for, f.audience, f.pending, f.sent, f.delivered,
    f.read, f.failed, f.skipped, f.unknown, f.replied,
    (select count(*) from opt_outs o
      where o.source = 'keyword' and o.campaign_id = f.campaign_id
        and exists (select 1 from messages x
                    where x.run_id = f.run_id and x.kind = 'template' and x.phone = o.phone))::int
      as opted_out,
    f.follow_ups_sent,
    (select count(*) from conversations v
      where v.campaign_id = f.campaign_id and v.window_expires_at > now()
        and exists (select 1 from messages x
                    where x.run_id = f.run_id and x.kind = 'template' and x.phone = v.phone))::int
      as windows_open,
    ${rateSql('f.delivered', 'f.sent')} as delivery_rate,
    ${rateSql('f.read', 'f.sent')} as read_rate,
    ${rateSql('f.replied', 'f.sent')} as reply_rate
  from f`),
);
