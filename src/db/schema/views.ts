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
import { countedFiguresSql, rateSql } from '../../stats/figures-sql';

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
 * this view): sums of the counters kept by the triggers on messages (message_counts,
 * reply_counts), so a row costs a few index reads, not a recount of the run's messages.
 * optedOut and windowsOpen of a run: the keyword opt-outs and open windows whose attributed
 * reply was to a message of that run (opt_outs.run_id, conversations.run_id).
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
  select s.*,
    ${rateSql('s.delivered', 's.sent')} as delivery_rate,
    ${rateSql('s.read', 's.sent')} as read_rate,
    ${rateSql('s.replied', 's.sent')} as reply_rate
  from (
    select r.campaign_id, r.id as run_id, r.scheduled_for, f.audience, f.pending, f.sent,
      f.delivered, f.read, f.failed, f.skipped, f.unknown,
      (select coalesce(sum(x.n), 0) from reply_counts x
        where x.campaign_id = r.campaign_id and x.run_id = r.id)::int as replied,
      (select count(*) from opt_outs o where o.run_id = r.id and o.source = 'keyword')::int
        as opted_out,
      f.follow_ups_sent,
      (select count(*) from conversations v
        where v.run_id = r.id and v.window_expires_at > now())::int as windows_open
    from runs r
    cross join lateral (
      select ${countedFiguresSql} from message_counts c
      where c.campaign_id = r.campaign_id and c.run_id = r.id) f
  ) s`),
);
