import type { AppContext } from '../context';
import { AppError } from '../errors';
import { statsPeriod } from './period';
import { periodFigures } from './period-figures';
import { overviewRows } from './queries';
import { MAX_BUCKETS, type Overview, type OverviewQuery } from './schemas';

const unitMs = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * GET /v1/stats/overview: template messages across campaigns, each event counted in the bucket
 * of its own timestamp (sent_at, delivered_at, read_at, replied_at, failed_at) within the
 * period, from the quarter-hour counters of event_counts (docs/decisions.md, Statistics).
 * Buckets are hours or days of `timezone` from the one holding `from`; empty ones are zeros.
 * The figures by error code and pricing category (and the estimated cost) are of the messages
 * sent in the period, a range of messages_sent_at_idx (period-figures.ts).
 */
export async function getOverview(ctx: AppContext, query: OverviewQuery): Promise<Overview> {
  const { from, to, timezone } = statsPeriod(query);
  // an upper bound whatever the zone: the bucket holding `from` starts at most a unit earlier
  const buckets = Math.ceil((to.getTime() - from.getTime()) / unitMs[query.interval]) + 1;
  if (buckets > MAX_BUCKETS)
    throw new AppError('bad_request', `at most ${MAX_BUCKETS} buckets; ask for a shorter range`, [
      { path: 'query.to', message: `${buckets} ${query.interval}s is too many` },
    ]);
  const fromText = from.toISOString();
  const toText = to.toISOString();
  const [series, figures] = await Promise.all([
    overviewRows(ctx.database.sql, {
      from: fromText,
      to: toText,
      interval: query.interval,
      zone: timezone,
    }),
    periodFigures(ctx, { from: fromText, to: toText }),
  ]);
  const totals = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 };
  for (const row of series)
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
  return {
    from: fromText,
    to: toText,
    interval: query.interval,
    timezone,
    totals,
    series: series.map((row) => ({ ...row })),
    byErrorCode: figures.byErrorCode,
    byPricingCategory: figures.byPricingCategory,
    estimatedCost: figures.estimatedCost,
  };
}
