import { sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { runs } from '../db/schema';
import type { Builder, Tx } from '../db/transaction';
import { enqueue } from '../queue/send';
import type { CampaignRow, RunRow } from './campaign-json';

export const SNAPSHOT_QUEUE = 'snapshot-run';

/**
 * Opens the run of one slot with the campaign's template, lists and zone, and the wall-clock
 * time of its local-time schedule when that opened it (`localAt`), and queues its audience
 * snapshot, in the caller's transaction, which holds the campaign's row. The unique
 * (campaign_id, scheduled_for) key makes a second opening of the same slot a no-op: it returns
 * undefined, and the caller must not move the campaign on as if it had fired.
 */
export async function openRun(
  ctx: AppContext,
  tx: Tx,
  campaign: Pick<CampaignRow, 'id' | 'templateId' | 'listIds' | 'scheduleTimezone'>,
  scheduledFor: Date,
  localAt: string | null = null,
): Promise<RunRow | undefined> {
  const [run] = await tx.db
    .insert(runs)
    .values({
      campaignId: campaign.id,
      scheduledFor,
      status: 'running',
      startedAt: sql`now()`,
      templateId: campaign.templateId,
      listIds: campaign.listIds,
      localAt,
      timezone: campaign.scheduleTimezone,
    })
    .onConflictDoNothing({ target: [runs.campaignId, runs.scheduledFor] })
    .returning();
  if (!run) return undefined;
  await enqueue(ctx, SNAPSHOT_QUEUE, { runId: run.id }, { tx: tx.sql });
  return run;
}

/** Records a slot that was not sent (too late, or its campaign busy with an earlier run). */
export async function recordMissedRun(
  db: Builder,
  campaignId: string,
  scheduledFor: Date,
): Promise<void> {
  await db
    .insert(runs)
    .values({ campaignId, scheduledFor, status: 'missed', finishedAt: sql`now()` })
    .onConflictDoNothing({ target: [runs.campaignId, runs.scheduledFor] });
}
