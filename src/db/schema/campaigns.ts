import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  time,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { senders } from './senders';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const languagePolicy = pgEnum('language_policy', ['deterministic', 'fallback']);
export const templateCategory = pgEnum('template_category', [
  'marketing',
  'utility',
  'authentication',
]);

/** Meta's review state of a template; one made by hand is `approved` (it names an approved one). */
export const templateStatus = pgEnum('template_status', [
  'approved',
  'pending',
  'rejected',
  'paused',
  'disabled',
]);
/** How a template's body parameters are named: `{{1}}`, `{{2}}`… or `{{first_name}}`. */
export const parameterFormat = pgEnum('parameter_format', ['positional', 'named']);
/** Where a template row comes from: made through the API, or read from Meta's catalogue. */
export const templateSource = pgEnum('template_source', ['manual', 'synced']);

/** A pre-approved WhatsApp template. Soft-deleted so finished campaigns keep their history. */
export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    namespace: text('namespace').notNull(),
    languageCode: text('language_code').notNull(),
    languagePolicy: languagePolicy('language_policy').notNull().default('deterministic'),
    category: templateCategory('category'),
    /**
     * How each body parameter is filled per contact, with `{{attribute}}` /
     * `{{attribute|fallback}}` placeholders: texts in order (positional), or by name (a named
     * synced template). src/templates/body-parameters.ts reads it.
     */
    parameters: jsonb('parameters')
      .$type<string[] | Record<string, string>>()
      .notNull()
      .default([]),
    /** The sender whose business account the template was read from; null for one made by hand. */
    senderId: uuid('sender_id').references(() => senders.id),
    status: templateStatus('status').notNull().default('approved'),
    parameterFormat: parameterFormat('parameter_format').notNull().default('positional'),
    /** Meta's components (header, body, footer, buttons) as its template API answers them. */
    components: jsonb('components').$type<Record<string, unknown>[]>(),
    /**
     * How a synced template's header and buttons are filled per contact, beside `parameters`
     * (the body's): `{header?: text, buttons?: [{index, value}]}`, each value a text with
     * placeholders (a media header's value is its link). src/templates/component-parameters.ts
     * reads it. Kept by a sync, like `parameters`.
     */
    componentParameters: jsonb('component_parameters')
      .$type<{ header?: string; buttons?: { index: number; value: string }[] }>()
      .notNull()
      .default({}),
    /** Meta's quality rating (GREEN, YELLOW, RED, UNKNOWN). */
    quality: varchar('quality', { length: 32 }),
    source: templateSource('source').notNull().default('manual'),
    /** Meta's id of the template, for a synced one. */
    externalId: varchar('external_id', { length: 64 }),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    // a sync's upsert of a sender's catalogue: `ON CONFLICT (sender_id, external_id)`.
    uniqueIndex('templates_sender_external_uq')
      .on(t.senderId, t.externalId)
      .where(sql`${t.externalId} is not null`),
  ],
);

