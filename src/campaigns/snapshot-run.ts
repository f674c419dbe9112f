import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import { kickDispatch } from '../sending/dispatch.job';
import { renderSql } from '../templates/render-sql';
import { completeRunIfDone } from './complete-run';
import type { RawRunRow } from './rows';

/**
 * Contacts per batch. Larger batches spread the per-statement work; 50,000 holds the run row for
 * about a second.
 */
export const SNAPSHOT_BATCH = 50_000;
/** A batch at least this large is inserted by two transactions at once (see snapshotRunBatch). */
const SPLIT_AT = 10_000;

export type SnapshotState = 'more' | 'done' | 'stopped';

type SnapshotRun = RawRunRow & {
  list_ids: string[];
  parameters: string[];
  resume_after: string | null;
};

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
  const { sql } = ctx.database;
  const maxParameterChars = ctx.config.TEMPLATE_PARAMETER_MAX_CHARS;
  let secondHalf: Promise<void> | undefined;
  const state = await sql.begin(async (tx) => {
    const [run] = await tx<SnapshotRun[]>`
      select r.*, coalesce(r.list_ids, c.list_ids) as list_ids, t.parameters,
        greatest(r.snapshot_cursor, (
          select m.contact_id from messages m
          where m.run_id = r.id and m.kind = 'template'
          order by m.contact_id desc limit 1)) as resume_after
      from runs r join campaigns c on c.id = r.campaign_id
        join templates t on t.id = coalesce(r.template_id, c.template_id)
      where r.id = ${runId}
      for update of r`;
    if (!run || run.snapshot_done_at) return run ? 'done' : 'stopped';
    // A cancelled run takes no new recipients.
    if (run.status !== 'running' && run.status !== 'paused') return 'stopped';
    // A commit lost in a crash loses its cursor with its rows: the batch is simply done again.
    await tx`set local synchronous_commit = off`;
    const after = run.resume_after ?? FIRST_ID;
    const [bounds] = await tx<{ scanned: number; middle: string | null; last: string | null }[]>`
      with ids as (${audienceIds(tx, run, after, null, batchSize)})
      select (select count(*) from ids)::int as scanned,
        (select id from ids order by id
          offset greatest((select count(*) from ids) / 2 - 1, 0) limit 1) as middle,
        (select id from ids order by id desc limit 1) as last`;
    if (!bounds) throw new Error('snapshot bounds returned no row');
    const done = bounds.scanned < batchSize;
    const last = bounds.last;
    const middle = bounds.scanned >= splitAt ? bounds.middle : null;
    if (!last) {
      await tx`update runs set snapshot_done_at = now() where id = ${runId}`;
      return 'done';
    }
    if (middle) {
      secondHalf = sql
        .begin(async (tx2) => {
          await tx2`set local synchronous_commit = off`;
          const inserted = await insertRange(tx2, run, middle, last, maxParameterChars);
          // Waits for the first half to commit (it holds the run row), then checks that it did,
          // and that the run was not cancelled meanwhile: a cancel that came while these rows
          // were inserted could not see them, and they would stay pending for good.
          const [now] = await tx2<{ cursor: string | null; status: string }[]>`
          select snapshot_cursor as cursor, status from runs where id = ${runId} for update`;
          if (now?.status !== 'running' && now?.status !== 'paused') throw new RunStopped();
          if (now?.cursor !== middle)
            throw new Error('the first half of the snapshot batch did not commit');
          await moveCursor(tx2, runId, last, inserted, done);
        })
        .catch((error: unknown) => {
          if (!(error instanceof RunStopped)) throw error;
        });
      // Awaited after the first half commits; a failure here must not go unhandled before.
      secondHalf.catch(() => {});
    }
    const inserted = await insertRange(tx, run, after, middle ?? last, maxParameterChars);
    await moveCursor(tx, runId, middle ?? last, inserted, done && !middle);
    return done ? 'done' : 'more';
  });
  if (secondHalf) await secondHalf;
  return state;
}

/** The run ended while a batch's second half was inserted: its rows are rolled back. */
class RunStopped extends Error {}

/** Records a committed stretch of the snapshot: its end, its rows, and whether it was the last. */
async function moveCursor(
  tx: TransactionSql,
  runId: string,
  cursor: string,
  inserted: number,
  done: boolean,
): Promise<void> {
  await tx`
    update runs
    set snapshot_cursor = ${cursor}::uuid, audience = audience + ${inserted},
      snapshot_done_at = ${done ? tx`now()` : tx`null`}
    where id = ${runId}`;
}

/**
 * The audience's contact ids after `after` (and up to `upTo`), at most `limit`, in id order: one
 * ordered range scan per list (list_members' primary key), merged (Merge Append) and
 * deduplicated as it streams (Unique), so no hash or sort of the lists' ids.
 */
function audienceIds(
  tx: TransactionSql,
  run: SnapshotRun,
  after: string,
  upTo: string | null,
  limit: number | null,
) {
  const perList = run.list_ids.map(
    (listId) => tx`(
      select contact_id from list_members
      where list_id = ${listId}::uuid and contact_id > ${after}::uuid
        ${upTo ? tx`and contact_id <= ${upTo}::uuid` : tx``}
      order by contact_id ${limit ? tx`limit ${limit}` : tx``})`,
  );
  const merged = perList.reduce((all, one) => tx`${all} union all ${one}`);
  return tx`
    select distinct on (contact_id) contact_id as id from (${merged}) m
    order by contact_id ${limit ? tx`limit ${limit}` : tx``}`;
}

/** Inserts the message rows of the audience in (after, upTo]; answers how many. */
async function insertRange(
  tx: TransactionSql,
  run: SnapshotRun,
  after: string,
  upTo: string,
  maxParameterChars: number,
): Promise<number> {
  const render = renderSql(tx, run.parameters, tx`c.attributes`, maxParameterChars);
  // The command tag counts the rows: no RETURNING of every row to count them.
  const result = await tx`
    with ids as (${audienceIds(tx, run, after, upTo, null)}),
    rendered as (
      -- OFFSET 0 keeps each level a level: pulled up, its columns would be recomputed
      select id, phone, ${render.params} as params, ${render.reason} as reason
      from (
        select v.*${render.texts} from (
          select c.id, c.phone${render.values}
          from ids join contacts c on c.id = ids.id
          where not exists (select 1 from opt_outs o where o.phone = c.phone)
          offset 0) v
        offset 0) t
    )
    insert into messages (run_id, campaign_id, contact_id, phone, kind, status, params, error)
    select ${run.id}::uuid, ${run.campaign_id}::uuid, id, phone, 'template',
      (case when reason is null then 'pending' else 'skipped' end)::message_status,
      case when reason is null then params end, reason
    from rendered`;
  return result.count;
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
