import type postgres from 'postgres';
import type { Json } from './api';

/**
 * Every key whose counter differs from the rows, in every campaign: none when nothing drifts.
 * Apart from the vitest helpers (stats.ts) so that the benchmarks can check their seed with it.
 */
export async function countersOffRecount(sql: postgres.Sql): Promise<Json[]> {
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
