import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { statsPeriod } from './period';
import { periodFigures } from './period-figures';
import type { SenderStats, SenderStatsQuery } from './schemas';

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
  const range = { from: from.toISOString(), to: to.toISOString() };
  return { senderId, ...range, ...(await periodFigures(ctx, { ...range, senderId })) };
}
