import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const languagePolicy = pgEnum('language_policy', ['deterministic', 'fallback']);
export const templateCategory = pgEnum('template_category', [
  'marketing',
  'utility',
  'authentication',
]);

/** A pre-approved WhatsApp template. Soft-deleted so finished campaigns keep their history. */
export const templates = pgTable('templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  namespace: text('namespace').notNull(),
  languageCode: text('language_code').notNull(),
  languagePolicy: languagePolicy('language_policy').notNull().default('deterministic'),
  category: templateCategory('category'),
  /** Body parameters in order, each with `{{attribute}}` / `{{attribute|fallback}}` placeholders. */
  parameters: jsonb('parameters').$type<string[]>().notNull().default([]),
  createdAt: createdAt(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

export const campaignStatus = pgEnum('campaign_status', [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
]);

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    status: campaignStatus('status').notNull().default('draft'),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id),
    // An array, not a join table: deleting a list must not rewrite the history of finished
    // campaigns that used it.
    listIds: uuid('list_ids').array().notNull(),
    scheduleAt: timestamp('schedule_at', { withTimezone: true }),
    scheduleCron: text('schedule_cron'),
    scheduleTimezone: text('schedule_timezone'),
    ratePerSecond: doublePrecision('rate_per_second'),
    followUpBody: text('follow_up_body'),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    pausedReason: text('paused_reason'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // scheduler tick: `WHERE status = 'scheduled' AND next_run_at <= now()`.
    index('campaigns_due_idx').on(t.nextRunAt).where(sql`${t.status} = 'scheduled'`),
    // GET /v1/campaigns newest first with a cursor.
    index('campaigns_created_idx').on(t.createdAt.desc(), t.id),
    // The API's bounds (campaigns/schemas.ts), kept by the table too: a rate of 1e-300 spaced
    // sends beyond the largest timestamp, and the dispatcher looped on the error.
    check(
      'campaigns_rate_per_second_range',
      sql`${t.ratePerSecond} is null or ${t.ratePerSecond} between 0.01 and 1000`,
    ),
  ],
);

export const runStatus = pgEnum('run_status', [
  'running',
  'paused',
  'completed',
  'cancelled',
  'missed',
]);

/** One firing of a campaign. */
export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /**
     * The template and lists the run was opened with: a paused campaign's changes apply from
     * its next run. Null in runs opened before migration 0006 by a process that did not know
     * them: the campaign's then count.
     */
    templateId: uuid('template_id').references(() => templates.id),
    listIds: uuid('list_ids').array(),
    /** The slot the run was due for (a manual start uses the moment it was asked). */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }).notNull(),
    status: runStatus('status').notNull().default('running'),
    /** Recipients snapshotted so far; final once `snapshotDoneAt` is set. */
    audience: integer('audience').notNull().default(0),
    /** The snapshot proceeds in contact-id order; this is the last id it has written. */
    snapshotCursor: uuid('snapshot_cursor'),
    snapshotDoneAt: timestamp('snapshot_done_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // a slot fires once, however many schedulers race for it; also GET .../runs by campaign.
    unique('runs_campaign_slot_uq').on(t.campaignId, t.scheduledFor),
    // the dispatcher's list of active runs: `WHERE status = 'running'`.
    index('runs_active_idx').on(t.status).where(sql`${t.status} in ('running', 'paused')`),
  ],
);
