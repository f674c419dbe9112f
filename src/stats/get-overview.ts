import type { AppContext } from '../context';
import { AppError } from '../errors';
import { overviewRows } from './queries';
import { DEFAULT_OVERVIEW_DAYS, MAX_BUCKETS, type Overview, type OverviewQuery } from './schemas';

const unitMs = { hour: 3_600_000, day: 86_400_000 } as const;

/** The UTC start of the bucket holding `ms` (hours and days both divide the epoch evenly). */
const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;

/**
 * The range asked for, `to` defaulting to now and `from` to DEFAULT_OVERVIEW_DAYS before `to`. A
 * date alone is that day's start in UTC (JavaScript reads a date-only ISO string as UTC).
 */
function overviewRange(query: OverviewQuery): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from
    ? new Date(query.from)
    : new Date(to.getTime() - DEFAULT_OVERVIEW_DAYS * 86_400_000);
  if (from >= to)
    throw new AppError('bad_request', 'query.to: to must be later than from', [
      { path: 'query.to', message: 'to must be later than from' },
    ]);
  return { from, to };
}

/**
 * GET /v1/stats/overview: template messages across campaigns, each figure counted in the bucket
 * of its own timestamp (sent_at, delivered_at, read_at, replied_at, failed_at) within
 * [from, to). Buckets are UTC hours or days from the one holding `from`; empty ones are zeros.
 */
export async function getOverview(ctx: AppContext, query: OverviewQuery): Promise<Overview> {
  const { from, to } = overviewRange(query);
  const unit = unitMs[query.interval];
  const first = floorTo(from.getTime(), unit);
  const buckets = Math.ceil((to.getTime() - first) / unit);
  if (buckets > MAX_BUCKETS)
    throw new AppError('bad_request', `at most ${MAX_BUCKETS} buckets; ask for a shorter range`, [
      { path: 'query.to', message: `${buckets} ${query.interval}s is too many` },
    ]);
  const fromText = from.toISOString();
  const toText = to.toISOString();
  const rows = await overviewRows(ctx.database.sql, {
    first: new Date(first),
    from: fromText,
    to: toText,
    interval: query.interval,
  });
  const series = rows.map((row) => ({ ...row }));
  const totals = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 };
  for (const row of series)
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
  return { from: fromText, to: toText, interval: query.interval, totals, series };
}
