import { addCost, type PriceCard, priceOf } from '../stats/price-card';
import { count } from './skip-rule';

/** What a run would cost by the price card (the Preview's `estimatedCost`). */
export type PreviewCost = {
  currency: string;
  total: number;
  byCategory: Record<string, number>;
  /** Recipients the card prices in `currency`. */
  priced: number;
  /** Recipients the card has no price for (for this category): in no total. */
  unpriced: number;
};

/**
 * The estimated cost of a run: each recipient that would be sent at the price of the template's
 * category for the longest prefix of the card its phone starts with, as if Meta charged every
 * one (it charges no utility template sent inside an open customer-service window, so this is
 * an upper bound). One currency: when the card prices the recipients in several, the total is
 * in the currency of most of them and a warning names the rest. Null without a card or without
 * a category on the template (a warning says so).
 */
export function previewCost(
  card: PriceCard | undefined,
  category: string | null,
  sendableByPrefix: Record<string, number>,
): { cost: PreviewCost | null; warnings: string[] } {
  if (card === undefined) return { cost: null, warnings: [] };
  if (category === null)
    return {
      cost: null,
      warnings: [
        'no estimated cost: the template has no category (marketing, utility or authentication), which PRICE_CARD prices by',
      ],
    };
  const byCurrency = new Map<string, { costs: Record<string, number>; recipients: number }>();
  let unpriced = 0;
  for (const [digits, recipients] of Object.entries(sendableByPrefix)) {
    const price = priceOf(card, digits, category);
    if (!price) {
      unpriced += recipients;
      continue;
    }
    const sum = byCurrency.get(price.currency) ?? { costs: {}, recipients: 0 };
    addCost(sum.costs, price, recipients);
    sum.recipients += recipients;
    byCurrency.set(price.currency, sum);
  }
  const ranked = [...byCurrency.entries()].sort(
    ([a, x], [b, y]) => y.recipients - x.recipients || a.localeCompare(b),
  );
  const [main, ...others] = ranked;
  const currency = main?.[0] ?? cardCurrency(card, category);
  const total = main?.[1].costs[currency] ?? 0;
  const warnings = others.map(
    ([other, sum]) =>
      `${recipients(sum.recipients)} ${sum.recipients === 1 ? 'is' : 'are'} priced in ${other} (${sum.costs[other]} ${other}), which estimatedCost (in ${currency}) leaves out`,
  );
  if (unpriced > 0)
    warnings.push(
      `PRICE_CARD has no ${category} price for the country of ${recipients(unpriced)}: ${unpriced === 1 ? 'it is' : 'they are'} in no estimated cost`,
    );
  return {
    cost: {
      currency,
      total,
      byCategory: { [category]: total },
      priced: main?.[1].recipients ?? 0,
      unpriced,
    },
    warnings,
  };
}

const recipients = (n: number) => `${count(n)} ${n === 1 ? 'recipient' : 'recipients'}`;

/** The currency of the card's first price of `category` (any price's when it has none). */
function cardCurrency(card: PriceCard, category: string): string {
  const prices = [...card.prices.entries()];
  const ofCategory = prices.find(([key]) => key.endsWith(`:${category}`)) ?? prices[0];
  return ofCategory?.[1].currency ?? 'USD';
}
