import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, runs } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { kickDispatch } from '../sending/dispatch.job';
import { type CampaignRow, scheduleOf, toCampaign } from './campaign-json';
import { completeRunIfDone } from './complete-run';
import { getCampaign } from './get-campaigns';
import type { LaunchBody } from './preview-schemas';
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
  const { row, runIds } = await transaction(ctx.database, async (tx) => {
    const [paused] = await tx.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, id), eq(campaigns.status, 'paused')))
      .for('update');
    if (!paused) throw await transitionError(tx.db, id, 'resume', 'paused');
    const resumed = await tx.db
      .update(runs)
      .set({ status: 'running', waitingUntil: null })
      .where(and(eq(runs.campaignId, id), eq(runs.status, 'paused')))
      .returning({ id: runs.id });
    const status = resumed.length > 0 ? { status: 'running' as const } : nextState(paused);
    // Back on its schedule, it fires with nobody watching: checked as scheduling it is.
    if (status.status === 'scheduled') {
      const launched = { id, templateId: paused.templateId, listIds: paused.listIds };
      await assertSkipsAccepted(ctx, tx, launched, 'resume', input.acceptSkips);
    }
    const [campaign] = await tx.db
      .update(campaigns)
      .set({ ...status, pausedReason: null, updatedAt: sql`now()` })
      .where(eq(campaigns.id, id))
      .returning();
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
  return finished ? getCampaign(ctx, id) : toCampaign(row);
}

/**
 * Where a campaign paused between runs goes back to: `scheduled` for its next slot after now,
 * `draft` when its schedule was removed while paused. A one-off slot that passed meanwhile is
 * a 409: sending it late, or completing a campaign that never sent, would both surprise.
 */
function nextState(campaign: CampaignRow): {
  status: 'scheduled' | 'draft';
  nextRunAt: Date | null;
} {
  const schedule = scheduleOf(campaign);
  if (!schedule) return { status: 'draft', nextRunAt: null };
  const next = nextSlot(schedule, new Date());
  if (next) return { status: 'scheduled', nextRunAt: next };
  throw new AppError(
    'invalid_transition',
    `cannot resume campaign ${campaign.id}: its one-off slot ${campaign.nextRunAt?.toISOString() ?? ''} passed while it was paused; give it a new schedule.at (PATCH), or schedule null to make it a draft, then resume`,
  );
}
