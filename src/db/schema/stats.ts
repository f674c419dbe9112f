import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { messageKind, messageStatus } from './messages';

/**
 * Counters of message rows per (campaign, run, kind, status), kept by the statement-level
 * triggers of migration 0004 in the same transaction as every change to `messages` (docs/
 * decisions.md, Statistics). Append-only: a trigger inserts the signed delta of its statement
 * (no row is ever updated by a writer, so concurrent dispatch, ack and reply transactions never
 * wait on one another here); the compaction (`src/stats/compact-counts.ts`) replaces a
 * campaign's rows by one `folded` row per key. The count of a key is `sum(n)` over its rows.
 */
export const messageCounts = pgTable(
  'message_counts',
  {
    campaignId: uuid('campaign_id').notNull(),
    runId: uuid('run_id'),
    kind: messageKind('kind').notNull(),
    status: messageStatus('status').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
    /** Written by the compaction: the sum of the rows it replaced. */
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    // stats of a campaign or a run: `WHERE campaign_id = $1 [AND run_id = $2]`.
    index('message_counts_campaign_idx').on(t.campaignId, t.runId),
    // the compaction's list of campaigns with unfolded rows; small, rows leave it at once.
    index('message_counts_unfolded_idx').on(t.campaignId).where(sql`not ${t.folded}`),
  ],
);

/**
 * `replied` (distinct phones with an attributed reply) per run, and per campaign in the rows
 * whose run_id is null: a phone replying in two runs counts once for the campaign. Deltas kept
 * and compacted like message_counts, from the 0 ↔ positive transitions of replied_phones.
 */
export const replyCounts = pgTable(
  'reply_counts',
  {
    campaignId: uuid('campaign_id').notNull(),
    /** null: the whole campaign. */
    runId: uuid('run_id'),
    n: bigint('n', { mode: 'number' }).notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    index('reply_counts_campaign_idx').on(t.campaignId, t.runId),
    index('reply_counts_unfolded_idx').on(t.campaignId).where(sql`not ${t.folded}`),
  ],
);

/**
 * How many replied template rows each phone has in a run (and, with run_id null, in the whole
 * campaign): the exact set behind the distinct `replied` figure. Upserted by the triggers; the
 * row lock of the upsert orders concurrent replies of one phone, so exactly one of them sees
 * the count leave 0.
 */
export const repliedPhones = pgTable(
  'replied_phones',
  {
    campaignId: uuid('campaign_id').notNull(),
    /** null: the whole campaign. */
    runId: uuid('run_id'),
    phone: text('phone').notNull(),
    n: integer('n').notNull(),
  },
  // the triggers' upsert key; a null run_id is one key, not a new one each time.
  (t) => [unique('replied_phones_key').on(t.campaignId, t.runId, t.phone).nullsNotDistinct()],
);

/**
 * Attributed windows per (campaign, run) and the UTC hour their window expires in, kept by
 * triggers on conversations like message_counts. windowsOpen depends on now(), so it is the
 * sum of the hours after the current one plus an exact count of the windows expiring later in
 * the current hour (an index range of at most an hour of windows): exact, and never a scan of
 * every open window. Past hours are dropped by the compaction.
 */
export const windowCounts = pgTable(
  'window_counts',
  {
    campaignId: uuid('campaign_id').notNull(),
    runId: uuid('run_id'),
    /** date_trunc('hour', window_expires_at, 'UTC'). */
    expiresHour: timestamp('expires_hour', { withTimezone: true }).notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    index('window_counts_campaign_idx').on(t.campaignId, t.runId),
    index('window_counts_unfolded_idx').on(t.campaignId).where(sql`not ${t.folded}`),
  ],
);

/**
 * Template messages' events per quarter hour, for the overview and the failure reasons over a
 * period (GET /v1/stats/overview, /v1/stats/failures): each of a row's five timestamps
 * (sent_at, delivered_at, read_at, replied_at, failed_at) counts one `event` in the quarter hour
 * holding it; a failure also keeps its `reason` (the row's error, cut to 200 characters; '' for
 * the other events). Kept by the statement-level triggers of migration 0012 like message_counts
 * (append-only deltas, folded by the compaction), across campaigns and without them: a period's
 * figures read at most 96 quarter hours a day, whatever the number of messages. Quarter hours,
 * not hours: every time zone's days and hours start on one (India's +05:30, Nepal's +05:45).
 */
export const eventCounts = pgTable(
  'event_counts',
  {
    /** date_bin('15 minutes', <timestamp>, '2000-01-01 00:00Z'). */
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    event: text('event').$type<'sent' | 'delivered' | 'read' | 'replied' | 'failed'>().notNull(),
    reason: text('reason').notNull().default(''),
    n: bigint('n', { mode: 'number' }).notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    // a period's figures: `WHERE bucket >= $from AND bucket < $to`.
    index('event_counts_bucket_idx').on(t.bucket),
    // the compaction's quarter hours with unfolded rows; small, rows leave it at once.
    index('event_counts_unfolded_idx').on(t.bucket).where(sql`not ${t.folded}`),
  ],
);

/**
 * The number of contacts in each list, as deltas kept by the statement-level triggers of
 * migration 0013 on `list_members` and folded like message_counts (one row per list after a
 * compaction). The lists page shows every list's size on each view: counting a list of a
 * million members there took a quarter of a second (docs/decisions.md, Lists: sizes from
 * counters). Append-only like the others, so an import's long transaction holds no list row.
 */
export const listMemberCounts = pgTable(
  'list_member_counts',
  {
    listId: uuid('list_id').notNull(),
    n: bigint('n', { mode: 'number' }).notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    index('list_member_counts_list_idx').on(t.listId),
    index('list_member_counts_unfolded_idx').on(t.listId).where(sql`not ${t.folded}`),
  ],
);
