import { z } from '@hono/zod-openapi';

const count = z.number().int();

/** Starting or scheduling goes ahead although many would be skipped (see skip-rule.ts). */
export const AcceptSkips = z.boolean().optional().openapi({
  description:
    'go ahead although the preview skips more than MAX_SKIPPED_PERCENT of the audience (else 409 `too_many_skips`)',
});

/** The body of start and resume: both launch a campaign a person looked at. */
export const LaunchBody = z.object({ acceptSkips: AcceptSkips }).openapi('LaunchRequest');
export type LaunchBody = z.infer<typeof LaunchBody>;

export const Preview = z
  .object({
    audience: count.openapi({
      description:
        'recipients a run opened now would take: the distinct contacts of the lists, opted-out phones excluded (the `audience` of such a run)',
    }),
    eligible: count.openapi({
      description: 'of those, the ones that would be sent (not skipped, not in the holdout group)',
    }),
    skipped: count.openapi({ description: 'of those, the ones that would be skipped' }),
    heldOut: count.openapi({
      description:
        "of those, the ones the campaign's holdoutPercent would keep out: sendable, sent nothing (0 without a holdout)",
    }),
    capped: count.nullable().openapi({
      description:
        "of the eligible, the ones the campaign's frequency cap would skip if they were sent now: their phone already had the cap's `max` templates of its categories in its last `days` days (or is being sent one). Null when no cap applies",
    }),
    outsideWindowNow: count.openapi({
      description:
        "of the eligible, the ones that may not be sent at `estimatedStart`: their zone's send window is closed then, or a local-time schedule's time has not come there yet; they wait for it. 0 without a window or local-time schedule",
    }),
    expiring: count.openapi({
      description:
        "of the eligible, the ones the send window's deadlineHours would end `expired` before they could be sent, by `byHour`'s reckoning (0 without a deadline)",
    }),
    skippedPercent: z.number().openapi({ description: '`skipped` as a percentage of `audience`' }),
    acceptSkipsRequired: z.boolean().openapi({
      description:
        'more than MAX_SKIPPED_PERCENT would be skipped: starting or scheduling needs `{"acceptSkips": true}`',
    }),
    duplicates: count.openapi({
      description: 'list memberships that repeat a contact already in another of the lists',
    }),
    optedOut: count.openapi({ description: 'distinct contacts of the lists that opted out' }),
    skippedByAttribute: z.record(z.string(), count).openapi({
      description:
        'skipped recipients by the attribute they miss (a placeholder without fallback); a contact missing several counts once, under the first, as the `error` of its message would name it',
    }),
    sample: z
      .array(
        z.object({ contactId: z.string(), phone: z.string(), parameters: z.array(z.string()) }),
      )
      .openapi({
        description:
          "up to 3 recipients that would be sent, with their parameters: the body's, then a synced template's header and button values (by button index), as a message stores them",
      }),
    estimatedStart: z.string().openapi({
      description:
        'when the next run would start: the next slot of a scheduled (or paused scheduled) campaign, else now',
    }),
    estimatedFinish: z.string().openapi({
      description:
        "when its last template would go, at `pacePerSecond` and within its sender's 24-hour limit, with the sender to itself; with a send window or local-time schedule, the last hour of `byHour` (past its 8 days, reckoned on at the pace and limit alone)",
    }),
    byHour: z
      .array(
        z.object({
          hour: z.string().openapi({
            description: 'the start of the hour, UTC (ISO 8601)',
            example: '2026-12-01T14:00:00.000Z',
          }),
          count: count.openapi({ description: 'recipients sent in that hour' }),
        }),
      )
      .openapi({
        description:
          "when the eligible would be sent, by hour from `estimatedStart`: every hour from the first send's to the last's (empty ones included), each zone's recipients only inside their send window, in the order they come due, at `pacePerSecond` and within the messaging limit. Covers the first 8 days (at most 193 hours): recipients not sent by then, and those `expiring`, are in no hour (a warning says how many)",
      }),
    pacePerSecond: z.number().openapi({
      description: 'the lower of the ratePerSecond of the campaign and SEND_RATE_PER_SECOND',
    }),
    messagingLimit: z.object({
      limit: count.nullable().openapi({
        description:
          "the sender's messagingLimit24h (the default sender's: MESSAGING_LIMIT_24H); null: none",
      }),
      usedLast24h: count.openapi({ description: 'recipients of a template in the last 24 hours' }),
      needed: count.openapi({ description: 'recipients this run would add (`eligible`)' }),
    }),
    estimatedCost: z
      .object({
        currency: z.string().openapi({ example: 'USD' }),
        total: z.number().openapi({ description: 'the priced recipients at their price' }),
        byCategory: z.record(z.string(), z.number()).openapi({
          description: "the total under the template's category (its only one)",
          example: { marketing: 12.5 },
        }),
        priced: count.openapi({ description: 'recipients the card prices in `currency`' }),
        unpriced: count.openapi({
          description:
            "recipients whose country the card has no price of the template's category for: in no total (a warning says so)",
        }),
      })
      .nullable()
      .openapi({
        description:
          "what the run would cost by PRICE_CARD: each recipient that would be sent at the price of the template's category for the longest country calling code of the card its phone starts with, as if Meta charged every one (an upper bound: a utility template inside an open service window is free). In one currency, that of most recipients (a warning names any other). Null without a price card, or when the template has no category",
      }),
    warnings: z.array(z.string()).openapi({ description: 'what would surprise, in words' }),
  })
  .openapi('Preview');
export type Preview = z.infer<typeof Preview>;
