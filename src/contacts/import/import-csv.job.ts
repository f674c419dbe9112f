import { z } from 'zod';
import { defineJob } from '../../queue/job';
import { importCsv } from './import-csv';

export const IMPORT_CSV_QUEUE = 'import-csv';

/**
 * Asks for an uploaded CSV file to be imported. The import's lease (import-lease.ts), not the
 * job, decides who imports and when an attempt that stopped starts again: the recovery sweep
 * queues a job for it. pg-boss retries a job that could not reach the import row at all; its
 * expiry matters no more (an expired job that pg-boss retries finds the import held, or done).
 */
export const importCsvJob = defineJob({
  name: IMPORT_CSV_QUEUE,
  payload: z.object({ importId: z.uuid() }),
  queue: { retryLimit: 2, retryDelay: 5, expireInSeconds: 3600 },
  work: { pollingIntervalSeconds: 0.5 },
  handler: async ({ importId }, ctx) => {
    await importCsv(ctx, importId);
  },
});
