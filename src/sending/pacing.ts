import { eq, ne, or, sql } from 'drizzle-orm';
import type { Db, Sql } from '../db/client';
import { rateBuckets } from '../db/schema';
import { reserveSlots } from './queries';

export type Bucket = { key: string; ratePerSecond: number };
/** `granted` send slots: the first `delayMs` from now, then one every `intervalMs`. */
export type Grant = { granted: number; delayMs: number; intervalMs: number; waitMs: number };

/** A sender's pace: its number's share of the provider's throughput (docs/design.md, rule 31). */
export const senderBucket = (senderId: string) => `sender:${senderId}`;
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
export async function ensureBuckets(db: Db, buckets: Bucket[]): Promise<void> {
  for (const { key, ratePerSecond } of buckets) {
    await db
      .insert(rateBuckets)
      .values({ key, ratePerSecond, burst: 1 })
      .onConflictDoUpdate({
        target: rateBuckets.key,
        set: { ratePerSecond, burst: 1 },
        setWhere: or(ne(rateBuckets.ratePerSecond, ratePerSecond), ne(rateBuckets.burst, 1)),
      });
  }
}

/**
 * Reserves up to `want` send slots in every bucket at once (GCRA), on the database's clock so
 * that all processes share one pace. The slots run at the slowest bucket's interval, from the
 * first moment every bucket allows; a bucket blocked after a 429 allows nothing before its
 * block ends. A faster bucket is charged the sends, not the spacing: its pace holds over time,
 * though a slow campaign's sends may trail its account charge by up to the 250 ms horizon. Only
 * slots within the next 250 ms are granted; `waitMs` says when to ask again.
 */
export async function takeSlots(sql: Sql, keys: string[], want: number): Promise<Grant> {
  const row = await reserveSlots(sql, keys, want, {
    horizonMs: HORIZON_MS,
    minChunkS: MIN_CHUNK_S,
  });
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

/** After a 429: nothing more from this sender until Retry-After (or a wait) has passed. */
export async function blockSender(db: Db, senderId: string, ms: number): Promise<void> {
  await db
    .update(rateBuckets)
    .set({
      blockedUntil: sql`greatest(coalesce(${rateBuckets.blockedUntil}, '-infinity'), clock_timestamp() + make_interval(secs => ${ms / 1000}))`,
    })
    .where(eq(rateBuckets.key, senderBucket(senderId)));
}
