import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

export const messageKind = pgEnum('message_kind', ['template', 'followup', 'manual']);

export const messageStatus = pgEnum('message_status', [
  'pending',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'skipped',
  'unknown',
  'expired',
  // not sent on purpose: Meta's experiment group (error 130472, docs/providers.md), and the
  // holdout groups of a campaign
  'held_out',
]);

/**
 * Every outgoing message: a run's template to one recipient, a follow-up, or a free-form message
 * sent by hand. Ids are bigints (a run can hold millions of rows); the API shows them as strings.
 */
export const messages = pgTable(
  'messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // No foreign keys on the three ids below: their per-row checks were most of the cost of
    // snapshotting an audience (330 ms of 530 ms per 10,000 rows). Runs, campaigns and contacts
    // are never deleted; the snapshot writes ids it has just read.
    runId: uuid('run_id'),
    campaignId: uuid('campaign_id'),
    contactId: uuid('contact_id'),
    /** E.164, copied so that the row stays readable whatever happens to the contact. */
    phone: text('phone').notNull(),
    kind: messageKind('kind').notNull().default('template'),
    status: messageStatus('status').notNull().default('pending'),
    /** Rendered template parameters, or the free-form body. */
    body: text('body'),
    params: text('params').array(),
    providerMessageId: text('provider_message_id'),
    /** Why the message failed or was skipped. */
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /** A retryable failure waits until then. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    sendingAt: timestamp('sending_at', { withTimezone: true }),
    /** The worker process that has the row in `sending`. */
    sendingBy: uuid('sending_by'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    /**
     * A follow-up that was not sent before then is `expired`; so is a template row of a campaign
     * whose send window has a deadline (docs/design.md, rule 37).
     */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /**
     * The sender it went (or goes) through. No foreign key, as for the ids above; null in rows
     * written before migration 0014, which all went through the one account of then.
     */
    senderId: uuid('sender_id'),
    /** The provider's error code of a failure (Meta's `code`, e.g. 131026). */
    errorCode: integer('error_code'),
    /** The title of that error, as the provider gave it. */
    errorTitle: varchar('error_title', { length: 200 }),
    /** Meta's `pricing.category` (marketing, utility, authentication, service…). */
    pricingCategory: varchar('pricing_category', { length: 32 }),
    /** Meta's `pricing.billable` (or its `pricing.type`): whether the message is charged. */
    billable: boolean('billable'),
    /**
     * The recipient's IANA zone, kept by the snapshot of a run with a send window or a local-time
     * schedule (docs/design.md, rule 37): a claim checks the window in it again.
     */
    timeZone: varchar('time_zone', { length: 64 }),
  },
  (t) => [
    // at most one template and one follow-up per run and contact: the snapshot's backstop and
    // its resume point (the run's last contact), and the follow-up's once-only rule.
    uniqueIndex('messages_run_contact_kind_uq').on(t.runId, t.contactId, t.kind),
    // acks and quoted replies: `WHERE provider_message_id = $1`.
    uniqueIndex('messages_provider_id_uq')
      .on(t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
    // follow-ups and manual messages waiting: `WHERE kind <> 'template' AND status = 'pending'`.
    index('messages_pending_direct_idx')
      .on(t.id)
      .where(sql`${t.status} = 'pending' and ${t.kind} <> 'template'`),
    // GET /v1/campaigns/{id}/messages?status=&run= with an id cursor, and the dispatcher's claim
    // `WHERE campaign_id = $1 AND run_id = $2 AND status = 'pending' ORDER BY id FOR UPDATE SKIP
    // LOCKED` (with every other run-level pending query). No separate partial index of pending
    // rows for the claim (migration 0002 dropped one): it would be a fifth index for every
    // snapshot insert, a fifth of the insert's write-ahead log, for a range this one has too.
    index('messages_campaign_idx').on(t.campaignId, t.runId, t.status, t.id),
    // reply attribution: the latest template sent to a phone, `WHERE phone = $1 AND kind =
    // 'template' AND sent_at > now() - interval ORDER BY sent_at DESC LIMIT 1`; and the claim's
    // one-send-per-interval probe, `WHERE phone = m.phone AND kind = 'template' AND sent_at >
    // now() - MIN_SCHEDULE_INTERVAL_MINUTES` (sending/claim.ts).
    index('messages_phone_sent_idx')
      .on(t.phone, t.sentAt.desc())
      .where(sql`${t.kind} = 'template' and ${t.sentAt} is not null`),
    // the frequency cap's count of a phone's templates in flight (docs/design.md, rule 35): a
    // claim counts those `sending` beside those sent. Partial: only rows being sent are in it.
    index('messages_phone_sending_idx')
      .on(t.phone)
      .where(sql`${t.kind} = 'template' and ${t.status} = 'sending'`),
    // a phone's follow-ups and free-form messages: the conversation thread (the
    // conversation_messages view, `WHERE phone = $1 AND kind <> 'template'`) and the last
    // message sent to a phone (unreadCount of GET /v1/conversations). Partial: the snapshot's
    // template rows never enter it, so it costs the audience snapshot nothing.
    index('messages_phone_direct_idx').on(t.phone).where(sql`${t.kind} <> 'template'`),
    // GET /v1/campaigns/{id}/stats' byErrorCode and byPricingCategory (docs/decisions.md,
    // "Error codes and pricing in the stats"): partial, so only the rows Meta coded or priced
    // enter them (never a pending snapshot row), and a campaign's figures are an index range.
    index('messages_campaign_error_idx')
      .on(t.campaignId, t.runId, t.errorCode)
      .where(sql`${t.errorCode} is not null and ${t.kind} = 'template'`),
    index('messages_campaign_pricing_idx')
      .on(t.campaignId, t.runId, t.pricingCategory, t.billable)
      .where(sql`${t.pricingCategory} is not null and ${t.kind} = 'template'`),
    // crash recovery: rows left `sending` by a dead process.
    index('messages_sending_idx').on(t.sendingAt).where(sql`${t.status} = 'sending'`),
    // the rolling 24-hour messaging limit: recipients sent outside a window since a moment.
    index('messages_sent_at_idx').on(t.sentAt).where(sql`${t.sentAt} is not null`),
  ],
);

/**
 * Paces shared by every process through PostgreSQL (GCRA, a token bucket kept as a "theoretical
 * arrival time"): `account` (SEND_RATE_PER_SECOND, all sends together) and `campaign:<id>` (a
 * campaign's ratePerSecond). Each grant reserves send slots on a fixed grid, so a late poll
 * never loses pace; the service keeps `burst` at 1 (no burst, see sending/pacing.ts).
 */
export const rateBuckets = pgTable('rate_buckets', {
  key: text('key').primaryKey(),
  ratePerSecond: doublePrecision('rate_per_second').notNull(),
  /** Sends that may go at once beyond the grid. */
  burst: doublePrecision('burst').notNull(),
  /** The next free slot of the grid. */
  tat: timestamp('tat', { withTimezone: true }).notNull().defaultNow(),
  /** After a 429, nothing is granted before this moment (Retry-After). */
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
});

/**
 * Settings of the environment as the service last started with them, where a change must act on
 * stored rows: `QUIET_HOURS`, whose waiting rows are placed again by a new value
 * (campaigns/quiet-hours-change.ts).
 */
export const appliedSettings = pgTable('applied_settings', {
  name: varchar('name', { length: 64 }).primaryKey(),
  /** The value as JSON (`null`: unset). */
  value: varchar('value', { length: 1000 }).notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Live worker processes; a `sending` row whose worker stopped beating is `unknown`. */
export const workers = pgTable('workers', {
  id: uuid('id').primaryKey(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Who dispatches what: `run:<id>` for a run's template messages, `direct` for follow-ups and
 * free-form messages. A dispatch job holds its lease while it works and renews it; a lease whose
 * holder died simply runs out, and the recovery sweep queues a new job.
 */
export const dispatchLeases = pgTable('dispatch_leases', {
  key: text('key').primaryKey(),
  holder: uuid('holder').notNull(),
  /** The worker process of the holder: a dead worker's leases lapse at once. */
  workerId: uuid('worker_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
