import type { Sql } from '../db/client';

export type Bucket = { key: string; ratePerSecond: number };
export type Grant = { granted: number; waitMs: number };

export const ACCOUNT_BUCKET = 'account';
export const campaignBucket = (campaignId: string) => `campaign:${campaignId}`;

/**
 * A twentieth of a second of sends (at least one): the most a bucket lends ahead, so that no
 * one-second window can carry more than the rate plus 5%.
 */
const capacityOf = (ratePerSecond: number) => Math.max(1, ratePerSecond * 0.05);

/** Creates the buckets, or brings their rate up to date (a changed SEND_RATE_PER_SECOND). */
export async function ensureBuckets(sql: Sql, buckets: Bucket[]): Promise<void> {
  for (const { key, ratePerSecond } of buckets) {
    await sql`
      insert into rate_buckets (key, tokens, rate_per_second, capacity)
      values (${key}, 0, ${ratePerSecond}, ${capacityOf(ratePerSecond)})
      on conflict (key) do update
        set rate_per_second = excluded.rate_per_second, capacity = excluded.capacity
        where rate_buckets.rate_per_second <> excluded.rate_per_second`;
  }
}

/**
 * Takes up to `want` tokens from every bucket at once (the smallest bucket decides), on the
 * database's clock so that all processes share one pace. Grants nothing while a bucket is
 * blocked after a 429. Answers how long to wait when nothing could be granted.
 */
export async function takeTokens(sql: Sql, keys: string[], want: number): Promise<Grant> {
  const rows = await sql<{ granted: number; available: number; rate: number; blockedMs: number }[]>`
    with b as (
      select key, rate_per_second as rate,
        least(capacity, tokens + greatest(0, extract(epoch from clock_timestamp() - updated_at))::float8 * rate_per_second) as available,
        case when blocked_until > clock_timestamp()
          then extract(epoch from blocked_until - clock_timestamp())::float8 * 1000 else 0 end as blocked_ms
      from rate_buckets where key = any(${keys}::text[]) order by key for update
    ), g as (
      select case when max(blocked_ms) > 0 then 0 else greatest(0, least(${want}, floor(min(available))))::int end as granted
      from b
    ), u as (
      update rate_buckets r set tokens = b.available - g.granted, updated_at = clock_timestamp()
      from b, g where r.key = b.key
    )
    select g.granted, b.available, b.rate, b.blocked_ms as "blockedMs" from b, g`;
  if (rows.length < keys.length) throw new Error(`rate buckets missing: ${keys.join(', ')}`);
  const granted = rows[0]?.granted ?? 0;
  if (granted > 0) return { granted, waitMs: 0 };
  // Until the slowest bucket holds one whole token again, or the block ends.
  const waitMs = Math.max(
    ...rows.map((row) => Math.max(row.blockedMs, ((1 - row.available) / row.rate) * 1000)),
  );
  return { granted: 0, waitMs: Math.max(1, Math.ceil(waitMs)) };
}

/** Gives back tokens taken for sends that did not happen (fewer rows than tokens). */
export async function returnTokens(sql: Sql, keys: string[], count: number): Promise<void> {
  if (count <= 0) return;
  await sql`
    update rate_buckets set tokens = least(capacity, tokens + ${count})
    where key = any(${keys}::text[])`;
}

/** After a 429: nothing more for the whole account until Retry-After (or a second) has passed. */
export async function blockAccount(sql: Sql, ms: number): Promise<void> {
  await sql`
    update rate_buckets
    set blocked_until = greatest(coalesce(blocked_until, '-infinity'), clock_timestamp() + make_interval(secs => ${ms / 1000})),
      tokens = 0, updated_at = clock_timestamp()
    where key = ${ACCOUNT_BUCKET}`;
}
