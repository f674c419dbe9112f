import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, messages, runs } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { kickDispatch } from '../sending/dispatch.job';
import { lockLatestRun } from './queries';

export type RetryStatus = Extract<(typeof messages.$inferSelect)['status'], 'failed' | 'unknown'>;

/**
 * On the operator's word, puts the `failed` and/or `unknown` template messages of the campaign's
 * latest run back to `pending` (attempts from zero). A completed run runs again, and its campaign
 * with it (a recurring one goes back to `scheduled` when the run is done); a paused campaign sends
 * them once resumed. Refused for a cancelled campaign.
 */
export async function retryCampaign(
  ctx: AppContext,
  id: string,
  statuses: RetryStatus[],
): Promise<{ requeued: number; runId: string }> {
  assertUuid(id, 'Campaign');
  const result = await transaction(ctx.database, async ({ db, sql: tx }) => {
    const [campaign] = await db
      .select({ status: campaigns.status })
      .from(campaigns)
      .where(eq(campaigns.id, id))
      .for('update');
    if (!campaign) throw AppError.notFound('Campaign', id);
    if (campaign.status === 'cancelled')
      throw new AppError(
        'invalid_transition',
        `Campaign ${id} is cancelled: its messages cannot be retried.`,
      );
    const run = await lockLatestRun(tx, id);
    if (!run) throw new AppError('conflict', `Campaign ${id} has no run to retry.`);
    if (run.status === 'cancelled')
      throw new AppError('invalid_transition', `The latest run of campaign ${id} was cancelled.`);
    if (run.templateDeleted)
      throw new AppError(
        'conflict',
        `The template of campaign ${id}'s latest run was deleted: its messages cannot be sent again.`,
      );
    const requeued = await db
      .update(messages)
      .set({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: null,
        error: null,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(messages.campaignId, id),
          eq(messages.runId, run.id),
          eq(messages.kind, 'template'),
          inArray(messages.status, statuses),
        ),
      )
      .returning({ id: messages.id });
    if (requeued.length > 0 && run.status === 'completed') {
      await db.update(runs).set({ status: 'running', finishedAt: null }).where(eq(runs.id, run.id));
      await db
        .update(campaigns)
        .set({ status: 'running', updatedAt: sql`now()` })
        .where(and(eq(campaigns.id, id), inArray(campaigns.status, ['completed', 'scheduled'])));
    }
    return { requeued: requeued.length, runId: run.id };
  });
  ctx.logger.info({ campaignId: id, ...result, statuses }, 'messages requeued by an operator');
  if (result.requeued > 0) await kickDispatch(ctx, result.runId);
  return result;
}
