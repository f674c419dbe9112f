import type { AppContext } from '../context';
import { fireDueCampaigns } from './fire-due-campaigns';

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

  const tick = async () => {
    let wakeAt: Date | undefined;
    try {
      wakeAt = await fireDueCampaigns(ctx, tickMs);
    } catch (error) {
      // A database restart or a bad row must not kill the loop: the next tick tries again.
      ctx.logger.error({ err: error }, 'scheduler tick failed');
    }
    if (stopped) return;
    const delay = wakeAt ? Math.max(0, Math.min(tickMs, wakeAt.getTime() - Date.now())) : tickMs;
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
      ctx.logger.info('scheduler stopped');
    },
  };
}
