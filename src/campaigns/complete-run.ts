import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import { recordMissedRun } from './open-run';
import { type CampaignRow, campaignRow, type RawCampaignRow, scheduleOf, ts } from './rows';
import { latestDueSlot, nextSlot } from './schedule';

/**
 * Marks a run completed when it is `running`, its snapshot is done and none of its template
 * messages is `pending` or `sending`, and moves its campaign on. Safe to call any number of
 * times from anywhere (the snapshot job, the dispatcher after a run's last outcome, resume):
 * the conditional update lets one caller win. Returns whether this call completed the run.
 */
export async function completeRunIfDone(ctx: AppContext, runId: string): Promise<boolean> {
  const done = await ctx.database.sql.begin(async (tx) => {
    // Campaign row first, as every lifecycle verb locks it: pause, cancel and this never deadlock.
    const [raw] = await tx<RawCampaignRow[]>`
      select c.* from campaigns c join runs r on r.campaign_id = c.id
      where r.id = ${runId} for update of c`;
    if (!raw) return false;
    const campaign = campaignRow(raw);
    const [run] = await tx<{ id: string }[]>`
      update runs set status = 'completed', finished_at = now()
      where id = ${runId} and status = 'running' and snapshot_done_at is not null
        and not exists (
          select 1 from messages m
          where m.campaign_id = ${campaign.id} and m.run_id = ${runId} and m.kind = 'template'
            and m.status in ('pending', 'sending'))
      returning id`;
    if (!run) return false;
    if (campaign.status === 'running') await moveCampaignOn(tx, campaign);
    return true;
  });
  if (done) ctx.logger.info({ runId }, 'run completed');
  return done;
}

/**
 * After its run: a cron campaign is `scheduled` for its next future slot, a campaign with a
 * one-off slot still ahead (set while it ran) is `scheduled` for it, any other is `completed`.
 * A slot that came while the run was busy is recorded `missed`, never run concurrently
 * (docs/decisions.md).
 */
async function moveCampaignOn(tx: TransactionSql, campaign: CampaignRow): Promise<void> {
  const now = new Date();
  const schedule = scheduleOf(campaign);
  let next = campaign.next_run_at;
  if (schedule && next && next <= now) {
    await recordMissedRun(tx, campaign.id, latestDueSlot(schedule, next, now));
    next = nextSlot(schedule, now);
  }
  await tx`
    update campaigns
    set status = ${next ? 'scheduled' : 'completed'}, next_run_at = ${ts(next)}, updated_at = now()
    where id = ${campaign.id} and status = 'running'`;
}
