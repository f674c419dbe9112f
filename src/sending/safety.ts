import { and, countDistinct, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messages } from '../db/schema';

/** The window of the failure rail: a campaign's last 200 attempts (docs/design.md, rule 14). */
const WINDOW = 200;
/** Fewer attempts than this are too few to judge (one failure of one is not "half"). */
const MIN_ATTEMPTS = 20;

/**
 * Remembers, per campaign and in this process, whether each of its last 200 attempts with a
 * final answer failed permanently. Several processes each judge the share they send, which
 * carries the same proportion.
 */
export class FailureRail {
  private readonly windows = new Map<string, boolean[]>();

  /** Records one attempt; answers the reason to pause the campaign when the rail trips. */
  record(campaignId: string, failedPermanently: boolean): string | undefined {
    const window = this.windows.get(campaignId) ?? [];
    window.push(failedPermanently);
    if (window.length > WINDOW) window.shift();
    this.windows.set(campaignId, window);
    const failures = window.filter(Boolean).length;
    if (window.length >= MIN_ATTEMPTS && failures * 2 >= window.length) {
      this.windows.delete(campaignId);
      return `${failures} of the last ${window.length} attempts failed permanently`;
    }
    return undefined;
  }
}

/**
 * Distinct phones that got a template from this sender in the rolling 24 hours, sends in flight
 * included. The default sender's count holds the messages stored before senders (no sender_id).
 */
export async function recipientsLast24h(
  db: Db,
  sender: { id: string; isDefault: boolean },
): Promise<number> {
  const [row] = await db
    .select({ used: countDistinct(messages.phone) })
    .from(messages)
    .where(
      and(
        eq(messages.kind, 'template'),
        inArray(messages.status, ['sending', 'sent', 'delivered', 'read', 'unknown']),
        gt(
          sql`coalesce(${messages.sentAt}, ${messages.sendingAt})`,
          sql`now() - interval '24 hours'`,
        ),
        sender.isDefault
          ? or(eq(messages.senderId, sender.id), isNull(messages.senderId))
          : eq(messages.senderId, sender.id),
      ),
    );
  return row?.used ?? 0;
}

/**
 * A sender's 24-hour messaging limit (`messagingLimit24h`; the default sender's is
 * MESSAGING_LIMIT_24H): how many more recipients may get a template from it in the rolling 24
 * hours (counting sends in flight), or Infinity without a limit. Read at most once a second.
 */
export class MessagingLimit {
  private cached: { at: number; remaining: number } | undefined;

  /** `senderNow` answers the sender as last read: a changed limit applies from the next read. */
  constructor(
    private readonly db: Db,
    private readonly senderNow: () => {
      id: string;
      isDefault: boolean;
      messagingLimit24h: number | null;
    },
  ) {}

  async remaining(): Promise<number> {
    const sender = this.senderNow();
    const limit = sender.messagingLimit24h;
    if (limit === null) return Number.POSITIVE_INFINITY;
    const now = Date.now();
    if (this.cached && now - this.cached.at < 1000) return this.cached.remaining;
    const remaining = Math.max(0, limit - (await recipientsLast24h(this.db, sender)));
    this.cached = { at: now, remaining };
    return remaining;
  }

  /** Counts claims made since the last read, so one process does not overshoot within a second. */
  consume(count: number): void {
    if (this.cached) this.cached.remaining = Math.max(0, this.cached.remaining - count);
  }
}
