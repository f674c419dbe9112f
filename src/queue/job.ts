import type PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Config } from '../config';
import type { AppContext } from '../context';

/** What every job file exports: its queue, payload schema, queue options and handler. */
export type JobDefinition<Payload> = {
  name: string;
  payload: z.ZodType<Payload>;
  /**
   * Queue options, set on every queue: pg-boss 10's effective default retryLimit is 2 whatever
   * its docs say, and a handler that outlives expireInSeconds is retried while it still runs.
   */
  queue: Required<Pick<PgBoss.Queue, 'retryLimit' | 'expireInSeconds'>> &
    Omit<PgBoss.Queue, 'name' | 'retryLimit' | 'expireInSeconds'>;
  /** pg-boss polls after every fetch, even a full one: a job should carry a batch of work. */
  work?: PgBoss.WorkOptions;
  /** Jobs of this queue one process works at once (pg-boss 10 works one batch per worker). */
  concurrency?: number | ((config: Config) => number);
  handler: (payload: Payload, ctx: AppContext, job: PgBoss.Job<unknown>) => Promise<void>;
};

/** A job with its payload type erased, for the registry. Its handler parses the payload first. */
export type RegisteredJob = {
  name: string;
  queue: JobDefinition<unknown>['queue'];
  work?: PgBoss.WorkOptions;
  concurrency?: JobDefinition<unknown>['concurrency'];
  run: (job: PgBoss.Job<unknown>, ctx: AppContext) => Promise<void>;
  payload: z.ZodType<unknown>;
};

export function defineJob<Payload>(definition: JobDefinition<Payload>): RegisteredJob {
  return {
    name: definition.name,
    queue: definition.queue,
    work: definition.work,
    concurrency: definition.concurrency,
    payload: definition.payload,
    run: async (job, ctx) => {
      const payload = definition.payload.parse(job.data);
      await definition.handler(payload, ctx, job);
    },
  };
}