export const frequencyCapMode = pgEnum('frequency_cap_mode', ['default', 'off', 'own']);
/** A campaign's send window: QUIET_HOURS' (marketing templates), none, or its own. */
export const sendWindowMode = pgEnum('send_window_mode', ['default', 'off', 'own']);

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
    /**
     * The number it sends through. Its default is the default sender at the insert
     * (default_sender_id(), migration 0014), as the API's is (docs/design.md, rule 31).
     */
    senderId: uuid('sender_id')
      .notNull()
      .default(sql`default_sender_id()`)
      .references(() => senders.id),
    // An array, not a join table: deleting a list must not rewrite the history of finished
    // campaigns that used it.
    listIds: uuid('list_ids').array().notNull(),
    scheduleAt: timestamp('schedule_at', { withTimezone: true }),
    scheduleCron: text('schedule_cron'),
    scheduleTimezone: text('schedule_timezone'),
    /**
     * `schedule: {at, localTime: true}`: the wall-clock time each recipient gets it at in their
     * own zone (docs/design.md, rule 37); `schedule_at` is then the first zone's moment, when
     * the run opens.
     */
    scheduleLocalAt: timestamp('schedule_local_at', { mode: 'string' }),
    ratePerSecond: doublePrecision('rate_per_second'),
    followUpBody: text('follow_up_body'),
    nextRunAt: timestamp('next_run_at', { withTimezone: true }),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    pausedReason: text('paused_reason'),
    /**
     * Its frequency cap (docs/design.md, rule 35): `default` (FREQUENCY_CAP applies to a
     * marketing template), `off`, or `own` with `frequency_cap_max`/`_days`.
     */
    frequencyCapMode: frequencyCapMode('frequency_cap_mode').notNull().default('default'),
    frequencyCapMax: smallint('frequency_cap_max'),
    frequencyCapDays: smallint('frequency_cap_days'),
    /**
     * The share of each run's audience (percent, 0–50) kept out to measure the campaign: chosen
     * by a hash of campaign and contact, recorded `held_out` (docs/design.md, rule 36).
     */
    holdoutPercent: smallint('holdout_percent').notNull().default(0),
    /**
     * Its send window in each recipient's local time (docs/design.md, rule 37): `default`
     * (QUIET_HOURS' for a marketing template), `off`, or `own` with the four columns below.
     * `days` is a mask, bit 0 Monday to bit 6 Sunday (ISO weekday − 1).
     */
    sendWindowMode: sendWindowMode('send_window_mode').notNull().default('default'),
    sendWindowFrom: time('send_window_from'),
    sendWindowTo: time('send_window_to'),
    sendWindowDays: smallint('send_window_days'),
    /** Messages still waiting this many hours after their run started end `expired`. */
    sendWindowDeadlineHours: smallint('send_window_deadline_hours'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // scheduler tick: `WHERE status = 'scheduled' AND next_run_at <= now()`.
    index('campaigns_due_idx').on(t.nextRunAt).where(sql`${t.status} = 'scheduled'`),
    // GET /v1/campaigns newest first with a cursor.
    index('campaigns_created_idx').on(t.createdAt.desc(), t.id),
    // DELETE /v1/senders/{id}: the campaigns not finished that use it, `WHERE sender_id = $1`.
    index('campaigns_sender_idx').on(t.senderId),
    // The API's bounds (campaigns/schemas.ts), kept by the table too: a rate of 1e-300 spaced
    // sends beyond the largest timestamp, and the dispatcher looped on the error.
    check(
      'campaigns_rate_per_second_range',
      sql`${t.ratePerSecond} is null or ${t.ratePerSecond} between 0.01 and 1000`,
    ),
    check('campaigns_holdout_percent_range', sql`${t.holdoutPercent} between 0 and 50`),
    // an own cap has both numbers within delivery/frequency-cap.ts' bounds; the others none
    check(
      'campaigns_frequency_cap',
      sql`case when ${t.frequencyCapMode} = 'own'
        then ${t.frequencyCapMax} between 1 and 100 and ${t.frequencyCapDays} between 1 and 365
        else ${t.frequencyCapMax} is null and ${t.frequencyCapDays} is null end`,
    ),
    // an own window has its two ends (distinct), at least one day, and a deadline within bounds
    check(
      'campaigns_send_window',
      sql`case when ${t.sendWindowMode} = 'own'
        then ${t.sendWindowFrom} is not null and ${t.sendWindowTo} is not null
          and ${t.sendWindowFrom} <> ${t.sendWindowTo} and ${t.sendWindowDays} between 1 and 127
          and (${t.sendWindowDeadlineHours} is null or ${t.sendWindowDeadlineHours} between 1 and 720)
        else ${t.sendWindowFrom} is null and ${t.sendWindowTo} is null
          and ${t.sendWindowDays} is null and ${t.sendWindowDeadlineHours} is null end`,
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
    /**
     * The placement the run was opened with (docs/design.md, rule 37): the wall-clock time of
     * the local-time schedule that opened it (null for a start by hand, sent now), and the
     * campaign's zone, for recipients of no known zone. A schedule changed since is the next
     * run's.
     */
    localAt: timestamp('local_at', { mode: 'string' }),
    timezone: text('timezone'),
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
    /**
     * Set by a dispatcher that found nothing due: the first pending row's time (a send window
     * opening, a retry). Recovery leaves the run alone until then rather than queue a dispatch
     * every sweep that would find nothing again.
     */
    waitingUntil: timestamp('waiting_until', { withTimezone: true }),
    /**
     * Set while a change of the campaign's send window places the run's waiting rows again (the
     * window-change job), and refreshed by each of its segments: the run sends nothing until
     * then, as rows not yet placed again (some without a zone) would go by the old window.
     */
    windowChangeAt: timestamp('window_change_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // a slot fires once, however many schedulers race for it; also GET .../runs by campaign.
    unique('runs_campaign_slot_uq').on(t.campaignId, t.scheduledFor),
    // the dispatcher's list of active runs: `WHERE status = 'running'`.
    index('runs_active_idx').on(t.status).where(sql`${t.status} in ('running', 'paused')`),
  ],
);
