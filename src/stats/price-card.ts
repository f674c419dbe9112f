/**
 * The price card (`PRICE_CARD`, docs/decisions.md "A price card"): what one message of a pricing
 * category costs to a country calling code, from a CSV file of
 * `country_calling_code,category,price,currency` read once at start.
 */

/** Bounds of the card: Meta's rate card has a few hundred markets × a handful of categories. */
export const MAX_PRICE_CARD_BYTES = 1_000_000;
export const MAX_PRICE_CARD_ROWS = 10_000;
/** A price per message above this is a typo (Meta's dearest marketing message is under 1 USD). */
export const MAX_PRICE_PER_MESSAGE = 100;
/** Country calling codes have 1 to 3 digits; 4 lets a card price a NANP area (1242) apart. */
export const MAX_PREFIX_DIGITS = 4;

const HEADER = 'country_calling_code,category,price,currency';

export type PriceCard = {
  /** `${prefix}:${category}` → the price of one message and its currency. */
  prices: Map<string, { price: number; currency: string }>;
  /** The longest prefix of the card, in digits: how far a phone is looked up. */
  longestPrefix: number;
};

/** The card's text parsed, or the first problem with its line number (1 is the header). */
export function parsePriceCard(text: string): PriceCard | { problem: string } {
  if (text.length > MAX_PRICE_CARD_BYTES)
    return { problem: `is over ${MAX_PRICE_CARD_BYTES.toLocaleString('en')} bytes` };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== HEADER) return { problem: `line 1 must be the header "${HEADER}"` };
  const prices: PriceCard['prices'] = new Map();
  let longestPrefix = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    const at = `line ${i + 1}`;
    if (prices.size >= MAX_PRICE_CARD_ROWS)
      return { problem: `${at}: more than ${MAX_PRICE_CARD_ROWS.toLocaleString('en')} prices` };
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== 4) return { problem: `${at}: needs 4 cells (${HEADER})` };
    const [prefix = '', category = '', priceText = '', currency = ''] = cells;
    if (!new RegExp(`^[1-9][0-9]{0,${MAX_PREFIX_DIGITS - 1}}$`).test(prefix))
      return {
        problem: `${at}: country_calling_code "${prefix}" must be 1 to ${MAX_PREFIX_DIGITS} digits without + (e.g. 44)`,
      };
    if (!/^[a-z_]{1,32}$/.test(category))
      return {
        problem: `${at}: category "${category}" must be Meta's pricing category in lower case (e.g. marketing)`,
      };
    const price = Number(priceText);
    if (!/^[0-9]+(\.[0-9]{1,6})?$/.test(priceText) || price > MAX_PRICE_PER_MESSAGE)
      return {
        problem: `${at}: price "${priceText}" must be a number from 0 to ${MAX_PRICE_PER_MESSAGE} with at most 6 decimals`,
      };
    if (!/^[A-Z]{3}$/.test(currency))
      return { problem: `${at}: currency "${currency}" must be an ISO 4217 code (e.g. USD)` };
    const key = `${prefix}:${category}`;
    if (prices.has(key)) return { problem: `${at}: ${prefix} ${category} is priced twice` };
    prices.set(key, { price, currency });
    longestPrefix = Math.max(longestPrefix, prefix.length);
  }
  return { prices, longestPrefix };
}

/**
 * The price of one message of `category` to a phone whose digits after the + start with
 * `digits`: the card's longest prefix of them priced for that category; null when none is.
 */
export function priceOf(card: PriceCard, digits: string, category: string) {
  for (let length = Math.min(card.longestPrefix, digits.length); length > 0; length--) {
    const price = card.prices.get(`${digits.slice(0, length)}:${category}`);
    if (price) return price;
  }
  return null;
}

/** Adds `count` messages at `price` to a sum by currency (amounts to 6 decimals). */
export function addCost(
  costs: Record<string, number>,
  price: { price: number; currency: string },
  count: number,
) {
  const sum = (costs[price.currency] ?? 0) + price.price * count;
  costs[price.currency] = Math.round(sum * 1e6) / 1e6;
}
