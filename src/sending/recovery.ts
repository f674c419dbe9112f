import { completeRunIfDone } from '../campaigns/complete-run';
import { restartLapsedImports } from '../contacts/import/restart-imports';
import type { AppContext } from '../context';
import { kickDirectDispatch, kickDispatch } from './dispatch.job';
import { sendersWithDirectRows, unattendedRuns } from './queries';
import { beat, forgetWorker, markLostSends } from './workers';

const SWEEP_MS = 2000;

/**
 * Runs in every worker process: keeps this process's heartbeat, turns rows left `sending` by a
 * dead worker into `unknown` (never re-sent on their own), queues a dispatch for every running
 * run with pending rows that no job is working (a crashed job, a lost kick), completes runs
 * whose every message has an outcome, and starts again imports whose attempt stopped
 * (restartLapsedImports). The chores that are not recovery run in src/housekeeping/.
 */
export function startRecovery(ctx: AppContext): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      await sweep(ctx);
    } catch (error) {
      ctx.logger.warn({ err: error }, 'recovery sweep failed; trying again');
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(tick);
  }, SWEEP_MS);
  running = running.then(tick);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await forgetWorker(ctx.database.db, ctx.workerId).catch(() => {});
    },
  };
}

export async function sweep(ctx: AppContext): Promise<void> {
  const { sql, db } = ctx.database;
  // A worker silent for this long is dead: its `sending` rows are `unknown`, its leases lapse.
  const deadAfter = ctx.config.WORKER_TIMEOUT_SECONDS;
  await beat(db, ctx.workerId);
  const lost = await markLostSends(db, deadAfter);
  if (lost > 0)
    ctx.logger.warn({ messages: lost }, 'messages left sending by a dead worker are now unknown');

  const idle = await unattendedRuns(sql, deadAfter);
  for (const run of idle) {
    if (run.pending) await kickDispatch(ctx, run.id);
    else await completeRunIfDone(ctx, run.id);
  }
  await restartLapsedImports(ctx);
  for (const senderId of await sendersWithDirectRows(sql)) await kickDirectDispatch(ctx, senderId);
}
