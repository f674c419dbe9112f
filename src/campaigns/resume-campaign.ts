import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { kickDispatch } from '../sending/dispatch.job';
import { completeRunIfDone } from './complete-run';
import type { LaunchBody } from './preview-schemas';
import { campaignRow, type RawCampaignRow, scheduleOf, toCampaign, ts } from './rows';
import { nextSlot } from './schedule';
import type { Campaign } from './schemas';
import { assertSkipsAccepted } from './skip-rule';
import { transitionError } from './transition';

/**
 * Resumes a paused campaign. Paused during a run, it is `running` again and the run's pending
 * rows go out. Paused between runs, it is `scheduled` for its next slot after now: the slots
 * that passed while it was paused are not made up (nor recorded `missed`: nobody missed them).
 */
export async function resumeCampaign(
  ctx: AppContext,
  id: string,
  input: LaunchBody = {},
): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const { row, runIds } = await ctx.database.sql.begin(async (tx) => {
    const [paused] = await tx<RawCampaignRow[]>`
      select * from campaigns where id = ${id} and status = 'paused' for update`;
    if (!paused) throw await transitionError(tx, id, 'resume', 'paused');
    const resumed = await tx<{ id: string }[]>`
      update runs set status = 'running' where campaign_id = ${id} and status = 'paused'
      returning id`;
    const status = resumed.length > 0 ? { status: 'running' as const } : nextState(paused);
    // Back on its schedule, it fires with nobody watching: checked as scheduling it is.
    if (status.status === 'scheduled') {
      const launched = { id, templateId: paused.template_id, listIds: paused.list_ids };
      await assertSkipsAccepted(ctx, tx, launched, 'resume', input.acceptSkips);
    }
    const [campaign] = await tx<RawCampaignRow[]>`
      update campaigns
      set status = ${status.status}, paused_reason = null, updated_at = now(),
        next_run_at = ${'nextRunAt' in status ? ts(status.nextRunAt) : tx`next_run_at`}
      where id = ${id}
      returning *`;
    if (!campaign) throw new Error(`campaign ${id} vanished under its row lock`);
    return { row: campaign, runIds: resumed.map((run) => run.id) };
  });
  ctx.logger.info({ campaignId: id, status: row.status }, 'campaign resumed');
  // A run whose last message settled while it was paused has nobody else to finish it.
  let finished = false;
  for (const runId of runIds) {
    const completed = await completeRunIfDone(ctx, runId);
    if (!completed) await kickDispatch(ctx, runId);
    finished = completed || finished;
  }
  return finished ? toCampaign(await reload(ctx, id)) : toCampaign(row);
}

/**
 * Where a campaign paused between runs goes back to: `scheduled` for its next slot after now,
 * `draft` when its schedule was removed while paused. A one-off slot that passed meanwhile is
 * a 409: sending it late, or completing a campaign that never sent, would both surprise.
 */
function nextState(raw: RawCampaignRow): {
  status: 'scheduled' | 'draft';
  nextRunAt: Date | null;
} {
  const campaign = campaignRow(raw);
  const schedule = scheduleOf(campaign);
  if (!schedule) return { status: 'draft', nextRunAt: null };
  const next = nextSlot(schedule, new Date());
  if (next) return { status: 'scheduled', nextRunAt: next };
  throw new AppError(
    'invalid_transition',
    `cannot resume campaign ${campaign.id}: its one-off slot ${campaign.next_run_at?.toISOString() ?? ''} passed while it was paused; give it a new schedule.at (PATCH), or schedule null to make it a draft, then resume`,
  );
}

async function reload(ctx: AppContext, id: string): Promise<RawCampaignRow> {
  const [row] = await ctx.database.sql<RawCampaignRow[]>`select * from campaigns where id = ${id}`;
  if (!row) throw new Error(`campaign ${id} vanished`);
  return row;
}
