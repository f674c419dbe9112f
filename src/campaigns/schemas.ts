import { z } from '@hono/zod-openapi';
import { campaignStatus, runStatus } from '../db/schema';
import { FrequencyCap } from '../delivery/frequency-cap';
import { SendWindow } from '../delivery/send-window';
import { Page, PageQuery } from '../http/pagination';
import { placeholderText } from '../templates/schemas';
import { AcceptSkips } from './preview-schemas';
import { cronProblem, isTimeZone, localTimeProblem, resolveAt, UNKNOWN_ZONE } from './schedule';

export const ScheduleInput = z
  .object({
    at: z.iso.datetime({ offset: true, local: true }).optional(),
    cron: z.string().min(1).max(200).optional(),
    timezone: z.string().min(1).max(64).optional().openapi({
      description:
        "an IANA time zone PostgreSQL knows (pg_timezone_names, less Factory, localtime, posixrules, posix/ and right/), in any case: stored in PostgreSQL's spelling (europe/paris is Europe/Paris); another is a 422 naming `schedule.timezone`",
    }),
    localTime: z.boolean().optional().openapi({
      description:
        'with a local `at` (no offset): each recipient gets it at that wall-clock time in their own zone (docs/design.md, rule 37); `timezone`, if given, is the zone of recipients whose own is unknown',
    }),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    const issue = (path: string | undefined, message: string) =>
      ctx.addIssue({ code: 'custom', path: path ? [path] : [], message });
    if ((schedule.at === undefined) === (schedule.cron === undefined)) {
      issue(undefined, 'give either `at` or `cron` (with `timezone`)');
      return;
    }
    if (schedule.localTime) {
      const problem = localTimeProblem(schedule.at, schedule.timezone);
      if (problem) issue(problem.path, problem.message);
      return;
    }
    if (schedule.at !== undefined) {
      const at = resolveAt(schedule.at, schedule.timezone);
      if (!('instant' in at)) issue(at.path, at.message);
      else if (at.instant.getTime() <= Date.now()) issue('at', 'must lie in the future');
      return;
    }
    const timezone = schedule.timezone ?? 'UTC';
    if (!isTimeZone(timezone)) {
      issue('timezone', UNKNOWN_ZONE);
      return;
    }
    const problem = cronProblem(schedule.cron ?? '', timezone);
    if (problem) issue('cron', problem);
  })
  .openapi('ScheduleInput', {
    description:
      "`{at}` for once (with an offset, or a local date-time with `timezone`), `{at, localTime: true}` for once at that local time in each recipient's zone, or `{cron, timezone}` (timezone defaults to UTC)",
  });
export type ScheduleInput = z.infer<typeof ScheduleInput>;

const FollowUp = z.object({ body: placeholderText(4096) });

/**
 * A campaign's own pace, below the account's. Its bounds are the table's too (migration 0007):
 * a rate of 1e-300 spaced sends beyond the largest timestamp, and the run looped on the error.
 */
const RatePerSecond = z
  .number()
  .min(0.01, 'must be from 0.01 to 1,000 messages a second')
  .max(1000, 'must be from 0.01 to 1,000 messages a second');

/** The sending number (GET /v1/senders); without it, the default sender at creation. */
const SenderId = z.uuid().openapi({
  description:
    'the sender it sends through (GET /v1/senders); the default sender unless given. Changed while draft or scheduled only.',
});

/**
 * A campaign's frequency cap: its own, or `null` for none; left out, FREQUENCY_CAP applies to a
 * marketing template (docs/design.md, rule 35). A union, not `.nullable()`, as for `schedule`.
 */
const FrequencyCapSetting = z
  .union([FrequencyCap, z.null()], { error: 'must be `{max, days}` or null' })
  .openapi({
    description:
      'its own cap, or null for none; left out (or never set), the FREQUENCY_CAP default applies to a marketing template',
  });

/**
 * A campaign's send window: its own, or `null` for none; left out, QUIET_HOURS applies to a
 * marketing template (docs/design.md, rule 37).
 */
const SendWindowSetting = z
  .union([SendWindow, z.null()], { error: 'must be `{from, to, days?, deadlineHours?}` or null' })
  .openapi({
    description:
      "its own window in each recipient's local time, or null for none; left out (or never set), the QUIET_HOURS default applies to a marketing template",
  });

/** The share of each run's audience kept out to measure the campaign (rule 36). */
const HoldoutPercent = z.number().int().min(0).max(50).openapi({
  description:
    "percent (0–50, whole) of each run's audience that gets nothing, to measure the campaign against: the same people in every run; 0 for none",
});

