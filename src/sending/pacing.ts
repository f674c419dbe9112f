import type { Sql } from '../db/client';

export type Bucket = { key: string; ratePerSecond: number };
/** `granted` send slots: the first `delayMs` from now, then one every `intervalMs`. */
export type Grant = { granted: number; delayMs: number; intervalMs: number; waitMs: number };

export const ACCOUNT_BUCKET = 'account';
export const campaignBucket = (campaignId: string) => `campaign:${campaignId}`;

/** Slots are reserved at most this far ahead: a pause or a crash wastes no more than this. */
const HORIZON_MS = 250;

/**
 * A grant is at least this much of the pace's slots (or all that is wanted). When several
 * processes share a pace, the one that comes second would otherwise find one or two slots
 * left at the horizon's edge, take them, and ask again a millisecond later: a round trip per
 * slot, which starves the sending itself of CPU and loses part of the pace.
 */
const MIN_CHUNK_S = 0.05;

/**
 * Creates the buckets, or brings their rate up to date (a changed SEND_RATE_PER_SECOND). There
 * is no burst: slots are 1/rate apart even after a pause. Sends go up to LATE_MS after their
 * slot, and timers and networks add their jitter, so a one-second window at the provider holds
 * up to about rate × 1.03: any burst on top would take a second past rate + 5%
 * (docs/decisions.md, Sending). (The `burst` column is no longer read; it is written as 1 for
 * older processes.)
 */
export async function ensureBuckets(sql: Sql, buckets: Bucket[]): Promise<void> {
  for (const { key, ratePerSecond } of buckets) {
    await sql`
      insert into rate_buckets (key, rate_per_second, burst)
      values (${key}, ${ratePerSecond}, 1)
      on conflict (key) do update
        set rate_per_second = excluded.rate_per_second, burst = 1
        where rate_buckets.rate_per_second <> excluded.rate_per_second
          or rate_buckets.burst <> 1`;
  }
}

/**
 * Reserves up to `want` send slots in every bucket at once (GCRA), on the database's clock so
 * that all processes share one pace. The slots run at the slowest bucket's interval, from the
 * first moment every bucket allows; a bucket blocked after a 429 allows nothing before its
 * block ends. A faster bucket is charged the sends, not the spacing: its pace holds over time,
 * though a slow campaign's sends may trail its account charge by up to the 250 ms horizon. Only slots within the next 250 ms are granted; `waitMs` says when to ask again.
 */
export async function takeSlots(sql: Sql, keys: string[], want: number): Promise<Grant> {
  const [row] = await sql<
    { granted: number; delayMs: number; intervalMs: number; need: number; buckets: number }[]
  >`
    with b as (
      select key, rate_per_second as rate, tat, blocked_until
      from rate_buckets where key = any(${keys}::text[]) order by key for update
    ), p as (
      select clock_timestamp() as now, max(1.0 / rate) as interval_s, count(*)::int as buckets,
        greatest(clock_timestamp(), max(tat), coalesce(max(blocked_until), '-infinity')) as start
      from b
    ), c as (
      -- the least worth a round trip: a twentieth of a second of slots (unless fewer are wanted)
      select p.*, least(${want}::int, ceil(${MIN_CHUNK_S}::float8 / p.interval_s::float8))::int as need,
        floor(extract(epoch from p.now + make_interval(secs => ${HORIZON_MS / 1000}) - p.start)::float8 / p.interval_s)::int + 1 as free
      from p
    ), g as (
      select c.*, (case when c.free >= c.need then least(${want}::int, c.free) else 0 end) as n
      from c
    ), u as (
      update rate_buckets r set tat = case
        -- the slowest bucket sets the grid: its frontier moves past the last slot
        when 1.0 / r.rate_per_second >= g.interval_s then greatest(
          r.tat + make_interval(secs => g.n / r.rate_per_second),
          g.start + make_interval(secs => (g.n - 1) * g.interval_s + 1.0 / r.rate_per_second))
        -- a faster one (the account under a slow campaign) only counts the sends, so that other
        -- campaigns' slots interleave with these sparser ones
        else greatest(r.tat, g.now) + make_interval(secs => g.n / r.rate_per_second) end
      from g where r.key = any(${keys}::text[]) and g.n > 0
    )
    select n as granted, extract(epoch from start - now)::float8 * 1000 as "delayMs",
      interval_s * 1000 as "intervalMs", need, buckets from g`;
  if (!row || row.buckets < keys.length)
    throw new Error(`rate buckets missing: ${keys.join(', ')}`);
  // Nothing granted: ask again when the slots needed fit inside the horizon.
  const waitMs =
    row.granted > 0
      ? 0
      : Math.max(1, Math.ceil(row.delayMs + (row.need - 1) * row.intervalMs - HORIZON_MS));
  return {
    granted: row.granted,
    delayMs: Math.max(0, row.delayMs),
    intervalMs: row.intervalMs,
    waitMs,
  };
}

/** After a 429: nothing more for the whole account until Retry-After (or a wait) has passed. */
export async function blockAccount(sql: Sql, ms: number): Promise<void> {
  await sql`
    update rate_buckets
    set blocked_until = greatest(coalesce(blocked_until, '-infinity'), clock_timestamp() + make_interval(secs => ${ms / 1000}))
    where key = ${ACCOUNT_BUCKET}`;
}
