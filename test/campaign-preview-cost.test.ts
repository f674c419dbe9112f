// The launch preview's estimated cost with PRICE_CARD: the recipients that would be sent, by the
// longest prefix of their phone the card prices for the template's category.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../src/db/schema';
import { api, createCampaign, type Json } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';

const priceCard = join(mkdtempSync(join(tmpdir(), 'price-card-')), 'prices.csv');
writeFileSync(
  priceCard,
  [
    'country_calling_code,category,price,currency',
    '44,marketing,0.05,USD',
    '4479,marketing,0.07,USD',
    '44,utility,0.02,USD',
    '49,marketing,0.1,EUR',
    '',
  ].join('\n'),
);

const t = useTestService({ env: { PRICE_CARD: priceCard } });

let listId: string;
const templateOf = async (category: 'marketing' | 'utility' | null) => {
  const id = await factories(t).template(['{{first_name}}']);
  await t.service.ctx.database.db.update(templates).set({ category }).where(eq(templates.id, id));
  return id;
};

beforeAll(async () => {
  const f = factories(t);
  listId = await f.list('priced');
  const people: [string, Record<string, string>][] = [
    ['+447900000001', { first_name: 'A' }], // 4479: 0.07
    ['+447900000002', { first_name: 'B' }], // 4479: 0.07
    ['+447800000003', { first_name: 'C' }], // 44: 0.05
    ['+4915100000004', { first_name: 'D' }], // 49: 0.1 EUR
    ['+3360000005', { first_name: 'E' }], // no price
    ['+447800000006', {}], // skipped: no first_name
    ['+447800000007', { first_name: 'G' }], // opted out
  ];
  for (const [phone, attributes] of people) {
    const contact = await f.contact(attributes, phone);
    await f.addToList(listId, contact.id);
  }
  await f.optOut('+447800000007');
});

const costOf = async (templateId: string) => {
  const campaign = await createCampaign(t, { templateId, listIds: [listId] });
  const response = await api(t).get(`/v1/campaigns/${String(campaign.id)}/preview`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as Json & { warnings: string[] };
};

describe('GET /v1/campaigns/{id}/preview with PRICE_CARD', () => {
  it("prices the recipients that would be sent at the template's category, in the currency of most", async () => {
    const body = await costOf(await templateOf('marketing'));
    expect(body.eligible).toBe(5);
    expect(body.estimatedCost).toEqual({
      currency: 'USD',
      total: 0.19, // 2 × 0.07 + 0.05; the skipped and the opted-out contacts cost nothing
      byCategory: { marketing: 0.19 },
      priced: 3,
      unpriced: 1,
    });
    expect(body.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^1 recipient is priced in EUR \(0\.1 EUR\)/),
        expect.stringMatching(/no marketing price for the country of 1 recipient: it is/),
      ]),
    );
  });

  it("uses the category's own prices, never another category's", async () => {
    const body = await costOf(await templateOf('utility'));
    expect(body.estimatedCost).toEqual({
      currency: 'USD',
      total: 0.06, // three UK recipients at 44's utility price; +49 and +33 have none
      byCategory: { utility: 0.06 },
      priced: 3,
      unpriced: 2,
    });
  });

  it('has no cost for a template without a category, and says why', async () => {
    const body = await costOf(await templateOf(null));
    expect(body.estimatedCost).toBeNull();
    expect(body.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('the template has no category')]),
    );
  });
});
