import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import type { AppContext } from '../context';
import { isTransient } from '../db/transient';
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
  waitForDatabase(boss, logger);
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name, { name: job.name, ...job.queue });
    // createQueue leaves an existing queue as it was: apply changed options too.
    await boss.updateQueue(job.name, { name: job.name, ...job.queue });
  }
  return boss;
}

/** Between two tries of a pg-boss statement while the database is unreachable. */
const RETRY_MS = 1000;

/**
 * pg-boss 10 does not await the `complete()` or `fail()` that ends each job (manager.js): with
 * the database away, they rejected with nobody to catch it, and the process died of it. Every
 * pg-boss statement now waits for the database instead (a try a second), as the service's own
 * loops do; once pg-boss has closed its pool, a statement ends as pg-boss's own do then, with no
 * result. Only errors that a later try may not have (isTransient) are waited out.
 */
function waitForDatabase(boss: PgBoss, logger: Logger): void {
  const db = boss.getDb();
  const execute = db.executeSql.bind(db);
  db.executeSql = async (text, values) => {
    for (let tries = 1; ; tries++) {
      try {
        return await execute(text, values);
      } catch (error) {
        if (!isTransient(error)) throw error;
        if (tries === 1) logger.warn({ err: error }, 'queue: database unreachable; waiting for it');
        await sleep(RETRY_MS);
      }
    }
  };
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
