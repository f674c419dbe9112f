import { getCampaign } from '../campaigns/get-campaigns';
import type { AppContext } from '../context';
import type { Sql } from '../db/client';
import { AppError } from '../errors';
import { countedFiguresSql } from './figures-sql';
import type { Stats } from './schemas';

type Counts = Omit<Stats, 'deliveryRate' | 'readRate' | 'replyRate'>;
type RawCounts = {
  audience: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: number;
  unknown: number;
  replied: number;
  opted_out: number;
  follow_ups_sent: number;
  windows_open: number;
};

const rate = (part: number, sent: number) => (sent === 0 ? 0 : part / sent);

export function toStats(row: RawCounts): Stats {
  const counts: Counts = {
    audience: row.audience,
    pending: row.pending,
    sent: row.sent,
    delivered: row.delivered,
    read: row.read,
    failed: row.failed,
    skipped: row.skipped,
    unknown: row.unknown,
    replied: row.replied,
    optedOut: row.opted_out,
    followUpsSent: row.follow_ups_sent,
    windowsOpen: row.windows_open,
  };
  return {
    ...counts,
    deliveryRate: rate(row.delivered, row.sent),
    readRate: rate(row.read, row.sent),
    replyRate: rate(row.replied, row.sent),
  };
}

/**
 * GET /v1/campaigns/{id}/stats: sums of the counters the triggers on messages keep in the same
 * transaction as every row change (message_counts, reply_counts: a few rows per run, whatever
 * the campaign's size), plus two index ranges for opt-outs and open windows; with `run`, the
 * run's row of the run_stats view, which sums the same counters. figuresSql's recount of the
 * rows is the oracle the tests hold the counters to.
 */
export async function getCampaignStats(
  ctx: AppContext,
  campaignId: string,
  runId?: string,
): Promise<Stats> {
  await getCampaign(ctx, campaignId);
  const { sql } = ctx.database;
  if (runId !== undefined) {
    const [row] = await sql<RawCounts[]>`
      select * from run_stats where campaign_id = ${campaignId} and run_id = ${runId}`;
    if (!row) throw AppError.notFound('run', runId);
    return toStats(row);
  }
  return toStats(await campaignCounts(sql, campaignId));
}

async function campaignCounts(sql: Sql, campaignId: string): Promise<RawCounts> {
  const [row] = await sql<RawCounts[]>`
    select ${sql.unsafe(countedFiguresSql)},
      (select coalesce(sum(x.n), 0) from reply_counts x
        where x.campaign_id = ${campaignId} and x.run_id is null)::int as replied,
      (select count(*) from opt_outs
        where source = 'keyword' and campaign_id = ${campaignId})::int as opted_out,
      (select count(*) from conversations
        where campaign_id = ${campaignId} and window_expires_at > now())::int as windows_open
    from message_counts c
    where c.campaign_id = ${campaignId}`;
  if (!row) throw new Error('the stats statement returned no row');
  return row;
}
