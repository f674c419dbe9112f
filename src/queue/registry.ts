import { snapshotRunJob } from '../campaigns/snapshot-run.job';
import { windowChangeJob } from '../campaigns/window-change.job';
import { importCsvJob } from '../contacts/import/import-csv.job';
import { dispatchJob } from '../sending/dispatch.job';
import { templateSyncJob } from '../templates/template-sync.job';
import type { RegisteredJob } from './job';

/**
 * Every job of the service. A feature adds its `*.job.ts` here; `startBoss` creates each queue
 * and `startWorkers` works each one.
 */
export const jobs: RegisteredJob[] = [
  importCsvJob,
  snapshotRunJob,
  dispatchJob,
  templateSyncJob,
  windowChangeJob,
];
