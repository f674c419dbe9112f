import { z } from '@hono/zod-openapi';
import { campaignStatus, messageStatus, runStatus } from '../db/schema';
import { Page, PageQuery } from '../http/pagination';
import { Message } from '../messages/message-json';

const count = z.number().int();

/** The span the current send rate is measured over: long enough to smooth, short enough to follow a pause. */
export const RATE_WINDOW_SECONDS = 10;

/** The Stats (docs/design.md, rule 22), over a campaign's template messages (or one run's). */
export const Stats = z
  .object({
    audience: count,
    pending: count,
    sent: count,
    delivered: count,
    read: count,
    failed: count,
    skipped: count,
    unknown: count,
    replied: count,
    optedOut: count,
    followUpsSent: count,
    windowsOpen: count,
    deliveryRate: z.number(),
    readRate: z.number(),
    replyRate: z.number(),
  })
  .openapi('Stats');
export type Stats = z.infer<typeof Stats>;

/** Messages of one pricing category: those Meta charges and those it does not. */
export const PricingSplit = z
  .object({
    billable: count.openapi({ description: 'messages Meta charges for (`pricing.billable`)' }),
    free: count.openapi({ description: 'messages Meta does not charge for' }),
  })
  .openapi('PricingSplit');

/**
 * GET /v1/campaigns/{id}/stats: the Stats with the failures by Meta's error code and the
 * messages by Meta's pricing category (docs/design.md, rule 22).
 */
const byErrorCode = (of: string) =>
  z.record(z.string(), count).openapi({
    description: `${of} that failed or were held out, by the provider's error code (Meta's \`code\`, e.g. \`131049\`); messages without a code are in none`,
    example: { '131049': 12, '131026': 3 },
  });
const byPricingCategory = (of: string) =>
  z.record(z.string(), PricingSplit).openapi({
    description: `${of} that Meta priced, by its \`pricing.category\` (marketing, utility, authentication, service…), billable or free; messages without a category are in none (chat-api and the sandbox price nothing)`,
    example: { marketing: { billable: 180, free: 0 }, service: { billable: 0, free: 4 } },
  });
const estimatedCost = (of: string) =>
  z
    .record(z.string(), z.number())
    .nullable()
    .openapi({
      description: `what ${of} that are billable cost by currency, from PRICE_CARD: each at its category's price for the longest country calling code of the card its phone starts with (a message the card has no price for adds nothing); null without a price card`,
      example: { USD: 4.5234 },
    });

export const Uplift = z
  .object({
    treatedRate: z.number().openapi({
      description:
        'the share of the phones sent the template that wrote to us within REPLY_ATTRIBUTION_HOURS after their run started',
    }),
    holdoutRate: z.number().openapi({ description: 'the same share of the holdout group' }),
    difference: z.number().openapi({ description: 'treatedRate - holdoutRate' }),
    ci95: z.tuple([z.number(), z.number()]).openapi({
      description:
        "the difference's 95% confidence interval, Newcombe's hybrid score method (Wilson intervals)",
    }),
  })
  .openapi('Uplift');

export const CampaignStats = Stats.extend({
  byErrorCode: byErrorCode('the messages'),
  byPricingCategory: byPricingCategory('the messages'),
  estimatedCost: estimatedCost('the messages'),
  expired: count.openapi({
    description:
      "template messages that ended `expired`: their recipient's send window did not open before the campaign's deadlineHours (docs/design.md, rule 37)",
  }),
  heldOut: count.nullable().openapi({
    description:
      'the holdout group: recipients the campaign kept out (holdoutPercent), recorded `held_out`; null when it kept nobody out',
  }),
  holdoutReplied: count.nullable().openapi({
    description:
      'how many of the holdout group wrote to us within REPLY_ATTRIBUTION_HOURS after their run started; null without a holdout',
  }),
  uplift: Uplift.nullable().openapi({
    description: 'what the campaign changed in the share who wrote to us; null without a holdout',
  }),
}).openapi('CampaignStats');
export type CampaignStats = z.infer<typeof CampaignStats>;

const runParam = z
  .uuid()
  .optional()
  .openapi({ description: 'a run of the campaign; the whole campaign when absent' });

export const StatsQuery = z.object({ run: runParam });

/**
 * Where a campaign stands now: what a list of campaigns shows on each row and a campaign's page
 * updates every second. `run` is its latest run that was not missed (the one retry acts on).
 */
export const Progress = z
  .object({
    status: z.enum(campaignStatus.enumValues),
    sent: count.openapi({ description: "the campaign's sent figure, as in its Stats" }),
    replied: count.openapi({ description: "the campaign's replied figure, as in its Stats" }),
    replyRate: z.number().openapi({ description: 'replied / sent, 0 when nothing was sent' }),
    run: z
      .object({
        id: z.string(),
        status: z.enum(runStatus.enumValues),
        audience: count,
        sent: count,
        pending: count,
        failed: count,
        unknown: count,
        waiting: count.optional().openapi({
          description:
            "of `pending`, those waiting for a later moment: their recipient's send window, a local-time schedule, a retry's wait (docs/design.md, rule 37); read from at most 100,000 pending rows",
        }),
        nextDueAt: z.string().nullable().optional().openapi({
          description: 'when the first of the waiting is due (ISO-8601 UTC); null when none waits',
        }),
        expired: count.optional().openapi({
          description:
            "messages that ended `expired`: their send window did not open before the campaign's deadlineHours",
        }),
      })
      .nullable()
      .openapi({ description: 'the latest run, with its Stats figures; null before the first' }),
    sendRate: z.number().openapi({
      description: `template messages the provider accepted per second over the last ${RATE_WINDOW_SECONDS} seconds; 0 unless running`,
    }),
    secondsLeft: z.number().nullable().openapi({
      description:
        "the latest run's pending messages at that rate; null when nothing is being sent",
    }),
  })
  .openapi('CampaignProgress');
