import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { runs } from '../db/schema';
import { type Builder, transaction } from '../db/transaction';
import { appliedWindow } from '../delivery/send-window';
import { kickDispatch } from '../sending/dispatch.job';
import { campaignZone, windowSettingOf } from './campaign-json';
import { completeRunIfDone } from './complete-run';
import {
  batchBounds,
  commitAsynchronously,
  insertAudienceRange,
  lockRunForSnapshot,
  readSnapshotRun,
  type SnapshotPolicy,
  type SnapshotRun,
} from './queries';

/**
 * Contacts per batch. Larger batches spread the per-statement work; 50,000 holds the run row for
 * about a second.
 */
export const SNAPSHOT_BATCH = 50_000;
/** A batch at least this large is inserted by two transactions at once (see snapshotRunBatch). */
const SPLIT_AT = 10_000;

export type SnapshotState = 'more' | 'done' | 'stopped';

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Snapshots the next batch of a run's audience into message rows, all inside PostgreSQL: the
 * next `batchSize` distinct contacts of the campaign's lists after the run's cursor (contact id
 * order), less opted-out phones, rendered by the SQL twin of the template renderer; `pending`
 * when they render, `skipped` with the reason when not.
 *
 * The run row is locked for the batch, so two workers on one run take turns, and the rows, the
 * cursor and the audience count commit together, so a crash loses or doubles nothing. A large
 * batch is cut in two halves inserted at once by two transactions (one statement uses one core):
 * the first holds the run row and moves the cursor to the middle; the second moves it on to the
 * end, which waits for the first to commit and checks that it did (the cursor is at the middle),
 * so what is committed is always a prefix of the audience in contact order. The batch starts
 * after the greater of the cursor and the last contact already in the run, so even a lost cursor
 * adds nobody twice; the unique key (run, contact, kind) stays as the last line. There is no ON
 * CONFLICT DO NOTHING on purpose: speculative insertion writes more per row and made the insert
 * 1.7× slower.
 */
export async function snapshotRunBatch(
  ctx: AppContext,
  runId: string,
  batchSize = SNAPSHOT_BATCH,
  splitAt = SPLIT_AT,
): Promise<SnapshotState> {
  const maxParameterChars = ctx.config.TEMPLATE_PARAMETER_MAX_CHARS;
  /** The batch's second half: whether it committed (a changed window rolls it back). */
  let secondHalf: Promise<boolean> | undefined;
  const state = await transaction(ctx.database, async (tx) => {
    const run = await lockRunForSnapshot(tx.sql, runId);
    if (!run || run.snapshotDone) return run ? 'done' : 'stopped';
    // A cancelled run takes no new recipients.
    if (run.status !== 'running' && run.status !== 'paused') return 'stopped';
    await commitAsynchronously(tx.sql);
    const policy = await snapshotPolicy(ctx, run);
    const after = run.resumeAfter ?? FIRST_ID;
    const bounds = await batchBounds(tx.sql, run.listIds, after, batchSize);
    const done = bounds.scanned < batchSize;
    const last = bounds.last;
    const middle = bounds.scanned >= splitAt ? bounds.middle : null;
    if (!last) {
      await tx.db.update(runs).set({ snapshotDoneAt: sql`now()` }).where(eq(runs.id, runId));
      return 'done';
    }
    if (middle) {
      secondHalf = transaction(ctx.database, async (tx2) => {
        await commitAsynchronously(tx2.sql);
        const inserted = await insertAudienceRange(
          tx2.sql,
          run,
          middle,
          last,
          maxParameterChars,
          policy,
        );
        // Waits for the first half to commit (it holds the run row), then checks that it did,
        // and that the run was not cancelled meanwhile: a cancel that came while these rows
        // were inserted could not see them, and they would stay pending for good.
        const [now] = await tx2.db
          .select({ cursor: runs.snapshotCursor, status: runs.status })
          .from(runs)
          .where(eq(runs.id, runId))
          .for('update');
        if (now?.status !== 'running' && now?.status !== 'paused') throw new SecondHalfUndone();
        if (now?.cursor !== middle)
          throw new Error('the first half of the snapshot batch did not commit');
        // Nor was its window changed (a PATCH waits for the first half only): the window
        // change's job, already past these ids, would leave them placed by the old window.
        // Rolled back, they are the next batch's, placed by the new one.
        const fresh = await readSnapshotRun(tx2.sql, runId);
        if (!fresh || policyKey(await snapshotPolicy(ctx, fresh)) !== policyKey(policy))
          throw new SecondHalfUndone();
        await moveCursor(tx2.db, runId, last, inserted, done);
        return true;
      }).catch((error: unknown) => {
        if (!(error instanceof SecondHalfUndone)) throw error;
        return false;
      });
      // Awaited after the first half commits; a failure here must not go unhandled before.
      secondHalf.catch(() => {});
    }
    const inserted = await insertAudienceRange(
      tx.sql,
      run,
      after,
      middle ?? last,
      maxParameterChars,
      policy,
    );
    await moveCursor(tx.db, runId, middle ?? last, inserted, done && !middle);
    return done ? 'done' : 'more';
  });
  // a second half rolled back leaves its contacts to the next batch
  if (secondHalf && !(await secondHalf) && state === 'done') return 'more';
  return state;
}

/** What places a run's rows, compared by a batch's two halves. */
const policyKey = (policy: SnapshotPolicy | null) =>
  policy ? JSON.stringify([policy.window, policy.localAt, policy.campaignZone]) : 'none';

/**
 * The run's delivery policy (docs/design.md, rule 37), or null when it has none (no window, no
 * local-time schedule): its rows are then placed without reading any zone.
 */
async function snapshotPolicy(ctx: AppContext, run: SnapshotRun): Promise<SnapshotPolicy | null> {
  const window = appliedWindow(windowSettingOf(run), run.category, ctx.config.QUIET_HOURS);
  const localAt = run.scheduleLocalAt;
  if (!window && !localAt) return null;
  // the preview's guard too: a stored zone this server's tzdata lacks would fail every batch
  const { zone } = await campaignZone(ctx.zoneNames, run);
  return { window, localAt, campaignZone: zone, knownZones: await ctx.zoneNames.get() };
}

/**
 * The run ended, or its window changed, while a batch's second half was inserted: its rows are
 * rolled back.
 */
class SecondHalfUndone extends Error {}

/** Records a committed stretch of the snapshot: its end, its rows, and whether it was the last. */
async function moveCursor(
  db: Builder,
  runId: string,
  cursor: string,
  inserted: number,
  done: boolean,
): Promise<void> {
  await db
    .update(runs)
    .set({
      snapshotCursor: cursor,
      audience: sql`${runs.audience} + ${inserted}`,
      snapshotDoneAt: done ? sql`now()` : null,
      // rows it added may be due now: recovery must not leave the run waiting for later ones
      waitingUntil: null,
    })
    .where(eq(runs.id, runId));
}

/** One batch, and the run's completion once its snapshot is done (all skipped: at once). */
export async function snapshotStep(ctx: AppContext, runId: string): Promise<SnapshotState> {
  const state = await snapshotRunBatch(ctx, runId);
  // Rows are there to send: the dispatcher need not wait for the rest of the snapshot.
  if (state !== 'stopped') await kickDispatch(ctx, runId);
  if (state === 'done') {
    ctx.logger.info({ runId }, 'audience snapshot done');
    await completeRunIfDone(ctx, runId);
  }
  return state;
}
