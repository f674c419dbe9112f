import { completeRunIfDone } from '../campaigns/complete-run';
import { restartLapsedImports } from '../contacts/import/restart-imports';
import type { AppContext } from '../context';
import { dueDirectRows } from './claim';
import { kickDispatch } from './dispatch.job';

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
  running = running.then(async () => {
    await ctx.database
      .sql`insert into workers (id) values (${ctx.workerId}) on conflict (id) do nothing`;
    await tick();
  });
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await ctx.database.sql`delete from workers where id = ${ctx.workerId}`.catch(() => {});
    },
  };
}

export async function sweep(ctx: AppContext): Promise<void> {
  const { sql } = ctx.database;
  // A worker silent for this long is dead: its `sending` rows are `unknown`, its leases lapse.
  const deadAfter = ctx.config.WORKER_TIMEOUT_SECONDS;
  await sql`
    insert into workers (id) values (${ctx.workerId})
    on conflict (id) do update set heartbeat_at = now()`;
  const lost = await sql<{ runId: string | null }[]>`
    update messages set status = 'unknown', sending_by = null, updated_at = now(),
      error = 'its worker stopped while sending: the provider may or may not have it'
    where status = 'sending' and not exists (
      select 1 from workers w where w.id = messages.sending_by
        and w.heartbeat_at > now() - make_interval(secs => ${deadAfter}))
    returning run_id as "runId"`;
  if (lost.length > 0)
    ctx.logger.warn(
      { messages: lost.length },
      'messages left sending by a dead worker are now unknown',
    );

  const idle = await sql<{ id: string; pending: boolean }[]>`
    select r.id, exists (
      select 1 from messages m
      where m.campaign_id = r.campaign_id and m.run_id = r.id and m.status = 'pending' and m.kind = 'template') as pending
    from runs r
    where r.status = 'running'
      and not exists (
        select 1 from dispatch_leases l join workers w on w.id = l.worker_id
        where l.key = 'run:' || r.id and l.expires_at > now()
          and w.heartbeat_at > now() - make_interval(secs => ${deadAfter}))`;
  for (const run of idle) {
    if (run.pending) await kickDispatch(ctx, run.id);
    else await completeRunIfDone(ctx, run.id);
  }
  await restartLapsedImports(ctx);
  const [direct] = await sql<{ waiting: boolean }[]>`
    select exists (select 1 from messages m where ${dueDirectRows(sql)}) as waiting`;
  if (direct?.waiting) await kickDispatch(ctx);
}
