// The launch preview's delivery figures in the console (docs/design.md, rules 35 and 37): who
// the frequency cap would skip, who is outside their send window at the start, the chart of
// when they would be sent with its table, and the warnings in words.
import { describe, expect, it } from 'vitest';
import { api, createCampaign, waitCompleted } from '../helpers/api';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';
import { factories } from '../helpers/factories';
import { fitsWidth } from '../helpers/layout';

const ts = useConsole({ env: { SEND_RATE_PER_SECOND: '10' } });

const HOUR = 3_600_000;
const clockOf = (date: Date) => date.toISOString().slice(11, 16);

describe('the launch page of a campaign with a send window and a frequency cap', () => {
  it('shows those capped and outside their window, when each hour sends, and why', async () => {
    const f = factories(ts);
    const templateId = await f.template(['{{first_name}}']);
    const listId = await f.list();
    const earlier = await f.list('earlier');
    const zones = ['UTC', 'UTC', 'Etc/GMT-6', 'Etc/GMT-6', 'Etc/GMT-6', 'UTC'];
    for (const [i, timezone] of zones.entries()) {
      const contact = await f.contact({ first_name: 'Ana', timezone }, `+1555000010${i}`);
      await f.addToList(listId, contact.id);
      if (i === 0) await f.addToList(earlier, contact.id);
    }
    const first = await createCampaign(ts, { templateId, listIds: [earlier], sendWindow: null });
    expect((await api(ts).post(`/v1/campaigns/${String(first.id)}/start`)).status).toBe(200);
    await waitCompleted(ts, String(first.id));
    const now = new Date();
    const campaign = await createCampaign(ts, {
      templateId,
      listIds: [listId],
      // open in UTC now, closed in UTC+6
      sendWindow: {
        from: clockOf(new Date(now.getTime() - 3 * HOUR)),
        to: clockOf(new Date(now.getTime() + 2 * HOUR)),
      },
      frequencyCap: { max: 1, days: 7 },
    });
    const id = String(campaign.id);

    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto(`/campaigns/${id}/launch?count=1`);
    const figure = (label: string) => page.locator(`[data-figure="${label}"]`).textContent();
    expect(await figure('Will be sent the template')).toBe('6');
    expect(await figure('Of those, skipped by the frequency cap now')).toBe('1');
    expect(await figure('Of those, outside their send window now')).toBe('3');
    const notice = page.getByRole('note');
    await notice
      .getByText(/^3 recipients \(50%\) are outside their send window at the start/)
      .waitFor();
    await notice
      .getByText('1 recipient already got as many templates as the frequency cap')
      .waitFor();
    const chart = page.getByRole('img', { name: /Recipients sent each hour, from the start/ });
    // one drawing shows at a time (CSS), the other is hidden
    expect(await chart.count()).toBe(1);
    const table = page.getByRole('table', { name: /Recipients sent by hour/ });
    await page.getByText("The chart's figures as a table (2 hours with sends)").click();
    const counts = await table.locator('td').allTextContents();
    expect(counts).toEqual(['3', '3']);
    await expectAccessible(page);
    await page.screenshot({ path: '/tmp/launch-windows-1440.png', fullPage: true });

    const { page: phone } = await ts.open({ who: consoleAdmin, width: 375 });
    await phone.goto(`/campaigns/${id}/launch?count=1`);
    await phone.locator('[data-figure="Will be sent the template"]').waitFor();
    expect(await fitsWidth(phone)).toBe(true);
    await phone.screenshot({ path: '/tmp/launch-windows-375.png', fullPage: true });
  });
});
