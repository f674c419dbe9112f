import type { AppContext } from '../context';
import { statsPeriod } from './period';
import { type Failures, MAX_FAILURE_REASONS } from './period-schemas';
import { failureRows } from './queries';
import type { PeriodQuery } from './schemas';

/**
 * GET /v1/stats/failures: the template messages that failed in the period (their failed_at),
 * by reason, most first: the MAX_FAILURE_REASONS most frequent, the rest summed. `failed`
 * equals the overview's `failed` over the same period (both sum event_counts).
 */
export async function getFailureReasons(ctx: AppContext, query: PeriodQuery): Promise<Failures> {
  const { from, to } = statsPeriod(query);
  const range = { from: from.toISOString(), to: to.toISOString() };
  const rows = await failureRows(ctx.database.sql, range, MAX_FAILURE_REASONS);
  const failed = rows[0]?.total ?? 0;
  const listed = rows.reduce((sum, row) => sum + row.count, 0);
  return {
    ...range,
    failed,
    reasons: rows.map((row) => ({ reason: row.reason || null, count: row.count })),
    otherReasons: failed - listed,
  };
}
