import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type Json } from '../helpers/api';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';
import { factories } from '../helpers/factories';

const ts = useConsole();

/**
 * Three finished campaigns of the last days, their messages in every outcome, each event at its
 * own time (direct inserts: the dispatcher cannot send in the past), and a failure reason each.
 */
beforeAll(async () => {
  const { sql } = ts.service.ctx.database;
  const f = factories(ts);
  const templateId = await f.template();
  const campaigns = [
    { name: 'Autumn sale', size: 120, replyEvery: 5, reason: 'Phone is not valid' },
    { name: 'Black Friday', size: 300, replyEvery: 7, reason: 'The number is not on WhatsApp' },
    { name: 'Cyber Monday', size: 60, replyEvery: 3, reason: 'Phone is not valid' },
  ];
  for (const [k, c] of campaigns.entries()) {
    const { campaign, run } = await f.campaignWithRun({
      name: c.name,
      templateId,
      listIds: [],
      status: 'completed',
    });
    await sql`update runs set status = 'completed', started_at = now() - ${`${k + 2} days`}::interval,
      finished_at = now() - ${`${k + 1} days`}::interval where id = ${run.id}`;
    await sql`
      insert into messages (run_id, campaign_id, phone, kind, status, sent_at, delivered_at,
        read_at, replied_at, failed_at, error)
      select ${run.id}, ${campaign.id}, '+4915' || (1000000 * ${k + 1} + i), 'template',
        (case when i % 10 = 0 then 'failed' when i % 2 = 0 then 'read' else 'delivered' end)::message_status,
        case when i % 10 <> 0 then now() - (i % 4) * interval '1 day' - interval '3 hours' end,
        case when i % 10 <> 0 then now() - (i % 4) * interval '1 day' - interval '2 hours' end,
        case when i % 2 = 0 and i % 10 <> 0 then now() - (i % 4) * interval '1 day' - interval '1 hour' end,
        case when i % ${c.replyEvery} = 0 and i % 10 <> 0 then now() - (i % 4) * interval '1 day' - interval '1 hour' end,
        case when i % 10 = 0 then now() - (i % 4) * interval '1 day' end,
        case when i % 10 = 0 then ${c.reason}::text end
      from generate_series(1, ${c.size}) i`;
  }
});

/** The first and the day after the last of the period the page shows (its custom fields). */
async function shownPeriod(page: Page) {
  const first = await page.getByLabel('First day').inputValue();
  const last = await page.getByLabel('Last day').inputValue();
  const after = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return `from=${first}&to=${after}&timezone=${encodeURIComponent('Europe/Paris')}`;
}

const number = (text: string) => Number(text.replaceAll(',', '').replace('%', ''));

/** The campaigns table's rows, as cell texts, and each row's campaign id. */
async function tableRows(page: Page) {
  const rows = page.locator('table.campaigns-compared tbody tr');
  const out: { id: string; cells: string[] }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const href = (await row.getByRole('link').getAttribute('href')) ?? '';
    out.push({
      id: href.split('/').pop() ?? '',
      cells: await row.locator('th, td').allInnerTexts(),
    });
  }
  return out;
}

