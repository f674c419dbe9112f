import PgBoss from 'pg-boss';
import type { AppContext } from '../context';
import type { Logger } from '../logger';
import type { RegisteredJob } from './job';

/**
 * pg-boss on the service's own database, in its own schema. Every process creates every queue
 * at start (`send()` to a queue that does not exist drops the job silently in pg-boss 10), and
 * only processes that work jobs run its maintenance.
 */
export async function startBoss(
  url: string,
  logger: Logger,
  jobs: RegisteredJob[],
  options: { supervise: boolean },
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    application_name: 'wa-scheduler-queue',
    max: 5,
    supervise: options.supervise,
    schedule: false, // per-campaign schedules are croner's job, not pg-boss's minute cron
  });
  boss.on('error', (error) => logger.error({ err: error }, 'queue error'));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name, { name: job.name, ...job.queue });
    // createQueue leaves an existing queue as it was: apply changed options too.
    await boss.updateQueue(job.name, { name: job.name, ...job.queue });
  }
  return boss;
}

/** Starts a worker per job; each runs its batch of pg-boss jobs one after another. */
export async function startWorkers(
  boss: PgBoss,
  jobs: RegisteredJob[],
  ctx: AppContext,
): Promise<void> {
  for (const job of jobs) {
    const { concurrency = 1 } = job;
    const workers = typeof concurrency === 'function' ? concurrency(ctx.config) : concurrency;
    for (let i = 0; i < workers; i++) await work(boss, job, ctx);
  }
}

async function work(boss: PgBoss, job: RegisteredJob, ctx: AppContext): Promise<void> {
  await boss.work(job.name, { pollingIntervalSeconds: 0.5, ...job.work }, async (batch) => {
    for (const item of batch) {
      const log = ctx.logger.child({ job: job.name, jobId: item.id });
      const started = Date.now();
      try {
        await job.run(item, ctx);
        log.debug({ ms: Date.now() - started }, 'job done');
      } catch (error) {
        log.error({ err: error, ms: Date.now() - started }, 'job failed');
        throw error;
      }
    }
  });
}
