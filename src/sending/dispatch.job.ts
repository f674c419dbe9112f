import { z } from 'zod';
import type { AppContext } from '../context';
import { defineJob } from '../queue/job';
import { enqueue } from '../queue/send';
import { dispatch } from './dispatch';
import { directLease, runLease } from './leases';

export const DISPATCH_QUEUE = 'dispatch';
/** A job sends for this long, then hands on to a fresh job (which any worker may take). */
const BUDGET_MS = 15_000;

/**
 * Asks for a run's messages to be sent. At most one such job waits per run (queue policy
 * `short`, keyed on the run), so asking often is cheap; the job's lease makes one work at a time.
 */
export async function kickDispatch(ctx: AppContext, runId: string): Promise<void> {
  // nothing queued when one is already waiting: that one will do
  await enqueue(ctx, DISPATCH_QUEUE, { runId }, { singletonKey: runLease(runId) });
}

/** Asks for a sender's follow-ups and free-form messages to be sent, as kickDispatch does a run's. */
export async function kickDirectDispatch(ctx: AppContext, senderId: string): Promise<void> {
  await enqueue(ctx, DISPATCH_QUEUE, { senderId }, { singletonKey: directLease(senderId) });
}

export const dispatchJob = defineJob({
  name: DISPATCH_QUEUE,
  payload: z.union([z.object({ runId: z.uuid() }), z.object({ senderId: z.uuid() })]),
  // The expiry is far above the budget plus a provider timeout: a job that outlived it would be
  // retried while still sending. A crashed job's lease runs out; recovery queues a new one.
  queue: { policy: 'short', retryLimit: 3, retryDelay: 2, expireInSeconds: 120 },
  work: { pollingIntervalSeconds: 0.5 },
  concurrency: (config) => config.DISPATCH_CONCURRENCY,
  handler: async (target, ctx) => {
    const result = await dispatch(ctx, target, BUDGET_MS);
    if (result !== 'more') return;
    if ('runId' in target) await kickDispatch(ctx, target.runId);
    else await kickDirectDispatch(ctx, target.senderId);
  },
});
