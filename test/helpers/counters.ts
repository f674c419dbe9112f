import type postgres from 'postgres';
import { compactCounts } from '../../src/stats/compact-counts';
import type { Json } from './api';
import { waitFor } from './service';

/**
 * Compacts until `done` answers: the service's own housekeeping may hold the compaction when a
 * test asks for one (compactCounts then skips), and its fold is not visible before it commits.
 */
export function compactUntil<T>(
  sql: postgres.Sql,
  done: () => Promise<T | undefined>,
): Promise<NonNullable<T>> {
  return waitFor(
    async () => {
      await compactCounts(sql);
      return done();
    },
    { what: 'a compaction' },
  );
}

/**
 * Every key whose counter differs from the rows, in every campaign, every quarter hour of
 * event_counts (the overview's and the failure reasons' counters) and every list's size: none
 * when nothing drifts.
 */
export async function countersOffRecount(sql: postgres.Sql): Promise<Json[]> {
  return [
    ...(await campaignCountersOffRecount(sql)),
    ...(await eventCountersOffRecount(sql)),
    ...(await listCountersOffRecount(sql)),
  ];
}

/** Every list whose counted size differs from its memberships. */
export async function listCountersOffRecount(sql: postgres.Sql): Promise<Json[]> {
  return sql<Json[]>`
    with counted as (
      select list_id, sum(n)::int as n from list_member_counts group by list_id having sum(n) <> 0
    ), facts as (
      select list_id, count(*)::int from list_members group by list_id
    )
    (select 'list counter' as side, * from (table counted except all table facts) x)
    union all
    (select 'list rows', * from (table facts except all table counted) y)`.then((rows) => [
    ...rows,
  ]);
}

/** Every (quarter hour, event, reason) of event_counts that differs from the message rows. */
export async function eventCountersOffRecount(sql: postgres.Sql): Promise<Json[]> {
  return sql<Json[]>`
    with counted as (
      select bucket, event, reason, sum(n)::int as n from event_counts
      group by bucket, event, reason having sum(n) <> 0
    ), facts as (
      select date_bin('15 minutes', e.at, timestamptz '2000-01-01 00:00:00+00') as bucket,
        e.event, e.reason, count(*)::int as n
      from messages m
      cross join lateral (values (m.sent_at, 'sent', ''), (m.delivered_at, 'delivered', ''),
        (m.read_at, 'read', ''), (m.replied_at, 'replied', ''),
        (m.failed_at, 'failed', coalesce(left(m.error, 200), ''))) as e(at, event, reason)
      where m.kind = 'template' and e.at is not null
      group by 1, 2, 3
    )
    (select 'event counter' as side, * from (table counted except all table facts) x)
    union all
    (select 'event rows', * from (table facts except all table counted) y)`.then((rows) => [
    ...rows,
  ]);
}

async function campaignCountersOffRecount(sql: postgres.Sql): Promise<Json[]> {
  return sql<Json[]>`
    with counted as (
      select campaign_id, run_id, kind || ' ' || status as key, sum(n)::int as n
      from message_counts
      group by campaign_id, run_id, kind, status having sum(n) <> 0
      union all
      select campaign_id, run_id, 'replied', sum(n)::int from reply_counts
      group by campaign_id, run_id having sum(n) <> 0
    ), facts as (
      select campaign_id, run_id, kind || ' ' || status, count(*)::int from messages
      where campaign_id is not null group by campaign_id, run_id, kind, status
      union all
      select campaign_id, run_id, 'replied', count(distinct phone)::int from messages
      where campaign_id is not null and run_id is not null and kind = 'template'
        and replied_at is not null
      group by campaign_id, run_id
      union all
      select campaign_id, null, 'replied', count(distinct phone)::int from messages
      where campaign_id is not null and kind = 'template' and replied_at is not null
      group by campaign_id
    )
    (select 'counter' as side, * from (table counted except all table facts) x)
    union all
    (select 'rows', * from (table facts except all table counted) y)`.then((rows) => [...rows]);
}
