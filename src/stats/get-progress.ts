import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { type ProgressRow, progressRows } from './queries';
import { getRunWaiting } from './run-waiting';
import { type Progress, RATE_WINDOW_SECONDS } from './schemas';

/**
 * GET /v1/campaigns/{id}/progress: where the campaign stands now (its latest run's figures, the
 * current send rate, the time left). The console's list of campaigns and its live campaign page
 * read the same figures through listProgress.
 */
export async function getCampaignProgress(ctx: AppContext, campaignId: string): Promise<Progress> {
  assertUuid(campaignId, 'Campaign');
  const progress = (await listProgress(ctx, [campaignId])).get(campaignId);
  if (!progress) throw AppError.notFound('Campaign', campaignId);
  if (!progress.run) return progress;
  // what its send window holds back: the console's campaign page shows the same
  const waiting = await getRunWaiting(ctx, campaignId, progress.run.id);
  return {
    ...progress,
    run: {
      ...progress.run,
      waiting: waiting.waiting,
      nextDueAt: waiting.nextAt,
      expired: waiting.expired,
    },
  };
}

/** The progress of several campaigns (a page of a list) in one query, by campaign id. */
export async function listProgress(
  ctx: AppContext,
  campaignIds: string[],
): Promise<Map<string, Progress>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await progressRows(ctx.database.sql, campaignIds, RATE_WINDOW_SECONDS);
  return new Map(rows.map((row) => [row.campaignId, toProgress(row)]));
}

function toProgress(row: ProgressRow): Progress {
  const sending = row.status === 'running' && row.runStatus === 'running';
  const sendRate = sending ? row.recentSends / row.windowSeconds : 0;
  const pending = row.runPending ?? 0;
  return {
    status: row.status,
    sent: row.sent,
    replied: row.replied,
    replyRate: row.replyRate,
    run:
      row.runId === null || row.runStatus === null
        ? null
        : {
            id: row.runId,
            status: row.runStatus,
            audience: row.runAudience ?? 0,
            sent: row.runSent ?? 0,
            pending,
            failed: row.runFailed ?? 0,
            unknown: row.runUnknown ?? 0,
          },
    sendRate,
    // Nothing pending is nothing left, whatever the rate; a run that sends nothing has no end.
    secondsLeft: sending ? (pending === 0 ? 0 : sendRate > 0 ? pending / sendRate : null) : null,
  };
}
