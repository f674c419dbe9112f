// The console's figures by Meta's error code and pricing category, and the estimated cost from
// PRICE_CARD: a campaign's page, Analytics and the launch preview show what the API answers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { templates } from '../../src/db/schema';
import { api } from '../helpers/api';
import { expectAccessible, useConsole } from '../helpers/console';
import { factories } from '../helpers/factories';

const priceCard = join(mkdtempSync(join(tmpdir(), 'price-card-')), 'prices.csv');
writeFileSync(
  priceCard,
  'country_calling_code,category,price,currency\n44,marketing,0.05,USD\n4479,marketing,0.0725,USD\n',
);

const ts = useConsole({ env: { PRICE_CARD: priceCard } });

let campaignId: string;
let draftId: string;
let analyst: { email: string; password: string };

/**
 * A completed campaign of yesterday: 20 messages, 12 billable marketing (+4479, priced 0.0725),
 * 4 free service, 3 failed with 131049 and Meta's title, 1 with 131026 and no title.
 */
beforeAll(async () => {
  const { sql } = ts.service.ctx.database;
  const f = factories(ts);
  const templateId = await f.template();
  const { campaign, run } = await f.campaignWithRun({
    name: 'Priced sale',
    templateId,
    listIds: [],
    status: 'completed',
  });
  campaignId = campaign.id;
  await sql`
    insert into messages (run_id, campaign_id, phone, kind, status, sent_at, delivered_at,
      failed_at, error, error_code, error_title, pricing_category, billable)
    select ${run.id}, ${campaign.id}, '+4479' || (10000000 + i), 'template',
      (case when i <= 4 then 'failed' else 'delivered' end)::message_status,
      now() - interval '1 day', case when i > 4 then now() - interval '1 day' end,
      case when i <= 4 then now() - interval '1 day' end,
      case when i <= 3 then 'Healthy ecosystem (131049)' when i = 4 then 'Undeliverable (131026)' end,
      case when i <= 3 then 131049 when i = 4 then 131026 end,
      case when i <= 3 then 'This message was not delivered to maintain healthy ecosystem engagement.' end,
      case when i > 8 then 'marketing' when i > 4 then 'service' end,
      case when i > 8 then true when i > 4 then false end
    from generate_series(1, 20) i`;
  // a draft of a marketing template to two UK phones, one of them priced at 4479's price
  const marketing = await f.template(['{{first_name}}']);
  await ts.service.ctx.database.db
    .update(templates)
    .set({ category: 'marketing' })
    .where(eq(templates.id, marketing));
  const listId = await f.list('UK');
  for (const phone of ['+447900000001', '+447800000002']) {
    const contact = await f.contact({ first_name: 'Sam' }, phone);
    await f.addToList(listId, contact.id);
  }
  const draft = await api(ts).post('/v1/campaigns', {
    name: 'Priced draft',
    templateId: marketing,
    listIds: [listId],
  });
  draftId = String(draft.body.id);
  analyst = await ts.createUser('analyst');
});

const cells = (rows: string[][]) => rows.map((row) => row.map((cell) => cell.trim()));

describe('Error codes and pricing in the console', () => {
  it("shows a campaign's failures by code with Meta's titles, the pricing split and the cost", async () => {
    const stats = await api(ts).get(`/v1/campaigns/${campaignId}/stats`);
    expect(stats.body).toMatchObject({
      byErrorCode: { '131049': 3, '131026': 1 },
      estimatedCost: { USD: 0.87 },
    });
    const { page } = await ts.open({ who: analyst });
    await page.goto(`/campaigns/${campaignId}`);
    const section = page.locator('section.codes-pricing');
    await section.getByRole('heading', { name: 'Error codes and pricing' }).waitFor();
    const codes = section.locator('table.error-codes tbody tr');
    const codeRows = [];
    for (let i = 0; i < (await codes.count()); i++)
      codeRows.push(await codes.nth(i).locator('td').allInnerTexts());
    expect(cells(codeRows)).toEqual([
      [
        '131049',
        'This message was not delivered to maintain healthy ecosystem engagement.',
        '3',
        '75.0%',
      ],
      // no title from Meta: the service's own words for the code
      ['131026', expect.stringMatching(/\S/), '1', '25.0%'],
    ]);
    const pricing = section.locator('table.pricing-split tbody tr');
    expect(cells([await pricing.nth(0).locator('td').allInnerTexts()])).toEqual([
      ['Marketing', '12', '0', '12'],
    ]);
    expect(cells([await pricing.nth(1).locator('td').allInnerTexts()])).toEqual([
      ['Service', '0', '4', '4'],
    ]);
    // 12 × 0.0725
    await section.locator('.estimated-cost').getByText('0.87 USD').waitFor();
    await expectAccessible(page);
  });

  it("shows the period's codes, pricing and cost on Analytics, as the overview answers", async () => {
    const { page } = await ts.open({ who: analyst });
    await page.goto('/analytics?period=7d');
    const section = page.locator('section.codes-pricing');
    await section.getByRole('heading', { name: 'Error codes and pricing' }).waitFor();
    // the webhook's code 131049 without its title here: the service's words for it
    await section.getByRole('cell', { name: '131049' }).waitFor();
    const pricing = await section.locator('table.pricing-split tbody tr').allInnerTexts();
    expect(pricing.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      'Marketing 12 0 12',
      'Service 0 4 4',
    ]);
    await section.locator('.estimated-cost').getByText('0.87 USD').waitFor();
    // an analyst finds the per-sender figures of the same period in the API
    expect(await page.locator('details.api-links').textContent()).toContain(
      'GET /v1/senders/{senderId}/stats?from=',
    );
    await expectAccessible(page);
  });

  it("adds the run's estimated cost to the launch preview's figures", async () => {
    const preview = await api(ts).get(`/v1/campaigns/${draftId}/preview`);
    expect(preview.body.estimatedCost).toMatchObject({ currency: 'USD', total: 0.1225 });
    const marketer = await ts.createUser('marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${draftId}/launch`);
    await page.getByText('Estimated cost').waitFor();
    await page
      .getByText('About 0.12 USD for 2 recipients at the marketing price of the price card')
      .waitFor();
    await expectAccessible(page);
  });

  it('reads at 375 px', async () => {
    const { page } = await ts.open({ who: analyst, width: 375 });
    for (const path of [`/campaigns/${campaignId}`, '/analytics?period=7d']) {
      await page.goto(path);
      await page.locator('section.codes-pricing').waitFor();
      const width = await page.evaluate('document.documentElement.scrollWidth');
      expect(width, path).toBeLessThanOrEqual(375);
    }
  });
});
