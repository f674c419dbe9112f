import type { AppContext } from '../context';
import { fireDueCampaigns } from './fire-due-campaigns';
import { snapshotStep } from './snapshot-run';

export type Scheduler = { stop(): Promise<void> };

/**
 * The scheduler loop of a worker process. It looks for due campaigns every `tickMs` (a query on
 * the partial campaigns_due_idx), and sleeps until a slot that falls due sooner than that, so a
 * run starts within a few milliseconds of its slot. Any number of processes may run it.
 */
export function startScheduler(ctx: AppContext, options: { tickMs?: number } = {}): Scheduler {
  const tickMs = options.tickMs ?? 200;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  const snapshots = new Set<Promise<void>>();

  // The first snapshot batch right away rather than after the queue's next poll (up to 0.5 s):
  // a run's first recipients are ready within milliseconds of its slot. The job does the rest;
  // the run row lock makes the two take turns.
  const snapshotNow = (runId: string) => {
    const step = snapshotStep(ctx, runId).then(
      () => {},
      (error: unknown) => ctx.logger.warn({ err: error, runId }, 'first snapshot batch failed'),
    );
    snapshots.add(step);
    void step.finally(() => snapshots.delete(step));
  };

  const tick = async () => {
    let wakeAt: Date | undefined;
    let failed = false;
    try {
      wakeAt = await fireDueCampaigns(ctx, tickMs, snapshotNow);
    } catch (error) {
      // A database restart must not kill the loop: try again, at a pace that keeps the log
      // readable while the database is away.
      failed = true;
      ctx.logger.error({ err: error }, 'scheduler tick failed');
    }
    if (stopped) return;
    const delay = failed
      ? 1000
      : wakeAt
        ? Math.max(0, Math.min(tickMs, wakeAt.getTime() - Date.now()))
        : tickMs;
    timer = setTimeout(run, delay);
  };
  const run = () => {
    current = tick();
  };

  run();
  ctx.logger.info({ tickMs }, 'scheduler started');
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
      await Promise.all(snapshots);
      ctx.logger.info('scheduler stopped');
    },
  };
}
