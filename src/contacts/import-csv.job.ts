import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { defineJob } from '../queue/job';
import { failImport, importCsv } from './import-csv';

export const IMPORT_CSV_QUEUE = 'import-csv';

/** Imports one uploaded CSV file. A retry starts the file again: a failed attempt's writes roll back. */
export const importCsvJob = defineJob({
  name: IMPORT_CSV_QUEUE,
  payload: z.object({ importId: z.uuid() }),
  // A million rows take seconds; the expiry leaves room for files far larger and slower disks.
  queue: { retryLimit: 2, retryDelay: 5, expireInSeconds: 3600 },
  work: { includeMetadata: true, pollingIntervalSeconds: 0.5 },
  handler: async ({ importId }, ctx, job) => {
    try {
      await importCsv(ctx, importId);
    } catch (error) {
      const { retryCount, retryLimit } = job as PgBoss.JobWithMetadata<unknown>;
      if (retryCount >= retryLimit) await failImport(ctx, importId, error);
      throw error;
    }
  },
});