export type Progress = z.infer<typeof Progress>;
export type StatsQuery = z.infer<typeof StatsQuery>;

/** `?attributes=`: a query string of a few kilobytes, whatever the count limit. */
export const MAX_ATTRIBUTES_PARAM_CHARS = 8000;

/** `?phoneFormat=` of the CSV export: see its description below. */
export const PHONE_FORMATS = ['quoted', 'digits', 'e164'] as const;
export type PhoneFormat = (typeof PHONE_FORMATS)[number];

export const MessagesQuery = PageQuery.extend({
  status: z
    .enum(messageStatus.enumValues)
    .optional()
    .openapi({ description: 'only the messages in this status' }),
  run: runParam,
  attributes: z
    .string()
    .max(MAX_ATTRIBUTES_PARAM_CHARS)
    .optional()
    .openapi({
      description: `CSV export only: the contact attributes to add as columns (\`attr.<name>\`), comma-separated, in this order; empty for none; all of the exported contacts' attributes when absent (at most IMPORT_MAX_COLUMNS names or attributes, 100 by default; ${MAX_ATTRIBUTES_PARAM_CHARS.toLocaleString('en')} characters at most)`,
      example: 'first_name,city',
    }),
  format: z.enum(['json', 'csv']).optional().openapi({
    description:
      "`csv` asks for the CSV export as `Accept: text/csv` does: for a download link, which cannot set a header (the console's export link)",
  }),
  phoneFormat: z.enum(PHONE_FORMATS).default('quoted').openapi({
    description:
      "CSV export only: how the phone column is written. `quoted` (default): `'+4479…`, shown as text by spreadsheets; `digits`: `4479…`, no plus and no quote, still safe in a spreadsheet; `e164`: `+4479…` as stored, for scripts, not for spreadsheets (they read it as a formula or a number and drop the plus)",
  }),
});
export type MessagesQuery = z.infer<typeof MessagesQuery>;

export const MessagePage = Page(Message).openapi('MessagePage');
export type MessagePage = z.infer<typeof MessagePage>;

/** At most this many buckets in an overview: 62 days by the hour, 5 years by the day. */
export const MAX_BUCKETS = 1500;

/** The overview's range when the query names none: the 30 days up to now. */
export const DEFAULT_OVERVIEW_DAYS = 30;

const instant = (description: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .openapi({
      description: `${description}: an ISO 8601 date-time with its offset (Z or +02:00), or a date alone (2026-11-01) for that day's start in \`timezone\``,
    });

/**
 * The period of the figures over time (overview, failure reasons, campaigns compared). They are
 * counted by quarter hour (docs/decisions.md, Statistics), so `from` is taken back and `to` on to
 * the quarter hour that holds them; the answer names the period counted.
 */
export const PeriodQuery = z.object({
  from: instant(
    `start of the period (inclusive, back to its quarter hour); default: \`to\` less ${DEFAULT_OVERVIEW_DAYS} days`,
  ),
  to: instant('end of the period (exclusive, on to its quarter hour); default: now'),
  timezone: z.string().max(64).default('UTC').openapi({
    description:
      "an IANA time zone, e.g. Europe/Paris: a date given alone is that day's start there, and the overview's buckets are its days or hours",
    example: 'Europe/Paris',
  }),
});
export type PeriodQuery = z.infer<typeof PeriodQuery>;

export const OverviewQuery = PeriodQuery.extend({
  interval: z
    .enum(['hour', 'day'])
    .default('day')
    .openapi({ description: 'bucket size: hours or days of `timezone`' }),
});
export type OverviewQuery = z.infer<typeof OverviewQuery>;

const Figures = z.object({
  sent: count,
  delivered: count,
  read: count,
  replied: count,
  failed: count,
});

const SENT_IN_PERIOD = 'the template messages sent in the period (their `sentAt`)';

export const Overview = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(['hour', 'day']),
    timezone: z.string(),
    totals: Figures,
    series: z.array(Figures.extend({ start: z.string() })),
    byErrorCode: byErrorCode(SENT_IN_PERIOD),
    byPricingCategory: byPricingCategory(SENT_IN_PERIOD),
    estimatedCost: estimatedCost(SENT_IN_PERIOD),
  })
  .openapi('Overview');
export type Overview = z.infer<typeof Overview>;

/** GET /v1/senders/{senderId}/stats: a period, as the overview's (no buckets). */
export const SenderStatsQuery = PeriodQuery;
export type SenderStatsQuery = PeriodQuery;

const SENT_THROUGH = 'the template messages the sender sent in the period (their `sentAt`)';

export const SenderStats = z
  .object({
    senderId: z.string(),
    from: z.string(),
    to: z.string(),
    sent: count.openapi({ description: SENT_THROUGH }),
    delivered: count.openapi({ description: 'of those, the ones delivered since (read included)' }),
    read: count.openapi({ description: 'of those, the ones read since' }),
    failed: count.openapi({ description: 'of those, the ones that failed since' }),
    byErrorCode: byErrorCode(SENT_THROUGH),
    byPricingCategory: byPricingCategory(SENT_THROUGH),
    estimatedCost: estimatedCost(SENT_THROUGH),
  })
  .openapi('SenderStats');
export type SenderStats = z.infer<typeof SenderStats>;
