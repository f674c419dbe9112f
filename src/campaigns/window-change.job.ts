import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context';
import { campaigns, runs, templates } from '../db/schema';
import type { Tx } from '../db/transaction';
import { type AppliedWindow, appliedWindow } from '../delivery/send-window';
import { defineJob } from '../queue/job';
import { enqueue } from '../queue/send';
import { kickDispatch } from '../sending/dispatch.job';
import { placesByRecordedQuietHours } from './applied-settings';
import { windowSettingOf } from './campaign-json';
import { REPLACE_BATCH, replaceWaitingRows } from './replace-waiting';

export const WINDOW_CHANGE_QUEUE = 'window-change';

/** A job re-places batches for this long, then hands the rest on (the snapshot job's budget). */
const WORK_BUDGET_MS = 5_000;

type WindowColumns = Parameters<typeof windowSettingOf>[0];

/** What places a campaign's rows: its window setting, and QUIET_HOURS for the default. */
export type Placement = { setting: WindowColumns; quietHours: AppliedWindow | undefined };

/**
 * Queues, in the transaction that changes the campaign's window (or records a new QUIET_HOURS),
 * the re-placing of the rows of each of its unfinished runs whose window (as its claims read it:
 * the run's template decides whether QUIET_HOURS applies) or deadline is not the same after the
 * change.
 */
export async function queueWindowChange(
  ctx: AppContext,
  tx: Tx,
  campaignId: string,
  before: Placement,
  after: Placement,
): Promise<number> {
  const active = await tx.db
    .select({ id: runs.id, category: templates.category })
    .from(runs)
    .innerJoin(campaigns, eq(campaigns.id, runs.campaignId))
    .innerJoin(
      templates,
      eq(templates.id, sql`coalesce(${runs.templateId}, ${campaigns.templateId})`),
    )
    .where(and(eq(runs.campaignId, campaignId), inArray(runs.status, ['running', 'paused'])))
    // waits for a snapshot batch in flight (it holds its run `for update`) and holds the next
    // until this change commits: no batch places rows by the window this change replaces
    // unseen by its job (lockRunForSnapshot). Key share, so that the runs' own updates
    // (progress, completion) never wait for it nor deadlock with it.
    .for('key share', { of: runs });
  let queued = 0;
  for (const run of active) {
    const was = appliedWindow(windowSettingOf(before.setting), run.category, before.quietHours);
    const is = appliedWindow(windowSettingOf(after.setting), run.category, after.quietHours);
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    await enqueue(ctx, WINDOW_CHANGE_QUEUE, { runId: run.id, after: '0' }, { tx: tx.sql });
    await tx.db.update(runs).set({ windowChangeAt: sql`now()` }).where(eq(runs.id, run.id));
    queued += 1;
  }
  return queued;
}

/**
 * Places a run's pending rows again by its campaign's window as it is when each batch runs
 * (replaceWaitingRows), from id `after` on; two changes in a row each place every row, the last
 * read wins (each batch holds the campaign row, so no batch places rows by a window a change
 * has replaced). The run sends nothing meanwhile (runs.window_change_at, refreshed at each
 * stretch); at the end that mark and its wait are cleared and its dispatcher queued, which sends
 * what is due, records the first row's new time (later under a narrower window) or completes a
 * run whose rows all expired.
 */
export const windowChangeJob = defineJob({
  name: WINDOW_CHANGE_QUEUE,
  payload: z.object({ runId: z.uuid(), after: z.string().regex(/^\d+$/) }),
  queue: { retryLimit: 20, retryDelay: 1, retryBackoff: true, expireInSeconds: 120 },
  handler: async ({ runId, after }, ctx) => {
    const log = ctx.logger.child({ runId });
    // failed, the job is retried (with backoff): another process, or this one restarted
    if (!(await placesByRecordedQuietHours(ctx)))
      throw new Error(
        'this process runs with another QUIET_HOURS than the last start recorded: left to a process with the new one',
      );
    const deadline = Date.now() + WORK_BUDGET_MS;
    let cursor = after;
    const moved = { read: 0, expired: 0, due: 0 };
    for (;;) {
      const batch = await replaceWaitingRows(ctx, runId, cursor);
      if (batch === 'stopped') return;
      moved.read += batch.read;
      moved.expired += batch.expired;
      moved.due += batch.due;
      if (batch.lastId) cursor = batch.lastId;
      if (batch.read < REPLACE_BATCH) {
        await ctx.database
          .sql`update runs set waiting_until = null, window_change_at = null where id = ${runId}`;
        log.info({ ...moved, after: cursor }, 'send window changed: waiting rows placed again');
        if (await isRunning(ctx, runId)) await kickDispatch(ctx, runId);
        return;
      }
      if (Date.now() > deadline) {
        // still alive: the run keeps waiting for the rest (WINDOW_CHANGE_STALE_SECONDS)
        await ctx.database
          .sql`update runs set window_change_at = now() where id = ${runId} and window_change_at is not null`;
        log.info(
          { ...moved, after: cursor },
          'send window changed: placing waiting rows again, going on',
        );
        await enqueue(ctx, WINDOW_CHANGE_QUEUE, { runId, after: cursor });
        return;
      }
    }
  },
});

async function isRunning(ctx: AppContext, runId: string): Promise<boolean> {
  const [run] = await ctx.database.db
    .select({ status: runs.status })
    .from(runs)
    .where(eq(runs.id, runId));
  return run?.status === 'running';
}
