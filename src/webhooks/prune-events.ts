import type { Sql } from '../db/client';
import { deleteAppliedEvents } from './queries';

/** Events deleted per statement: a pruning never holds many row locks for long. */
const BATCH = 10_000;

/**
 * Deletes the webhook bodies applied more than `retentionDays` after they were received, a batch
 * at a time until none is left; every worker's housekeeping calls it once a minute. (One batch
 * a minute would fall behind a steady 500 sends/s, which bring some 100,000 events a minute.)
 * Unpruned, the table keeps every ack and reply forever (three or four rows per message sent).
 * Events whose application failed (`error`) are kept for an operator, and unapplied ones for
 * the re-apply sweep.
 *
 * Ids grow with `received_at`, so the events old enough are those below the first id received
 * since the cutoff: both lookups walk the primary key from its start and stop early, never
 * scanning the table.
 */
export async function pruneWebhookEvents(
  sql: Sql,
  retentionDays: number,
  batch = BATCH,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteAppliedEvents(sql, retentionDays, batch);
    total += deleted;
    if (deleted < batch) return total;
  }
}
