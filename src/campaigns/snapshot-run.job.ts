import { z } from 'zod';
import { defineJob } from '../queue/job';
import { enqueue } from '../queue/send';
import { SNAPSHOT_QUEUE } from './open-run';
import { snapshotStep } from './snapshot-run';

/** A job works batches for this long, then hands the rest to a fresh job (a short expiry). */
const WORK_BUDGET_MS = 5_000;

/**
 * The audience snapshot of a run, queued in the transaction that opens the run. Each batch
 * commits its own progress, so a retry (after a crash, once the job expires) resumes at the
 * cursor. An audience that is all skipped or opted out completes the run at once.
 */
export const snapshotRunJob = defineJob({
  name: SNAPSHOT_QUEUE,
  payload: z.object({ runId: z.uuid() }),
  // pg-boss fetches a batch of jobs and works them one after another, all started (and expiring)
  // at the fetch: 5 jobs of at most 5 s plus one batch (about a second for 10,000 contacts)
  // stay far below the expiry, while a fetch every 0.5 s still takes 10 runs a second.
  queue: { retryLimit: 20, retryDelay: 1, retryBackoff: true, expireInSeconds: 120 },
  work: { batchSize: 5 },
  handler: async ({ runId }, ctx) => {
    const deadline = Date.now() + WORK_BUDGET_MS;
    for (;;) {
      const state = await snapshotStep(ctx, runId);
      if (state !== 'more') return;
      if (Date.now() > deadline) {
        await enqueue(ctx, SNAPSHOT_QUEUE, { runId });
        return;
      }
    }
  },
});
