import type postgres from 'postgres';
import type { Sql } from '../db/client';

/** One compaction at a time across processes (a second one would only redo the first's work). */
export const COMPACTION_LOCK_KEY = 0x737461747363; // "statsc" in ASCII

type Counter = { table: string; owner?: string; key: string[]; keep?: string };

/**
 * The counter tables, the column whose rows fold together (`owner`, campaign_id unless named)
 * and the columns of their key besides it.
 */
const counters: Counter[] = [
  { table: 'message_counts', key: ['run_id', 'kind', 'status'] },
  { table: 'reply_counts', key: ['run_id'] },
  { table: 'list_member_counts', owner: 'list_id', key: [] },
  // hours that have begun are never summed again (stats count the current hour's windows
  // from conversations), so their rows are dropped rather than folded
  {
    table: 'window_counts',
    key: ['run_id', 'expires_hour'],
    keep: `expires_hour > date_trunc('hour', now(), 'UTC')`,
  },
];

/**
 * Folds the counter rows the triggers appended since the last compaction: every campaign with
 * unfolded rows has all its rows of a counter table replaced, in one statement, by one folded
 * row per key holding their sum (keys that sum to 0 disappear). Stats read the same sums before
 * and after. Writers never wait: they only insert, and a row a writer commits after this
 * statement's snapshot is neither deleted nor summed here, so it stays as it is for the next
 * compaction; nothing is lost or counted twice (a test races the two). Run by the
 * housekeeping (src/housekeeping/). Returns how many campaigns have folded rows now (0 when another process holds the
 * compaction).
 */
export async function compactCounts(sql: Sql): Promise<number> {
  return sql.begin(async (tx) => {
    const [lock] = await tx<{ got: boolean }[]>`
      select pg_try_advisory_xact_lock(${COMPACTION_LOCK_KEY}) as got`;
    if (!lock?.got) return 0;
    const campaigns = new Set<string>();
    for (const counter of counters) {
      const owners = await fold(tx, counter);
      if (!counter.owner) for (const row of owners) campaigns.add(row.owner);
    }
    await foldEvents(tx);
    await tx`delete from window_counts where expires_hour < date_trunc('hour', now(), 'UTC')`;
    return campaigns.size;
  });
}

/**
 * event_counts is kept across campaigns, so its rows fold by quarter hour: every quarter hour
 * with unfolded rows has all its rows replaced by one folded row per (event, reason), with the
 * same guarantees as `fold`.
 */
function foldEvents(tx: postgres.TransactionSql) {
  return tx`
    with touched as (
      select distinct bucket from event_counts where not folded
    ), gone as (
      delete from event_counts c using touched t where c.bucket = t.bucket
      returning c.bucket, c.event, c.reason, c.n
    )
    insert into event_counts (bucket, event, reason, n, folded)
    select bucket, event, reason, sum(n), true from gone
    group by bucket, event, reason
    having sum(n) <> 0`;
}

function fold(tx: postgres.TransactionSql, { table, owner = 'campaign_id', key, keep }: Counter) {
  const columns = [owner, ...key].join(', ');
  return tx<{ owner: string }[]>`
    with touched as (
      select distinct ${tx(owner)} as owner from ${tx(table)} where not folded
    ), gone as (
      delete from ${tx(table)} c using touched t where c.${tx(owner)} = t.owner
      returning ${tx.unsafe(
        columns
          .split(', ')
          .map((k) => `c.${k}`)
          .join(', '),
      )}, c.n
    )
    insert into ${tx(table)} (${tx.unsafe(columns)}, n, folded)
    select ${tx.unsafe(columns)}, sum(n), true from gone
    ${tx.unsafe(keep ? `where ${keep}` : '')}
    group by ${tx.unsafe(columns)}
    having sum(n) <> 0
    returning ${tx(owner)} as owner`;
}
