import type { Sql } from '../db/client';

export type ClaimedRow = {
  id: number;
  kind: 'template' | 'followup' | 'manual';
  phone: string;
  params: string[] | null;
  body: string | null;
  attempts: number;
  campaignId: string | null;
  runId: string | null;
};

/**
 * The rows to send, and how many were taken in all: rows found opted out or expired are taken
 * too (and closed), so fewer rows to send does not mean that the pending ones ran out.
 */
export type Claim = { rows: ClaimedRow[]; taken: number };

const returning = (sql: Sql) => sql`
  returning m.id::float8 as id, m.kind, m.phone, m.params, m.body, m.attempts, m.status,
    m.campaign_id as "campaignId", m.run_id as "runId"`;

/**
 * The condition on `messages m` for a run's template rows that are pending and due (with
 * `openWindowsOnly`, only those to a phone inside an open window). It leads with the campaign,
 * so that the planner uses `messages_campaign_idx`.
 */
export function dueTemplateRows(
  sql: Sql,
  run: { id: string; campaignId: string },
  openWindowsOnly: boolean,
) {
  return sql`m.campaign_id = ${run.campaignId} and m.run_id = ${run.id} and m.status = 'pending'
    and m.kind = 'template' and (m.next_attempt_at is null or m.next_attempt_at <= now())
    ${openWindowsOnly ? sql`and exists (select 1 from conversations c where c.phone = m.phone and c.window_expires_at > now())` : sql``}`;
}

/**
 * Claims up to `limit` pending template rows of a running run, in id order, and marks them
 * `sending` before any call leaves (a crash from here on leaves them `sending`, which recovery
 * turns into `unknown`, never into a second send). SKIP LOCKED lets several dispatchers share a
 * run. With `openWindowsOnly` (the 24-hour messaging limit is reached), only recipients inside
 * an open conversation window are taken. A row taken is closed `skipped` instead of sent when
 * its phone was opted out since the snapshot, or when another run of the campaign sent it its
 * template less than `minIntervalMinutes` ago: checked here, as the row leaves, so that no way
 * to a send (a schedule, a start by hand, an operator's retry) gets round it.
 */
export async function claimTemplateRows(
  sql: Sql,
  run: { id: string; campaignId: string },
  worker: string,
  limit: number,
  rules: { minIntervalMinutes: number; openWindowsOnly?: boolean },
): Promise<Claim> {
  if (limit <= 0) return { rows: [], taken: 0 };
  const minutes = rules.minIntervalMinutes;
  const rows = await sql<(ClaimedRow & { status: string })[]>`
    with picked as (
      select m.id, case
          when exists (select 1 from opt_outs o where o.phone = m.phone) then 'opted out'
          ${minutes > 0 ? sql`when ${sentRecentlyByAnotherRun(sql, minutes)} then ${`already sent less than ${minutes} minutes ago by another run of this campaign (MIN_SCHEDULE_INTERVAL_MINUTES)`}` : sql``}
        end as closed
      from messages m
      where ${dueTemplateRows(sql, run, rules.openWindowsOnly ?? false)}
        and exists (select 1 from runs r where r.id = ${run.id} and r.status = 'running')
      order by m.id
      limit ${limit}
      for update of m skip locked
    )
    update messages m set
      status = (case when p.closed is null then 'sending' else 'skipped' end)::message_status,
      error = coalesce(p.closed, m.error),
      attempts = m.attempts + case when p.closed is null then 1 else 0 end,
      sending_at = now(), sending_by = ${worker}, updated_at = now()
    from picked p
    where m.id = p.id
    ${returning(sql)}`;
  return { rows: rows.filter((row) => row.status === 'sending'), taken: rows.length };
}

/**
 * Whether the campaign of template row `m` sent its template to m's phone from another run
 * within the last `minutes`. Same-run rows do not count: an operator's retry of a run's own
 * `unknown` or `failed` rows is a knowing second send. One probe of messages_phone_sent_idx
 * (phone, sent_at) per row taken: a phone has few template sends within an interval.
 */
function sentRecentlyByAnotherRun(sql: Sql, minutes: number) {
  return sql`exists (
    select 1 from messages s
    where s.phone = m.phone and s.kind = 'template'
      and s.sent_at > now() - make_interval(mins => ${minutes})
      and s.campaign_id = m.campaign_id and s.run_id <> m.run_id)`;
}

/**
 * The condition on `messages m` for follow-ups and free-form messages that may go now. Those of
 * a paused campaign wait for its resume, as its templates do (a reply kept sending the
 * follow-up of a campaign paused because that very message was wrong); one whose window has
 * closed is still taken, to be closed `expired`. Its first terms are those of the partial index
 * `messages_pending_direct_idx`.
 */
export function dueDirectRows(sql: Sql) {
  return sql`m.status = 'pending' and m.kind <> 'template'
    and (m.next_attempt_at is null or m.next_attempt_at <= now())
    and (m.campaign_id is null or m.expires_at <= now() or not exists (
      select 1 from campaigns c where c.id = m.campaign_id and c.status = 'paused'))`;
}

/**
 * Claims follow-ups and free-form messages, which go ahead of template traffic. One whose window
 * closed before it could be sent ends `expired`; one of a cancelled campaign (a reply that
 * raced the cancel) or to an opted-out phone, `skipped`.
 */
export async function claimDirectRows(sql: Sql, worker: string, limit: number): Promise<Claim> {
  if (limit <= 0) return { rows: [], taken: 0 };
  const rows = await sql<(ClaimedRow & { status: string })[]>`
    with picked as (
      select m.id, case
          when m.expires_at <= now() then 'expired'
          when c.status = 'cancelled' then 'cancelled'
          when exists (select 1 from opt_outs o where o.phone = m.phone) then 'opted out'
        end as closed
      from messages m left join campaigns c on c.id = m.campaign_id
      where ${dueDirectRows(sql)}
      order by m.id
      limit ${limit}
      for update of m skip locked
    )
    update messages m set
      status = (case when p.closed is null then 'sending' when p.closed = 'expired' then 'expired'
        else 'skipped' end)::message_status,
      error = case when p.closed is null then m.error
        when p.closed = 'expired' then 'the conversation window closed before it could be sent'
        else p.closed end,
      attempts = m.attempts + case when p.closed is null then 1 else 0 end,
      sending_at = now(), sending_by = ${worker}, updated_at = now()
    from picked p
    where m.id = p.id
    ${returning(sql)}`;
  return { rows: rows.filter((row) => row.status === 'sending'), taken: rows.length };
}
