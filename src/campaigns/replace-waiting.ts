import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';
import { zoneTables } from '../delivery/recipient-zone';
import { appliedWindow, DEADLINE_REASON } from '../delivery/send-window';
import { campaignZone, type RunRow, windowSettingOf } from './campaign-json';
import { placementTerms, type SnapshotRun } from './queries';

/**
 * A send window changed while a run has rows waiting (docs/design.md, rule 37): the run's
 * pending template rows are placed again by the campaign's window as it is now, batch by batch
 * in id order, as the snapshot placed them. Claims already hold rows to a narrower window; this
 * is what brings rows forward under a wider one (or none), fills the zone of rows snapshotted
 * without one, and moves their deadline.
 */

/** Rows per statement: a run of a million rows is a hundred short statements, not one. */
export const REPLACE_BATCH = 10_000;

/** What re-placing a run's rows reads of it and its campaign, at each batch. */
type ReplaceRun = Pick<RunRow, 'campaignId' | 'status'> &
  Pick<
    SnapshotRun,
    | 'category'
    | 'sendWindowMode'
    | 'sendWindowFrom'
    | 'sendWindowTo'
    | 'sendWindowDays'
    | 'sendWindowDeadlineHours'
    | 'scheduleLocalAt'
    | 'scheduleTimezone'
  >;

async function loadReplaceRun(sql: TransactionSql, runId: string): Promise<ReplaceRun | undefined> {
  const [run] = await sql<ReplaceRun[]>`
    select r.campaign_id as "campaignId", r.status, t.category,
      c.send_window_mode as "sendWindowMode", c.send_window_from::text as "sendWindowFrom",
      c.send_window_to::text as "sendWindowTo", c.send_window_days as "sendWindowDays",
      c.send_window_deadline_hours as "sendWindowDeadlineHours",
      -- the snapshot's (lockRunForSnapshot): the placement the run was opened with
      r.local_at::text as "scheduleLocalAt", r.timezone as "scheduleTimezone"
    from runs r join campaigns c on c.id = r.campaign_id
      join templates t on t.id = coalesce(r.template_id, c.template_id)
    where r.id = ${runId}
    -- a PATCH of the window waits for this batch, and this batch for it: a batch never places
    -- rows by a window another change has replaced (the last change's job places them all)
    for share of c`;
  return run;
}

export type ReplaceBatch = {
  /** Rows read (pending template rows after the cursor); fewer than the batch: the last. */
  read: number;
  /** The last id read: the next batch's cursor. */
  lastId: string | null;
  /** Rows that ended `expired` (their window now opens only after the deadline). */
  expired: number;
  /** Rows now due at once. */
  due: number;
};

/**
 * Places again the run's next `limit` pending template rows after id `after`. A row never taken
 * for sending (`sending_at` null) waited only for its placement, the window's opening or the
 * local-time schedule's time, both computed again here from now: it gets the new opening (none
 * when open now), the new deadline, and `expired` when that opening comes after it. A row taken
 * before (a retry's backoff, a send handed back, an operator's retry) keeps its wait, which is
 * not the window's; its deadline moves only if it had one (an operator's retry cleared it: a
 * knowing send). Every row gets a zone when it had none (the snapshot's rule, the contact's
 * attribute as it is now), so that claims hold it to the window.
 */
export async function replaceWaitingRows(
  ctx: Pick<AppContext, 'database' | 'zoneNames' | 'config'>,
  runId: string,
  after: string,
  limit = REPLACE_BATCH,
): Promise<ReplaceBatch | 'stopped'> {
  return ctx.database.sql.begin((tx) => replaceInTransaction(ctx, tx, runId, after, limit));
}

async function replaceInTransaction(
  ctx: Pick<AppContext, 'zoneNames' | 'config'>,
  sql: TransactionSql,
  runId: string,
  after: string,
  limit: number,
): Promise<ReplaceBatch | 'stopped'> {
  const run = await loadReplaceRun(sql, runId);
  if (!run || (run.status !== 'running' && run.status !== 'paused')) return 'stopped';
  // the window its claims apply (loadRunForSending)
  const window = appliedWindow(windowSettingOf(run), run.category, ctx.config.QUIET_HOURS);
  const knownZones = await ctx.zoneNames.get();
  // the snapshot's guarded zone for recipients of no known zone
  const { zone: fallback } = await campaignZone(ctx.zoneNames, run);
  const { joins, zone, opens, deadline, key } = placementTerms(sql, runId, {
    window,
    localAt: run.scheduleLocalAt,
    campaignZone: fallback,
  });
  const [result] = await sql<
    { read: number; lastId: string | null; expired: number; due: number }[]
  >`
    with batch as materialized (
      select m.id, m.phone, m.time_zone, m.sending_at is null as placed,
        c.attributes->>'timezone' as zone_attribute
      -- the contact's attribute only for a row that needs a zone
      from messages m left join contacts c on m.time_zone is null and c.id = m.contact_id
      where m.campaign_id = ${run.campaignId} and m.run_id = ${runId} and m.status = 'pending'
        and m.kind = 'template' and m.id > ${after}::bigint
      order by m.id
      limit ${limit}
    ),
    ${zoneTables(sql, knownZones)},
    -- the zones of rows that have none, once per (phone prefix, attribute), as the snapshot does
    zone_keys as (
      select k.phone, k.zone_attribute, ${zone} as zone
      from (select distinct ${key('b')} from batch b where b.time_zone is null)
        k(phone, zone_attribute) ${joins}),
    zoned as (
      select b.id, b.placed, coalesce(b.time_zone, zk.zone) as zone
      from batch b left join zone_keys zk
        on b.time_zone is null and (zk.phone, zk.zone_attribute) = (${key('b')})),
    -- OFFSET 0: the opening once per zone, not once per row and use (placedByPolicy)
    openings as (
      select z.zone, ${opens} as opens, ${deadline} as deadline
      from (select distinct zone from zoned) z offset 0),
    placed as (
      select zd.id, zd.placed, zd.zone, o.opens, o.deadline,
        -- no deadline (null) is never past
        zd.placed and coalesce(o.opens > o.deadline, false) as expired
      from zoned zd join openings o on o.zone = zd.zone
    ),
    moved as (
      update messages m set
        time_zone = p.zone,
        status = (case when p.expired then 'expired' else 'pending' end)::message_status,
        error = case when p.expired then ${DEADLINE_REASON} else m.error end,
        next_attempt_at = case when not p.placed then m.next_attempt_at
          when not p.expired and p.opens > now() then p.opens end,
        expires_at = case when p.placed or m.expires_at is not null then p.deadline end,
        updated_at = now()
      from placed p
      -- a row taken and handed back meanwhile (claimed, tried, a retry's wait) keeps its wait
      where m.id = p.id and m.status = 'pending' and (m.sending_at is null) = p.placed
      returning m.status, m.next_attempt_at
    )
    select (select count(*) from batch)::int as read,
      (select max(id) from batch)::text as "lastId",
      (select count(*) from moved where status = 'expired')::int as expired,
      (select count(*) from moved where status = 'pending'
        and (next_attempt_at is null or next_attempt_at <= now()))::int as due`;
  return result ?? { read: 0, lastId: null, expired: 0, due: 0 };
}
