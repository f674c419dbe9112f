import type { Sql } from '../db/client';

/** One compaction at a time across processes (a second one would only redo the first's work). */
const COMPACTION_LOCK_KEY = 0x737461747363; // "statsc" in ASCII

/**
 * Folds the counter rows the triggers appended since the last compaction: every campaign with
 * unfolded rows has all its rows of message_counts, reply_counts and window_counts replaced, in
 * one transaction,
 * by one folded row per key holding their sum (keys that sum to 0 disappear). Stats read the same
 * sums before and after. Writers never wait: they only insert, and a row a writer commits after
 * this statement's snapshot is neither deleted nor summed here, so it stays as it is for the next
 * compaction; nothing is lost or counted twice (a test races the two). Run by the recovery sweep.
 * Returns how many campaigns have folded rows now (0 when another process holds the compaction).
 */
export async function compactCounts(sql: Sql): Promise<number> {
  return sql.begin(async (tx) => {
    const [lock] = await tx<{ got: boolean }[]>`
      select pg_try_advisory_xact_lock(${COMPACTION_LOCK_KEY}) as got`;
    if (!lock?.got) return 0;
    const messages = await tx<{ campaign_id: string }[]>`
      with touched as (
        select distinct campaign_id from message_counts where not folded
      ), gone as (
        delete from message_counts c using touched t where c.campaign_id = t.campaign_id
        returning c.campaign_id, c.run_id, c.kind, c.status, c.n
      )
      insert into message_counts (campaign_id, run_id, kind, status, n, folded)
      select campaign_id, run_id, kind, status, sum(n), true from gone
      group by campaign_id, run_id, kind, status
      having sum(n) <> 0
      returning campaign_id`;
    const replies = await tx<{ campaign_id: string }[]>`
      with touched as (
        select distinct campaign_id from reply_counts where not folded
      ), gone as (
        delete from reply_counts c using touched t where c.campaign_id = t.campaign_id
        returning c.campaign_id, c.run_id, c.n
      )
      insert into reply_counts (campaign_id, run_id, n, folded)
      select campaign_id, run_id, sum(n), true from gone
      group by campaign_id, run_id
      having sum(n) <> 0
      returning campaign_id`;
    // hours that have begun are never summed again (stats count the current hour's windows
    // from conversations), so their rows go
    const windows = await tx<{ campaign_id: string }[]>`
      with touched as (
        select distinct campaign_id from window_counts where not folded
      ), gone as (
        delete from window_counts c using touched t where c.campaign_id = t.campaign_id
        returning c.campaign_id, c.run_id, c.expires_hour, c.n
      )
      insert into window_counts (campaign_id, run_id, expires_hour, n, folded)
      select campaign_id, run_id, expires_hour, sum(n), true from gone
      where expires_hour > date_trunc('hour', now(), 'UTC')
      group by campaign_id, run_id, expires_hour
      having sum(n) <> 0
      returning campaign_id`;
    await tx`delete from window_counts where expires_hour < date_trunc('hour', now(), 'UTC')`;
    return new Set([...messages, ...replies, ...windows].map((r) => r.campaign_id)).size;
  });
}
