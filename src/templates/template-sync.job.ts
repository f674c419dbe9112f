import { z } from 'zod';
import type { AppContext } from '../context';
import { defineJob } from '../queue/job';
import { enqueue } from '../queue/send';
import { syncEverySender } from './sync-templates';

export const TEMPLATE_SYNC_QUEUE = 'template-sync';

/**
 * The periodic sync of every Cloud API sender's templates from Meta (docs/design.md, rule 33).
 * Each worker's housekeeping queues it once a minute; pg-boss keeps one job per
 * TEMPLATE_SYNC_MINUTES period (`singletonSeconds` with one key: a unique slot), so however many
 * processes run, one of them syncs once a period.
 */
export const templateSyncJob = defineJob({
  name: TEMPLATE_SYNC_QUEUE,
  payload: z.object({}),
  // A missed sync is made up by the next period's: no retries. Up to 100 pages a sender, each
  // within PROVIDER_TIMEOUT_SECONDS: the expiry is generous, and a retry after it would only
  // read the catalogue again.
  queue: { retryLimit: 0, expireInSeconds: 3600 },
  handler: async (_payload, ctx) => syncEverySender(ctx),
});

/** Queues this period's sync unless it is queued already (or TEMPLATE_SYNC_MINUTES is 0). */
export async function queueTemplateSync(ctx: AppContext): Promise<void> {
  const minutes = ctx.config.TEMPLATE_SYNC_MINUTES;
  if (minutes === 0) return;
  await enqueue(
    ctx,
    TEMPLATE_SYNC_QUEUE,
    {},
    { singletonKey: TEMPLATE_SYNC_QUEUE, singletonSeconds: minutes * 60 },
  );
}
