import { z } from '@hono/zod-openapi';

/**
 * GET /v1/schedules/next: a schedule as a campaign takes it, in the query, checked while it is
 * being written: a schedule a campaign would refuse is answered with the campaign's error (a
 * live form shows it), not refused. A malformed request (`count`, an oversized value) is a 400.
 */
export const NextFiringsQuery = z.object({
  at: z.string().max(64).optional().openapi({
    description:
      'a one-off time: with an offset (2026-12-01T08:00:00Z), or local (2026-12-01T09:00) with `timezone`',
  }),
  cron: z.string().max(200).optional().openapi({
    description: 'a cron pattern (0 9 * * MON), read in `timezone`',
  }),
  timezone: z.string().max(64).optional().openapi({
    description:
      "an IANA time zone (Europe/Paris) as a campaign takes it: one PostgreSQL knows, in any case (answered in PostgreSQL's spelling); UTC when a cron pattern has none",
  }),
  localTime: z.enum(['true', 'false']).optional().openapi({
    description:
      "`true`: the local `at` in each recipient's own zone, as a campaign's `{at, localTime: true}` (docs/design.md, rule 37); the one firing answered is when the run opens, where the day begins (UTC+14)",
  }),
  count: z.coerce
    .number({ error: 'must be a whole number from 1 to 20' })
    .int('must be a whole number from 1 to 20')
    .min(1, 'must be a whole number from 1 to 20')
    .max(20, 'must be a whole number from 1 to 20')
    .default(5)
    .openapi({ description: 'how many firings to answer, 1 to 20 (5 unless given)' }),
});
export type NextFiringsQuery = z.infer<typeof NextFiringsQuery>;

export const ScheduleFirings = z
  .object({
    description: z.string().nullable().openapi({
      description:
        'the schedule in words: `Every Monday at 09:00 in Europe/Paris`; null when `errors` is not empty',
    }),
    timezone: z.string().openapi({ description: 'the zone the words and `local` times are in' }),
    next: z
      .array(
        z.object({
          at: z.string().openapi({ description: 'the firing, ISO-8601 UTC' }),
          local: z
            .string()
            .openapi({ description: 'the same in words, in `timezone`: `Mon 1 Dec, 09:00`' }),
        }),
      )
      .openapi({
        description:
          'the next firings after now, as the scheduler will fire them (fewer when it has fewer left; none when `errors` is not empty)',
      }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).openapi({
      description:
        'what a campaign would refuse in this schedule, by field (`cron`, `at`, `timezone`); empty when it would take it',
    }),
  })
  .openapi('ScheduleFirings');
export type ScheduleFirings = z.infer<typeof ScheduleFirings>;
