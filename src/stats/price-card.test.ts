import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { MAX_PRICE_PER_MESSAGE, parsePriceCard, priceOf } from './price-card';

const header = 'country_calling_code,category,price,currency';

describe('parsePriceCard', () => {
  it('reads prices and finds the longest prefix priced for the category', () => {
    const card = parsePriceCard(
      `\uFEFF${header}\r\n1,marketing,0.025,USD\r\n1242,marketing,0.05,USD\r\n\r\n44,utility,0.02,GBP\r\n`,
    );
    if ('problem' in card) throw new Error(card.problem);
    expect(priceOf(card, '12425551234', 'marketing')).toEqual({ price: 0.05, currency: 'USD' });
    expect(priceOf(card, '12125551234', 'marketing')).toEqual({ price: 0.025, currency: 'USD' });
    expect(priceOf(card, '447911123456', 'utility')).toEqual({ price: 0.02, currency: 'GBP' });
    expect(priceOf(card, '447911123456', 'marketing')).toBeNull();
  });

  it('names the line of each problem', () => {
    const problem = (text: string) => {
      const card = parsePriceCard(text);
      return 'problem' in card ? card.problem : null;
    };
    expect(problem('code,category,price\n')).toMatch(/^line 1 must be the header/);
    expect(problem(`${header}\n44,marketing,0.02\n`)).toMatch(/^line 2: needs 4 cells/);
    expect(problem(`${header}\n44,marketing,1,USD\n+44,marketing,1,USD`)).toMatch(
      /^line 3: country_calling_code "\+44"/,
    );
    expect(problem(`${header}\n44,Marketing,1,USD`)).toMatch(/^line 2: category/);
    expect(problem(`${header}\n44,marketing,-1,USD`)).toMatch(/^line 2: price "-1"/);
    expect(problem(`${header}\n44,marketing,${MAX_PRICE_PER_MESSAGE + 1},USD`)).toMatch(
      /^line 2: price/,
    );
    expect(problem(`${header}\n44,marketing,1,usd`)).toMatch(/^line 2: currency/);
    expect(problem(`${header}\n44,marketing,1,USD\n44,marketing,2,USD`)).toMatch(
      /^line 3: 44 marketing is priced twice/,
    );
    const rows = Array.from(
      { length: 10_001 },
      (_, i) => `${1000 + (i % 9000)},${i < 9000 ? 'marketing' : 'utility'},1,USD`,
    );
    expect(problem(`${header}\n${rows.join('\n')}`)).toMatch(/^line 10002: more than 10,000/);
  });

  it('is a config error naming PRICE_CARD when the file is missing or wrong', () => {
    expect(() => loadConfig({ PRICE_CARD: '/nonexistent/prices.csv' })).toThrow(
      /PRICE_CARD: cannot read the price card \/nonexistent\/prices.csv/,
    );
    expect(loadConfig({}).PRICE_CARD).toBeUndefined();
  });
});
