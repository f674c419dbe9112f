import type { AppContext } from '../context';
import { kickDispatch } from '../sending/dispatch.job';
import { renderSql } from '../templates/render-sql';
import { completeRunIfDone } from './complete-run';
import type { RawRunRow } from './rows';

/**
 * Contacts per batch (one transaction). Larger batches spread the per-statement work; 50,000
 * holds the run row for about a second.
 */
export const SNAPSHOT_BATCH = 50_000;

export type SnapshotState = 'more' | 'done' | 'stopped';

/**
 * Snapshots the next batch of a run's audience into message rows, all inside PostgreSQL: the
 * next `batchSize` distinct contacts of the campaign's lists after the run's cursor (contact id
 * order), less opted-out phones, rendered by the SQL twin of the template renderer; `pending`
 * when they render, `skipped` with the reason when not. The rows, the cursor and the audience
 * count move in one transaction, and the run row is locked for it, so a crash loses or doubles
 * nothing and two workers on one run take turns. The batch starts after the greater of the
 * cursor and the last contact already in the run, so even a lost cursor adds nobody twice; the
 * unique key (run, contact, kind) stays as the last line. There is no ON CONFLICT DO NOTHING on
 * purpose: speculative insertion writes more per row and made the insert 1.7× slower.
 */
export async function snapshotRunBatch(
  ctx: AppContext,
  runId: string,
  batchSize = SNAPSHOT_BATCH,
): Promise<SnapshotState> {
  return ctx.database.sql.begin(async (tx) => {
    const [run] = await tx<
      (RawRunRow & { list_ids: string[]; parameters: string[]; resume_after: string | null })[]
    >`
      select r.*, c.list_ids, t.parameters,
        greatest(r.snapshot_cursor, (
          select m.contact_id from messages m
          where m.run_id = r.id and m.kind = 'template'
          order by m.contact_id desc limit 1)) as resume_after
      from runs r join campaigns c on c.id = r.campaign_id join templates t on t.id = c.template_id
      where r.id = ${runId}
      for update of r`;
    if (!run || run.snapshot_done_at) return run ? 'done' : 'stopped';
    // A cancelled run takes no new recipients.
    if (run.status !== 'running' && run.status !== 'paused') return 'stopped';
    // A commit lost in a crash loses its cursor with its rows: the batch is simply done again.
    await tx`set local synchronous_commit = off`;
    const render = renderSql(tx, run.parameters, tx`c.attributes`);
    const after = run.resume_after ?? '00000000-0000-0000-0000-000000000000';
    // One ordered index range scan per list (list_members' primary key), merged in contact id
    // order (Merge Append) and deduplicated as it streams (Unique): no hash or sort of 2 × batch
    // ids per batch, which cost several times the scans themselves.
    const perList = run.list_ids.map(
      (listId) => tx`(
        select contact_id from list_members
        where list_id = ${listId}::uuid and contact_id > ${after}::uuid
        order by contact_id limit ${batchSize})`,
    );
    const merged = perList.reduce((all, one) => tx`${all} union all ${one}`);
    const [batch] = await tx<{ scanned: number; last: string | null; inserted: number }[]>`
      with ids as (
        select distinct on (contact_id) contact_id as id from (${merged}) m
        order by contact_id limit ${batchSize}
      ), rendered as (
        -- OFFSET 0 keeps each level a level: pulled up, its columns would be recomputed
        select id, phone, ${render.params} as params, ${render.reason} as reason
        from (
          select v.*${render.texts} from (
            select c.id, c.phone${render.values}
            from ids join contacts c on c.id = ids.id
            where not exists (select 1 from opt_outs o where o.phone = c.phone)
            offset 0) v
          offset 0) t
      ), inserted as (
        insert into messages (run_id, campaign_id, contact_id, phone, kind, status, params, error)
        select ${runId}::uuid, ${run.campaign_id}::uuid, id, phone, 'template',
          (case when reason is null then 'pending' else 'skipped' end)::message_status,
          case when reason is null then params end, reason
        from rendered
        returning 1
      )
      select (select count(*) from ids)::int as scanned,
        (select id from ids order by id desc limit 1) as last,
        (select count(*) from inserted)::int as inserted`;
    if (!batch) throw new Error('snapshot batch returned no row');
    const done = batch.scanned < batchSize;
    await tx`
      update runs
      set snapshot_cursor = coalesce(${batch.last}::uuid, snapshot_cursor),
        audience = audience + ${batch.inserted},
        snapshot_done_at = ${done ? tx`now()` : tx`null`}
      where id = ${runId}`;
    return done ? 'done' : 'more';
  });
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
