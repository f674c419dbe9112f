import type PgBoss from 'pg-boss';
import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import { type RawRunRow, ts } from './rows';

export const SNAPSHOT_QUEUE = 'snapshot-run';

/**
 * pg-boss on the caller's transaction: the job exists exactly when the row that needs it does.
 * pg-boss writes for node-postgres, which serialises undefined, objects and dates itself; the shared
 * postgres.js client passes json and timestamps through as drizzle set it, so do it here.
 */
export function inTransaction(tx: TransactionSql): PgBoss.ConnectionOptions {
  const serialise = (value: unknown) =>
    value === undefined
      ? null
      : value instanceof Date
        ? value.toISOString()
        : value !== null && typeof value === 'object' && !Array.isArray(value)
          ? JSON.stringify(value)
          : value;
  return {
    db: {
      executeSql: async (text: string, values: unknown[]) => ({
        rows: await tx.unsafe(text, values.map(serialise) as never[]),
      }),
    },
  };
}

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
    insert into runs (campaign_id, scheduled_for, status, started_at)
    values (${campaignId}, ${ts(scheduledFor)}, 'running', now())
    on conflict (campaign_id, scheduled_for) do nothing
    returning *`;
  if (!run) return undefined;
  await ctx.boss.send(SNAPSHOT_QUEUE, { runId: run.id }, inTransaction(tx));
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
