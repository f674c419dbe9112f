import { z } from 'zod';
import { defineJob } from '../queue/job';
import { completeRunIfDone } from './complete-run';
import { SNAPSHOT_QUEUE } from './open-run';
import { snapshotRunBatch } from './snapshot-run';

/** A job works batches for this long, then hands the rest to a fresh job (a short expiry). */
const WORK_BUDGET_MS = 20_000;

/**
 * The audience snapshot of a run, queued in the transaction that opens the run. Each batch
 * commits its own progress, so a retry (after a crash, once the job expires) resumes at the
 * cursor. An audience that is all skipped or opted out completes the run at once.
 */
export const snapshotRunJob = defineJob({
  name: SNAPSHOT_QUEUE,
  payload: z.object({ runId: z.uuid() }),
  // Expiry well above the work budget plus one batch (about a second for 10,000 contacts).
  queue: { retryLimit: 20, retryDelay: 1, retryBackoff: true, expireInSeconds: 120 },
  work: { batchSize: 1 },
  handler: async ({ runId }, ctx) => {
    const log = ctx.logger.child({ runId });
    const deadline = Date.now() + WORK_BUDGET_MS;
    for (;;) {
      const state = await snapshotRunBatch(ctx, runId);
      if (state === 'stopped') return;
      if (state === 'done') {
        log.info('audience snapshot done');
        await completeRunIfDone(ctx, runId);
        return;
      }
      if (Date.now() > deadline) {
        await ctx.boss.send(SNAPSHOT_QUEUE, { runId });
        return;
      }
    }
  },
});
