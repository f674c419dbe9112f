import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { kickDispatch } from '../sending/dispatch.job';

export type RetryStatus = 'failed' | 'unknown';

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
  const result = await ctx.database.sql.begin(async (tx) => {
    const [campaign] = await tx<
      { status: string }[]
    >`select status from campaigns where id = ${id} for update`;
    if (!campaign) throw AppError.notFound('Campaign', id);
    if (campaign.status === 'cancelled')
      throw new AppError(
        'invalid_transition',
        `Campaign ${id} is cancelled: its messages cannot be retried.`,
      );
    // with whether the template the run was opened with has been deleted since
    const [run] = await tx<{ id: string; status: string; templateDeleted: boolean }[]>`
      select r.id, r.status, t.deleted_at is not null as "templateDeleted"
      from runs r join campaigns c on c.id = r.campaign_id
        join templates t on t.id = coalesce(r.template_id, c.template_id)
      where r.campaign_id = ${id} and r.status <> 'missed'
      order by r.scheduled_for desc limit 1
      for update of r for share of t`;
    if (!run) throw new AppError('conflict', `Campaign ${id} has no run to retry.`);
    if (run.status === 'cancelled')
      throw new AppError('invalid_transition', `The latest run of campaign ${id} was cancelled.`);
    if (run.templateDeleted)
      throw new AppError(
        'conflict',
        `The template of campaign ${id}'s latest run was deleted: its messages cannot be sent again.`,
      );
    const requeued = await tx`
      update messages set status = 'pending', attempts = 0, next_attempt_at = null, error = null,
        updated_at = now()
      where campaign_id = ${id} and run_id = ${run.id} and kind = 'template'
        and status = any(${statuses}::message_status[])
      returning id`;
    if (requeued.length > 0 && run.status === 'completed') {
      await tx`update runs set status = 'running', finished_at = null where id = ${run.id}`;
      await tx`
        update campaigns set status = 'running', updated_at = now()
        where id = ${id} and status in ('completed', 'scheduled')`;
    }
    return { requeued: requeued.length, runId: run.id };
  });
  ctx.logger.info({ campaignId: id, ...result, statuses }, 'messages requeued by an operator');
  if (result.requeued > 0) await kickDispatch(ctx, result.runId);
  return result;
}