describe('Analytics', () => {
  it("shows an analyst the API's own figures: the overview, each campaign's stats, the failures", async () => {
    const analyst = await ts.createUser('analyst');
    const { page } = await ts.open({ who: analyst });
    await page.goto('/analytics?period=7d');
    const period = await shownPeriod(page);

    const overview = await api(ts).get(`/v1/stats/overview?${period}&interval=day`);
    expect(overview.status).toBe(200);
    const totals = overview.body.totals as Record<string, number>;
    expect(totals.sent).toBeGreaterThan(0);
    for (const step of ['sent', 'delivered', 'read', 'replied'])
      expect(
        number(await page.locator(`.funnel .state-${step} .funnel-value`).innerText()),
        step,
      ).toBe(totals[step]);
    expect(await page.locator('.funnel-failed').innerText()).toContain(`${totals.failed} failed`);

    // the chart's table: every bucket of the overview
    await page.getByText("The chart's figures as a table").click();
    const buckets = page.locator('.chart-figures tbody tr');
    const series = overview.body.series as Record<string, number>[];
    expect(await buckets.count()).toBe(series.length);
    for (const [i, bucket] of series.entries()) {
      const cells = (await buckets.nth(i).locator('td').allInnerTexts()).map(number);
      expect(cells).toEqual([
        bucket.sent,
        bucket.delivered,
        bucket.read,
        bucket.replied,
        bucket.failed,
      ]);
    }

    // each campaign's figures are those of its own stats
    const rows = await tableRows(page);
    expect(rows.map((r) => r.cells[0])).toEqual(['Black Friday', 'Autumn sale', 'Cyber Monday']);
    for (const row of rows) {
      const stats = (await api(ts).get(`/v1/campaigns/${row.id}/stats`)).body as Record<
        string,
        number
      >;
      const [, , audience, sent, delivered, read, replied, failed] = row.cells.map(number);
      expect({ audience, sent, delivered, read, replied, failed }).toEqual({
        audience: stats.audience,
        sent: stats.sent,
        delivered: stats.delivered,
        read: stats.read,
        replied: stats.replied,
        failed: stats.failed,
      });
      expect(row.cells[10]).toBe(`${((stats.replyRate ?? 0) * 100).toFixed(1)}%`);
    }

    const failures = (await api(ts).get(`/v1/stats/failures?${period}`)).body;
    const reasons = await page
      .locator('section[aria-labelledby="failures-title"] tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
    expect(reasons.map(([reason, count]) => ({ reason, count: number(count ?? '') }))).toEqual(
      (failures.reasons as Json[]).map((r) => ({ reason: r.reason, count: r.count })),
    );
    expect(await page.getByRole('button', { name: /Start|Send|Delete/ }).count()).toBe(0);
    await expectAccessible(page);
  });

  it('sorts the campaigns on the server, saying so with aria-sort', async () => {
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/analytics?period=7d');
    const header = (name: string) =>
      page.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    expect(await header('Sent').getAttribute('aria-sort')).toBe('descending');

    await header('Reply rate').getByRole('link').click();
    await page.waitForURL(/sort=replyRate&order=desc/);
    expect(await header('Reply rate').getAttribute('aria-sort')).toBe('descending');
    expect(await header('Sent').getAttribute('aria-sort')).toBeNull();
    const rates = (await tableRows(page)).map((r) => number(r.cells[10] ?? ''));
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect((await tableRows(page)).map((r) => r.cells[0])).toEqual([
      'Cyber Monday',
      'Black Friday',
      'Autumn sale',
    ]);

    await header('Reply rate').getByRole('link').click();
    await page.waitForURL(/sort=replyRate&order=asc/);
    expect(await header('Reply rate').getAttribute('aria-sort')).toBe('ascending');
    expect((await tableRows(page)).map((r) => r.cells[0])).toEqual([
      'Autumn sale',
      'Black Friday',
      'Cyber Monday',
    ]);
    // the period picker keeps the sort
    await page.getByRole('link', { name: 'Last 30 days' }).click();
    await page.waitForURL(/period=30d/);
    expect(await header('Reply rate').getAttribute('aria-sort')).toBe('ascending');
    await expectAccessible(page);
  });

  it('downloads the campaigns table as CSV, the same rows as the table', async () => {
    const { page } = await ts.open({ who: await ts.createUser('analyst') });
    await page.goto('/analytics?period=7d&sort=name&order=asc');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this table as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^campaigns-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const text = await readFile(await download.path(), 'utf8');
    const lines = text
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    const headers = await page
      .locator('table.campaigns-compared thead th')
      .evaluateAll((ths) => ths.map((th) => th.textContent?.replace(/[▲▼]/g, '').trim()));
    expect(lines[0]).toEqual(headers);
    const rows = await tableRows(page);
    expect(lines.slice(1)).toEqual(
      rows.map((r) => r.cells.map((cell) => cell.replace(/(\d),(\d)/g, '$1$2'))),
    );
    expect(rows.map((r) => r.cells[0])).toEqual(['Autumn sale', 'Black Friday', 'Cyber Monday']);
  });

  it('says so when nothing was sent in a period, and refuses a period that ends before it starts', async () => {
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/analytics');
    await page.getByLabel('First day').fill('2001-01-01');
    await page.getByLabel('Last day').fill('2001-01-31');
    await page.getByRole('button', { name: 'Show these days' }).click();
    await page.getByRole('heading', { name: 'Nothing was sent in this period' }).waitFor();
    expect(await page.locator('.subtitle').innerText()).toContain('1 Jan – 31 Jan 2001');
    await expectAccessible(page);

    await page.getByLabel('First day').fill('2001-02-10');
    await page.getByLabel('Last day').fill('2001-02-01');
    await page.getByRole('button', { name: 'Show these days' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('.field-error').innerText()).toContain(
      'The last day must be the first day or after it',
    );
    await expectAccessible(page);
  });

  it('reads on a 375 px screen: the chart is drawn for it', async () => {
    const { page } = await ts.open({ who: consoleAdmin, width: 375 });
    await page.goto('/analytics?period=7d');
    expect(await page.locator('svg.chart-narrow').isVisible()).toBe(true);
    expect(await page.locator('svg.chart-wide').isVisible()).toBe(false);
    const box = await page.locator('svg.chart-narrow').boundingBox();
    expect(box?.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await expectAccessible(page);
  });
});
