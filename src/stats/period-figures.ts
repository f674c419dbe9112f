import type { z } from '@hono/zod-openapi';
import type { AppContext } from '../context';
import { addCost, type PriceCard, priceOf } from './price-card';
import { type PeriodRow, periodRows } from './queries';
import type { PricingSplit as PricingSplitSchema, SenderStats } from './schemas';

/** Messages of one pricing category: those Meta charges and those it does not. */
export type PricingSplit = z.infer<typeof PricingSplitSchema>;

/**
 * The figures by code and price of messages sent in a period (the overview's, a sender's): the
 * SenderStats' own, without the sender and the period.
 */
export type PeriodFigures = Omit<SenderStats, 'senderId' | 'from' | 'to'>;

/**
 * The template messages sent in [from, to) (through `senderId` when given): how many, how many
 * of them were then delivered, read or failed, the failed and held-out ones by error code, the
 * priced ones by category, and with PRICE_CARD what the billable ones cost.
 */
export async function periodFigures(
  ctx: AppContext,
  range: { from: string; to: string; senderId?: string },
): Promise<PeriodFigures> {
  const card = ctx.config.PRICE_CARD;
  const rows = await periodRows(ctx.database.sql, {
    ...range,
    prefixDigits: card?.longestPrefix ?? 0,
  });
  return foldPeriodRows(rows, card);
}

/** The rows of periodRows summed into the figures (pure, for the tests). */
export function foldPeriodRows(rows: PeriodRow[], card: PriceCard | undefined): PeriodFigures {
  const figures: PeriodFigures = {
    sent: 0,
    delivered: 0,
    read: 0,
    failed: 0,
    byErrorCode: {},
    byPricingCategory: {},
    estimatedCost: card === undefined ? null : {},
  };
  for (const row of rows) {
    figures.sent += row.sent;
    figures.delivered += row.delivered;
    figures.read += row.read;
    figures.failed += row.failed;
    if (row.code !== null) {
      const code = String(row.code);
      figures.byErrorCode[code] = (figures.byErrorCode[code] ?? 0) + row.sent;
    }
    if (row.category !== null) {
      addSplit(figures.byPricingCategory, row.category, row.billable, row.sent);
      if (card && figures.estimatedCost && row.billable && row.digits !== null) {
        const price = priceOf(card, row.digits, row.category);
        if (price) addCost(figures.estimatedCost, price, row.sent);
      }
    }
  }
  return figures;
}

/** Adds `count` messages of `category` to its billable or free side. */
export function addSplit(
  splits: Record<string, PricingSplit>,
  category: string,
  billable: boolean,
  count: number,
) {
  const split = splits[category] ?? { billable: 0, free: 0 };
  split[billable ? 'billable' : 'free'] += count;
  splits[category] = split;
}
