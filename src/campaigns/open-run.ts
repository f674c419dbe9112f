import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import { enqueue } from '../queue/send';
import { type RawRunRow, ts } from './rows';

export const SNAPSHOT_QUEUE = 'snapshot-run';

/**
 * Opens the run of one slot and queues its audience snapshot, in the caller's transaction. The
 * unique (campaign_id, scheduled_for) key makes a second opening of the same slot a no-op: it
 * returns undefined, and the caller must not move the campaign on as if it had fired.
 */
export async function openRun(
  ctx: AppContext,
  tx: TransactionSql,
  campaignId: string,
  scheduledFor: Date,
): Promise<RawRunRow | undefined> {
  const [run] = await tx<RawRunRow[]>`
    insert into runs (campaign_id, scheduled_for, status, started_at, template_id, list_ids)
    select ${campaignId}, ${ts(scheduledFor)}, 'running', now(), c.template_id, c.list_ids
    from campaigns c where c.id = ${campaignId}
    on conflict (campaign_id, scheduled_for) do nothing
    returning *`;
  if (!run) return undefined;
  await enqueue(ctx, SNAPSHOT_QUEUE, { runId: run.id }, { tx });
  return run;
}

/** Records a slot that was not sent (too late, or its campaign busy with an earlier run). */
export async function recordMissedRun(
  tx: TransactionSql,
  campaignId: string,
  scheduledFor: Date,
): Promise<void> {
  await tx`
    insert into runs (campaign_id, scheduled_for, status, finished_at)
    values (${campaignId}, ${ts(scheduledFor)}, 'missed', now())
    on conflict (campaign_id, scheduled_for) do nothing`;
}
