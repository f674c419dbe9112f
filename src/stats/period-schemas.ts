import { z } from '@hono/zod-openapi';
import { campaignStatus } from '../db/schema';
import { Page, PageQuery } from '../http/pagination';
import { COMPARED_SORTS } from './queries';
import { PeriodQuery, Stats } from './schemas';

/** The failure reasons a period answers at most; the others are summed in `otherReasons`. */
export const MAX_FAILURE_REASONS = 20;

const count = z.number().int();

export const Failures = z
  .object({
    from: z.string(),
    to: z.string(),
    failed: count.openapi({
      description: "the period's failures, as the overview's `failed` for the same period",
    }),
    reasons: z
      .array(
        z.object({
          reason: z.string().nullable().openapi({
            description:
              "the message's `error` (its first 200 characters); null when none was recorded",
          }),
          count,
        }),
      )
      .openapi({ description: `the ${MAX_FAILURE_REASONS} most frequent reasons, most first` }),
    otherReasons: count.openapi({ description: 'the failures of every other reason' }),
  })
  .openapi('FailureReasons');
export type Failures = z.infer<typeof Failures>;

export const CompareQuery = PeriodQuery.extend(PageQuery.shape).extend({
  sort: z
    .enum(Object.keys(COMPARED_SORTS) as [keyof typeof COMPARED_SORTS])
    .default('sent')
    .openapi({ description: 'the figure the campaigns are ranked by (then name)' }),
  order: z
    .enum(['asc', 'desc'])
    .default('desc')
    .openapi({ description: 'desc: the highest first (z to a for the name); asc: the lowest' }),
});
export type CompareQuery = z.infer<typeof CompareQuery>;

export const ComparedCampaign = Stats.extend({
  campaignId: z.string(),
  name: z.string(),
  status: z.enum(campaignStatus.enumValues),
}).openapi('ComparedCampaign');
export type ComparedCampaign = z.infer<typeof ComparedCampaign>;

export const ComparedPage = Page(ComparedCampaign)
  .extend({ from: z.string(), to: z.string() })
  .openapi('ComparedCampaignPage');
export type ComparedPage = z.infer<typeof ComparedPage>;
