// A campaign's holdout group in the console: the form's field, and the campaign page's
// comparison of those kept out with those sent (docs/design.md, rule 36).
import { describe, expect, it } from 'vitest';
import { api, campaignSetup, waitCompleted } from '../helpers/api';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';
import { fitsWidth } from '../helpers/layout';
import { deliver, inbound } from '../helpers/webhooks';

const ts = useConsole({ env: { SEND_RATE_PER_SECOND: '500' } });

describe('a holdout group', () => {
  it('is set on the form, and its figures stand beside those sent on the campaign page', async () => {
    const { templateId, listId } = await campaignSetup(ts, 60);
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/campaigns/new');
    await page.getByLabel('Name', { exact: true }).fill('Measured');
    await page.getByLabel('Template', { exact: true }).selectOption(templateId);
    await page.locator(`input[name="listIds"][value="${listId}"]`).check();
    await page.getByLabel('Holdout group, % (optional)').fill('25');
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=created$/);
    const [campaign] = (await api(ts).get('/v1/campaigns?limit=1000')).body.data as {
      id: string;
      name: string;
      holdoutPercent: number;
    }[];
    expect(campaign).toMatchObject({ name: 'Measured', holdoutPercent: 25 });
    const id = String(campaign?.id);
    expect((await api(ts).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitCompleted(ts, id);

    // a few of those sent write back
    const sent = await ts.service.ctx.database.sql<{ phone: string }[]>`
      select phone from messages where campaign_id = ${id} and status = 'sent' limit 5`;
    for (const { phone } of sent) await deliver(ts, inbound(phone));
    const stats = (await api(ts).get(`/v1/campaigns/${id}/stats`)).body;
    expect(stats.heldOut).toBeGreaterThan(0);

    await page.goto(`/campaigns/${id}`);
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: 'Against the holdout group' }),
    });
    await section.waitFor();
    const text = await section.innerText();
    expect(text).toContain(`Kept out\n${stats.heldOut}`);
    expect(text).toMatch(/Uplift\n\+\d+\.\d points? \(95% interval: /);
    expect(text).toMatch(/not yet a measured effect|made a difference/);
    await expectAccessible(page);
    const { page: phone } = await ts.open({ who: consoleAdmin, width: 375 });
    await phone.goto(`/campaigns/${id}`);
    expect(await fitsWidth(phone)).toBe(true);
  });

  it('is absent from a campaign without one', async () => {
    const { templateId, listId } = await campaignSetup(ts, 2);
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Plain',
      templateId,
      listIds: [listId],
    });
    const id = String(created.body.id);
    expect((await api(ts).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitCompleted(ts, id);
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto(`/campaigns/${id}`);
    await page.getByRole('heading', { name: 'What it sends' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Against the holdout group' }).count()).toBe(0);
  });
});
