import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { statsPeriod } from './period';
import { periodFigures } from './period-figures';
import type { SenderStats, SenderStatsQuery } from './schemas';

/** The longest period of a sender's figures: they read every message sent in it. */
export const MAX_SENDER_STATS_DAYS = 366;

/**
 * GET /v1/senders/{senderId}/stats: the template messages the sender sent in the period (their
 * `sentAt`, the overview's period rules) and what became of them, by error code and pricing
 * category, with the estimated cost when PRICE_CARD is set. The messages' `sender_id` is
 * written at dispatch; rows sent before senders existed (migration 0014) have none and are in
 * no sender's figures.
 */
export async function getSenderStats(
  ctx: AppContext,
  senderId: string,
  query: SenderStatsQuery,
): Promise<SenderStats> {
  assertUuid(senderId, 'Sender');
  if (!(await ctx.senders.get(senderId))) throw AppError.notFound('Sender', senderId);
  const { from, to } = statsPeriod(query);
  if (to.getTime() - from.getTime() > MAX_SENDER_STATS_DAYS * 86_400_000)
    throw new AppError(
      'bad_request',
      `query.from: at most ${MAX_SENDER_STATS_DAYS} days of a sender's figures at once (each message sent in them is read); ask for a shorter period`,
      [{ path: 'query.from', message: `must be at most ${MAX_SENDER_STATS_DAYS} days before to` }],
    );
  const range = { from: from.toISOString(), to: to.toISOString() };
  return { senderId, ...range, ...(await periodFigures(ctx, { ...range, senderId })) };
}
