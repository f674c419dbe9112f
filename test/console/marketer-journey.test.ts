import { describe, expect, it } from 'vitest';
import { api } from '../helpers/api';
import { expectAccessible, useConsole } from '../helpers/console';
import { waitFor } from '../helpers/service';

const ts = useConsole();

/** Local German numbers in a `mobile` column: the phone column and the country are chosen. */
const customers = [
  'first_name,city,mobile',
  'Anna,Berlin,0151 12345101',
  'Ben,,0151 12345102',
  'Clara,Munich,0151 12345103',
  'Eve,Paris,not a number',
].join('\n');

describe("a marketer's first campaign, from a CSV to its final figures", () => {
  it('uploads with a preview, builds a template, creates a campaign with a follow-up, reads the launch preview, starts it and watches it complete', async () => {
    const marketer = await ts.createUser('marketer', 'Mia Marketer');
    const { page } = await ts.open({ who: marketer });

    // Audiences: a list, then the CSV with its preview, the phone column and the country chosen.
    await page.goto('/audiences');
    await page.getByRole('link', { name: 'New list' }).click();
    await page.getByLabel('Name').fill('Spring customers');
    await page.getByRole('button', { name: 'Create the list' }).click();
    await page.waitForURL(/\/audiences\/lists\/[^/]+\/upload/);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(customers),
    });
    await page.locator('[data-preview] h2').waitFor();
    await page.getByLabel('Phone column').selectOption('mobile');
    await page.getByLabel('Country of numbers without a country code').selectOption('DE');
    await page.getByText('1 row would be refused').waitFor();
    await page.getByRole('button', { name: 'Import 3 rows' }).click();
    await page.waitForURL(/\/audiences\/imports\/[^/]+$/);
    await page.getByText('Finished: the figures above are final.').waitFor();
    expect(await page.locator('[data-live="created"]').innerText()).toBe('3');
    expect(await page.locator('[data-live="invalid"]').innerText()).toBe('1');

    // Templates: written with its preview for a contact of the list, a fallback shown.
    await page.goto('/templates');
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel('Template name').fill('spring_sale');
    await page.getByLabel('Namespace').fill('ns_1');
    await page
      .getByLabel('Contact', { exact: true })
      .selectOption({ label: 'Ben · +4915112345102' });
    await page.getByLabel('Parameter {{1}}', { exact: true }).fill('Hi {{first_name|there}}!');
    await page.getByLabel('Parameter {{2}}', { exact: true }).fill('{{city|your city}}');
    const output = page.locator('[data-preview-output]');
    await output.getByText('Hi Ben!').waitFor();
    await output.locator('mark.piece-fallback', { hasText: 'your city' }).waitFor();
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('The template is saved').waitFor();

    // Campaigns: the form with a follow-up, started by hand after its launch preview.
    await page.getByRole('link', { name: 'Use in a new campaign' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Spring sale');
    await page.getByRole('checkbox', { name: /^Spring customers/ }).check();
    await page.getByLabel('Follow-up message (optional)').fill('Thanks {{first_name|}}! SPRING10');
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\/launch/);
    const id = new URL(page.url()).pathname.split('/')[2] ?? '';
    const figure = (label: string) => page.locator(`[data-figure="${label}"]`).textContent();
    expect(await figure('Will be sent the template')).toBe('3');
    await page.getByText('Last message').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Start campaign' }).click();
    await page.waitForURL((url) => url.pathname === `/campaigns/${id}`);

    // The campaign's page follows it live to the end; its figures are the API's.
    await waitFor(
      async () => (await api(ts).get(`/v1/campaigns/${id}`)).body.status === 'completed',
      { timeoutMs: 60_000 },
    );
    const stats = (await api(ts).get(`/v1/campaigns/${id}/stats`)).body;
    expect(stats).toMatchObject({ audience: 3, sent: 3 });
    await page.locator('[data-live="sent"]', { hasText: '3' }).waitFor({ timeout: 30_000 });
    await page.getByText('Completed').first().waitFor({ timeout: 30_000 });
    await expectAccessible(page);
    const campaign = (await api(ts).get(`/v1/campaigns/${id}`)).body;
    expect(campaign).toMatchObject({
      name: 'Spring sale',
      followUp: { body: 'Thanks {{first_name|}}! SPRING10' },
    });
    expect(ts.provider.sends('/sendTemplate')).toHaveLength(3);
  });
});
