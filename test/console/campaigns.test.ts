import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/api';
import { expectAccessible, useConsole } from '../helpers/console';
import { campaignOver, inWords, manyDrafts, statsOf, statusOf } from '../helpers/console-campaigns';
import { waitFor } from '../helpers/service';

// One attempt: a refused send fails at once; a provider timeout of 1 s makes `unknown` quick.
const ts = useConsole({ env: { SEND_MAX_ATTEMPTS: '1' } });
let marketer: { email: string; password: string };
let analyst: { email: string; password: string };
beforeAll(async () => {
  marketer = await ts.createUser('marketer', 'Mia Marketer');
  analyst = await ts.createUser('analyst', 'Ana Analyst');
});

const textOf = (page: Page, selector: string) => page.locator(selector).first().textContent();

/** Opens the page twice: the first visit tells the server the browser's zone (wbs_tz). */
async function openInZone(page: Page, path: string) {
  await page.goto(path);
  await page.reload();
}

describe('the campaigns list', () => {
  it('says what to do first when there is no campaign, with the action for those who may', async () => {
    const { page } = await ts.open({ who: marketer });
    await page.goto('/campaigns');
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    await page.getByText('Create one to send a template to your lists.').waitFor();
    const actions = page.getByRole('link', { name: 'New campaign' });
    expect(await actions.count()).toBe(1);
    expect(await actions.getAttribute('href')).toBe('/campaigns/new');
    await expectAccessible(page);
    const { page: reader } = await ts.open({ who: analyst });
    await reader.goto('/campaigns');
    await reader.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    expect(await reader.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
  }, 60_000);

  it('filters by state with counts, shows each row’s key figure, and pages by Load more', async () => {
    const draft = await campaignOver(ts, 1, { name: 'Draft one' });
    const scheduled = await campaignOver(ts, 1, {
      name: 'Weekly digest',
      schedule: { cron: '0 9 * * MON', timezone: 'Europe/Paris' },
    });
    const finished = await campaignOver(ts, 2, { name: 'Done deal' }, { start: true });
    await waitFor(async () => (await statusOf(ts, finished)) === 'completed', {
      timeoutMs: 20_000,
    });
    const { page } = await ts.open({ who: marketer });
    await openInZone(page, '/campaigns');
    const filters = page.getByRole('navigation', { name: 'Filter campaigns by state' });
    expect(await filters.getByRole('link').allTextContents()).toEqual([
      'All 3',
      'Running 0',
      'Scheduled 1',
      'Drafts 1',
      'Paused 0',
      'Finished 1',
    ]);
    await expectAccessible(page);

    await filters.getByRole('link', { name: /Scheduled/ }).click();
    await page.waitForURL('**/campaigns?show=scheduled');
    const rows = page.locator('#campaign-rows tr');
    expect(await rows.count()).toBe(1);
    // next Monday 09:00 in Paris, in the viewer's zone (the browser's is Europe/Paris)
    expect(await rows.first().textContent()).toMatch(
      /Weekly digest[\s\S]*next: Mon \d+ \w+( \d{4})?, 09:00 Europe\/Paris/,
    );

    await filters.getByRole('link', { name: /Finished/ }).click();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(
      /Done deal[\s\S]*Completed[\s\S]*0\.0% replied · 0 of 2 sent/,
    );

    await filters.getByRole('link', { name: /Drafts/ }).click();
    expect(await rows.first().textContent()).toContain('Not scheduled yet');
    await rows.first().getByRole('link', { name: 'Draft one' }).click();
    await page.waitForURL(`**/campaigns/${draft}`);
    expect(await page.getByRole('link', { name: 'Review and start' }).getAttribute('href')).toBe(
      `/campaigns/${draft}/launch`,
    );
    expect(await page.getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe(
      `/campaigns/${draft}/edit`,
    );
    await expectAccessible(page);

    // past a page of 50: the next page is appended in place
    await manyDrafts(ts, 50);
    await page.goto('/campaigns');
    expect(await rows.count()).toBe(50);
    await page.getByRole('link', { name: 'Load more campaigns' }).click();
    await waitFor(async () => (await rows.count()) === 53, { what: 'the next page of campaigns' });
    expect(await page.getByRole('link', { name: 'Load more campaigns' }).count()).toBe(0);
    expect(new URL(page.url()).search).toBe('');
    expect(scheduled).toBeTruthy();
  }, 120_000);
});

describe('a campaign page', () => {
  it('pauses, resumes and cancels a running campaign, cancel asked in numbers', async () => {
    // one send a 100 s: the figures hold still while the test reads them
    const id = await campaignOver(
      ts,
      6,
      { name: 'Slow sale', ratePerSecond: 0.01 },
      { start: true },
    );
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}`);
    await page.getByRole('heading', { name: 'Slow sale', level: 1 }).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForURL(`**/campaigns/${id}?done=paused`);
    await page.getByText('Paused: nothing more is sent until you resume it.').waitFor();
    expect(await statusOf(ts, id)).toBe('paused');

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(`**/campaigns/${id}?done=resumed`);
    expect(await statusOf(ts, id)).toBe('running');

    await page.getByRole('link', { name: 'Cancel campaign…' }).click();
    await page.waitForURL(`**/campaigns/${id}/cancel`);
    const { pending } = await statsOf(ts, id);
    expect(pending).toBeGreaterThan(0);
    await page.getByText(`${inWords(pending)} pending messages will not be sent.`).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.waitForURL(`**/campaigns/${id}?done=cancelled`);
    expect(await statusOf(ts, id)).toBe('cancelled');
    expect(await textOf(page, '.subtitle')).toContain('Cancelled');
    // a cancelled campaign offers nothing more
    expect(await page.locator('.campaign-actions a, .campaign-actions button').count()).toBe(0);
  }, 90_000);

  it('asks before sending unknown messages again: how many, and that some may get it twice', async () => {
    ts.provider.respondWith(() => ({
      status: 200,
      delayMs: 1500,
      body: { sent: true, id: 'late' },
    }));
    const id = await campaignOver(ts, 3, { name: 'Timeouts', ratePerSecond: 100 }, { start: true });
    await waitFor(async () => (await statusOf(ts, id)) === 'completed', { timeoutMs: 20_000 });
    ts.provider.respondWith(undefined);
    expect((await statsOf(ts, id)).unknown).toBe(3);
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}`);
    await page.getByRole('link', { name: 'Send 3 unknown again…' }).click();
    await page.waitForURL(`**/campaigns/${id}/retry?status=unknown`);
    await page
      .getByText(
        '3 messages whose outcome is unknown will be sent again; some of these people may get the message twice.',
      )
      .waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send 3 messages again' }).click();
    await page.waitForURL(`**/campaigns/${id}?done=retried`);
    await waitFor(async () => (await statsOf(ts, id)).sent === 3, { what: 'the resend' });
  }, 90_000);

  it('filters its messages, loads more of them, and downloads them as CSV', async () => {
    // every third phone refused by the provider
    let n = 0;
    ts.provider.respondWith(() =>
      ++n % 3 === 0
        ? { status: 200, body: { sent: false, message: 'Phone is not valid' } }
        : undefined,
    );
    const id = await campaignOver(
      ts,
      60,
      { name: 'Big list', ratePerSecond: 500 },
      { start: true },
    );
    await waitFor(async () => (await statusOf(ts, id)) === 'completed', { timeoutMs: 20_000 });
    ts.provider.respondWith(undefined);
    const { failed, sent } = await statsOf(ts, id);
    expect(failed).toBe(20);
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}`);
    const rows = page.locator('#message-rows tr');
    expect(await rows.count()).toBe(50);
    await page.getByRole('link', { name: 'Load more messages' }).click();
    await waitFor(async () => (await rows.count()) === 60, { what: 'the next page of messages' });

    await page.getByLabel('State').selectOption('failed');
    await page.getByRole('button', { name: 'Show messages' }).click();
    await page.waitForURL(`**/campaigns/${id}?status=failed#messages`);
    expect(await rows.count()).toBe(failed);
    expect(await rows.first().textContent()).toContain('Phone is not valid');
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download failed messages (CSV)' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^id,runId,contactId,phone,kind,status/);
    expect(lines).toHaveLength(failed + 1);
    expect(lines.slice(1).every((line) => line.includes(',failed,'))).toBe(true);
    expect(sent).toBe(40);
  }, 90_000);

  it("shows the latest run's messages, and an earlier run's when it is chosen", async () => {
    const id = await campaignOver(ts, 3, {
      name: 'Two runs',
      schedule: { cron: '0 0 1 1 *', timezone: 'UTC' },
    });
    // started by hand twice; the provider refuses every send of the second run
    for (const expected of [1, 2]) {
      if (expected === 2)
        ts.provider.respondWith((request) =>
          request.path === '/sendTemplate'
            ? { status: 200, body: { sent: false, message: 'Phone is not valid' } }
            : undefined,
        );
      expect((await api(ts).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
      await waitFor(
        async () => {
          const runs = (await api(ts).get(`/v1/campaigns/${id}/runs`)).body.data as {
            status: string;
          }[];
          return runs.length === expected && (await statusOf(ts, id)) === 'scheduled';
        },
        { timeoutMs: 20_000, what: `run ${expected} to end` },
      );
    }
    ts.provider.respondWith(undefined);
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}`);
    const states = page.locator('#message-rows tr td:nth-child(3)');
    const shown = async () => (await states.allTextContents()).map((text) => text.trim());
    expect(await shown()).toEqual(['Failed', 'Failed', 'Failed']);
    const runChoice = page.getByLabel('Run', { exact: true });
    expect(await runChoice.locator('option').count()).toBe(2);
    const earlier = await runChoice.locator('option').nth(1).getAttribute('value');
    await runChoice.selectOption(earlier ?? '');
    await page.getByRole('button', { name: 'Show messages' }).click();
    await page.waitForURL((url) => url.searchParams.get('run') === earlier);
    expect(await shown()).toEqual(['Sent', 'Sent', 'Sent']);
    const download = page.getByRole('link', { name: 'Download all messages of this run (CSV)' });
    expect(await download.getAttribute('href')).toContain(`run=${earlier}`);
    await expectAccessible(page);
  }, 90_000);

  it('shows an analyst the figures without any action, and answers a forged action with 403', async () => {
    const id = await campaignOver(
      ts,
      3,
      { name: 'Read only', ratePerSecond: 0.01 },
      { start: true },
    );
    expect((await api(ts).post(`/v1/campaigns/${id}/pause`)).status).toBe(200);
    const { page } = await ts.open({ who: analyst });
    await page.goto(`/campaigns/${id}`);
    await page.getByRole('heading', { name: 'Read only', level: 1 }).waitFor();
    expect(await page.locator('.campaign-actions').count()).toBe(0);
    await page.getByRole('link', { name: 'Download all messages (CSV)' }).waitFor();
    await expectAccessible(page);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    for (const action of ['resume', 'cancel']) {
      const forged = await page.request.post(`/campaigns/${id}/${action}`, {
        form: { _csrf: csrf },
      });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain('You cannot do this');
    }
    const confirmation = await page.request.get(`/campaigns/${id}/cancel`);
    expect(confirmation.status()).toBe(403);
    expect(await statusOf(ts, id)).toBe('paused');
  }, 90_000);

  it('reads at 375 px: the figures, the actions and the tables fit the screen', async () => {
    const id = await campaignOver(
      ts,
      4,
      { name: 'Phone view', ratePerSecond: 0.01 },
      { start: true },
    );
    const { page } = await ts.open({ who: marketer, width: 375 });
    for (const path of ['/campaigns', `/campaigns/${id}`, `/campaigns/${id}/cancel`]) {
      await page.goto(path);
      const width = await page.evaluate('document.documentElement.scrollWidth');
      expect(width, path).toBeLessThanOrEqual(375);
    }
    await page.goto(`/campaigns/${id}`);
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await page.locator('.figure', { hasText: 'Pending' }).waitFor();
    // chat-api codes and prices nothing, and there is no price card: no such section
    expect(await page.locator('section.codes-pricing').count()).toBe(0);
  }, 90_000);
});