export const CreateCampaign = z
  .object({
    name: z.string().min(1).max(512),
    templateId: z.uuid(),
    listIds: z.array(z.uuid()).min(1).max(100),
    senderId: SenderId.optional(),
    schedule: ScheduleInput.optional(),
    ratePerSecond: RatePerSecond.optional(),
    followUp: FollowUp.optional(),
    frequencyCap: FrequencyCapSetting.optional(),
    sendWindow: SendWindowSetting.optional(),
    holdoutPercent: HoldoutPercent.optional(),
    acceptSkips: AcceptSkips,
  })
  // strict: a misspelt field (`followUpBody` for `followUp`) is a 422 naming it, not a campaign
  // saved without what was meant
  .strict()
  .openapi('CreateCampaign');
export type CreateCampaign = z.infer<typeof CreateCampaign>;

/** Any of the create fields; `null` clears the optional ones (no schedule makes it a draft). */
export const UpdateCampaign = z
  .object({
    name: z.string().min(1).max(512).optional(),
    templateId: z.uuid().optional(),
    listIds: z.array(z.uuid()).min(1).max(100).optional(),
    senderId: SenderId.optional(),
    // A union, not `.nullable()`: the OpenAPI generator writes a nullable named schema as
    // `allOf: [ScheduleInput, {type: [object, null]}]`, which no value satisfies as null and
    // which generated clients type so that neither null nor a schedule fits.
    schedule: z
      .union([ScheduleInput, z.null()], { error: 'must be `{at}`, `{cron, timezone}` or null' })
      .optional(),
    ratePerSecond: RatePerSecond.nullable().optional(),
    followUp: FollowUp.nullable().optional(),
    frequencyCap: z
      .union([FrequencyCap, z.null(), z.literal('default')], {
        error: "must be `{max, days}`, null or 'default'",
      })
      .optional()
      .openapi({
        description: "its own cap, null for none, or 'default' to follow FREQUENCY_CAP again",
      }),
    sendWindow: z
      .union([SendWindow, z.null(), z.literal('default')], {
        error: "must be `{from, to, days?, deadlineHours?}`, null or 'default'",
      })
      .optional()
      .openapi({
        description:
          "its own window, null for none, or 'default' to follow QUIET_HOURS again; the messages its paused run has waiting are placed again by the new window in the background (a wider one or none brings them forward), except those waiting for a retry",
      }),
    holdoutPercent: HoldoutPercent.optional(),
    acceptSkips: AcceptSkips,
  })
  .strict()
  .openapi('UpdateCampaign');
export type UpdateCampaign = z.infer<typeof UpdateCampaign>;

export const CampaignStatus = z.enum(campaignStatus.enumValues);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

const isStatus = (value: string): value is CampaignStatus =>
  (campaignStatus.enumValues as readonly string[]).includes(value);

/** `?status=running` or several, comma-separated (`completed,cancelled`: the finished ones). */
export const CampaignListQuery = PageQuery.extend({
  status: z
    .string()
    .max(200)
    .refine(
      (value) => value.split(',').every(isStatus),
      `must be one or more of ${campaignStatus.enumValues.join(', ')}, comma-separated`,
    )
    .transform((value) => value.split(',').filter(isStatus))
    .optional()
    .openapi({
      description: 'only the campaigns in these statuses, comma-separated',
      example: 'completed,cancelled',
    }),
});
export type CampaignListQuery = z.infer<typeof CampaignListQuery>;

export const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    status: CampaignStatus,
    templateId: z.string(),
    listIds: z.array(z.string()),
    senderId: z.string().openapi({ description: 'the sender it sends through' }),
    schedule: z
      .union([
        z.object({
          at: z.string().openapi({
            description: 'the instant (ISO-8601 UTC), or with `localTime` the local date-time',
          }),
          timezone: z.string().optional(),
          localTime: z.literal(true).optional(),
        }),
        z.object({ cron: z.string(), timezone: z.string() }),
      ])
      .nullable(),
    ratePerSecond: z.number().nullable(),
    followUp: z.object({ body: z.string() }).nullable(),
    frequencyCap: FrequencyCapSetting.optional().openapi({
      description:
        'its own cap, or null for none; absent when it follows the FREQUENCY_CAP default (marketing templates only)',
    }),
    sendWindow: SendWindowSetting.optional().openapi({
      description:
        'its own window, or null for none; absent when it follows the QUIET_HOURS default (marketing templates only)',
    }),
    holdoutPercent: z.number().int(),
    nextRunAt: z.string().nullable(),
    lastRunAt: z.string().nullable(),
    pausedReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Campaign');
export type Campaign = z.infer<typeof Campaign>;

export const CampaignPage = Page(Campaign).openapi('CampaignPage');
export type CampaignPage = z.infer<typeof CampaignPage>;

export const Run = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    scheduledFor: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    status: z.enum(runStatus.enumValues),
    audience: z.number().int(),
  })
  .openapi('Run');
export type Run = z.infer<typeof Run>;

export const RunList = z.object({ data: z.array(Run) }).openapi('RunList');
export type RunList = z.infer<typeof RunList>;
