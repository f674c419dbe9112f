// The campaign form and its launch preview: a recurring campaign from a preset with a follow-up,
// its next five times in words and a bad cron beside its field; a one-off at a local time in a
// chosen zone; the launch preview's figures and the start; what an analyst may not do.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, type Json } from '../helpers/api';
import { createList, importCsv } from '../helpers/audience';
import { expectAccessible, useConsole, weekdayOf } from '../helpers/console';
import { fitsWidth, withoutScripts } from '../helpers/layout';

const ts = useConsole();
let marketer: { email: string; password: string };
let analyst: { email: string; password: string };
let templateId: string;
/** Anna, Ben (no city) and Clara; Anna again and Zoe (opted out) on the second list. */
let customers: string;
let newsletter: string;
/** Everyone has every column: nobody is skipped. */
let complete: string;

beforeAll(async () => {
  marketer = await ts.createUser('marketer', 'Mia Marketer');
  analyst = await ts.createUser('analyst', 'Ann Analyst');
  customers = await createList(ts, 'Spring customers');
  await importCsv(
    ts,
    customers,
    'phone,first_name,city\n+4915112345001,Anna,Berlin\n+4915112345002,Ben,\n+4915112345003,Clara,Munich\n',
  );
  newsletter = await createList(ts, 'Newsletter');
  await importCsv(
    ts,
    newsletter,
    'phone,first_name,city\n+4915112345001,Anna,Berlin\n+4915112345009,Zoe,Paris\n',
  );
  expect((await api(ts).post('/v1/opt-outs', { phone: '+4915112345009' })).status).toBe(201);
  complete = await createList(ts, 'Complete');
  await importCsv(ts, complete, 'phone,first_name,city\n+4915112345011,Dora,Rome\n');
  const template = await api(ts).post('/v1/templates', {
    name: 'spring_sale',
    namespace: 'ns_1',
    language: { code: 'en' },
    parameters: ['{{first_name|there}}', '{{city}}'],
  });
  templateId = String(template.body.id);
});

const campaigns = async () => (await api(ts).get('/v1/campaigns?limit=1000')).body.data as Json[];

async function fillBasics(page: Page, name: string, lists: string[]) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Template', { exact: true }).selectOption({ label: 'spring_sale (en)' });
  for (const list of lists)
    await page.getByRole('checkbox', { name: new RegExp(`^${list}`) }).check();
}

describe('the campaign form', () => {
  it('makes a recurring campaign from a preset with a follow-up, its next five times in words, a bad cron beside its field', async () => {
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/templates/${templateId}`);
    await page.getByRole('link', { name: 'Use in a new campaign' }).click();
    await page.waitForURL('**/campaigns/new?templateId=*');
    await expectAccessible(page);
    expect(await page.getByLabel('Template', { exact: true }).inputValue()).toBe(templateId);
    await fillBasics(page, 'Monday hello', ['Spring customers']);
    await page
      .getByLabel('Follow-up message (optional)')
      .fill('Thanks {{first_name|}}! Code: SPRING');
    await page.getByLabel(/^Repeatedly/).check();
    // the viewer's zone (the browser's, Europe/Paris) and the first preset
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Europe/Paris');
    const firings = page.locator('[data-firings]');
    await firings.getByText('Every Monday at 09:00 in Europe/Paris').waitFor();
    const times = await firings.locator('li').allTextContents();
    expect(times).toHaveLength(5);
    for (const time of times) expect(time).toMatch(/^Mon \d{1,2} \w{3}( \d{4})?, 09:00$/);
    await page.getByText('Schedule campaign').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Repeat', { exact: true }).selectOption({ label: 'Every day at 10:00' });
    await firings.getByText('Every day at 10:00 in Europe/Paris').waitFor();
    expect(await page.getByLabel('Cron pattern').inputValue()).toBe('0 10 * * *');
    await page.getByLabel('Cron pattern').fill('0 9 * * FUNDAY');
    await page.locator('#f-schedule-cron-error').waitFor();
    expect(await page.getByLabel('Repeat', { exact: true }).inputValue()).toBe('custom');
    expect(await firings.locator('li').count()).toBe(0);
    await page.getByLabel('Cron pattern').fill('0 9 * * MON');
    await firings.getByText('Every Monday at 09:00 in Europe/Paris').waitFor();
    expect(await page.locator('#f-schedule-cron-error').count()).toBe(0);
    expect(await page.getByLabel('Repeat', { exact: true }).inputValue()).toBe('0 9 * * MON');

    // Ben has no city: a third of the audience would be skipped, so scheduling asks first
    await page.getByRole('button', { name: 'Schedule campaign' }).click();
    await page.getByText('Too many recipients would be skipped').waitFor();
    await page
      .getByText('1 contact (33.3%) has no "city" and no fallback: it will be skipped')
      .waitFor();
    expect(await page.getByLabel('Follow-up message (optional)').inputValue()).toBe(
      'Thanks {{first_name|}}! Code: SPRING',
    );
    await expectAccessible(page);
    await page.getByLabel('Schedule anyway, skipping 1 recipient').check();
    await page.getByRole('button', { name: 'Schedule campaign' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\/launch\?done=created$/);
    await page.getByRole('heading', { name: 'Scheduled' }).waitFor();
    await page.getByText('Every Monday at 09:00 in Europe/Paris').waitFor();
    await expectAccessible(page);
    const [saved] = (await campaigns()).filter((c) => c.name === 'Monday hello');
    expect(saved).toMatchObject({
      status: 'scheduled',
      templateId,
      listIds: [customers],
      schedule: { cron: '0 9 * * MON', timezone: 'Europe/Paris' },
      followUp: { body: 'Thanks {{first_name|}}! Code: SPRING' },
      ratePerSecond: null,
    });
  });

  it('schedules a one-off at a local time in a chosen zone', async () => {
    const { page } = await ts.open({ who: marketer });
    await page.goto('/campaigns/new');
    await fillBasics(page, 'New York morning', ['Complete']);
    await page.getByLabel(/^Once, at a date and time/).check();
    const year = new Date().getUTCFullYear() + 1;
    await page.getByLabel('Date and time', { exact: true }).fill(`${year}-03-02T09:30`);
    await page.getByLabel('Time zone', { exact: true }).selectOption('America/New_York');
    await page
      .locator('[data-firings]')
      .getByText(
        new RegExp(
          `Once, on ${weekdayOf(`${year}-03-02`)} 2 Mar ${year}, 09:30 in America/New_York`,
        ),
      )
      .waitFor();
    await page.getByLabel('Pace (optional)').fill('2');
    await page.getByText('1 message takes less than a second at 2 a second.').waitFor();
    await page.getByRole('button', { name: 'Schedule campaign' }).click();
    await page.waitForURL(/\/launch\?done=created$/);
    const [saved] = (await campaigns()).filter((c) => c.name === 'New York morning');
    // 09:30 in New York on 2 March is 14:30 UTC (EST, before the clocks change)
    expect(saved).toMatchObject({
      status: 'scheduled',
      schedule: { at: `${year}-03-02T14:30:00.000Z` },
      ratePerSecond: 2,
      followUp: null,
    });
  });

  it("sets a campaign's own frequency cap, none, or the account's again", async () => {
    const { page } = await ts.open({ who: marketer });
    await page.goto('/campaigns/new');
    await fillBasics(page, 'Capped', ['Complete']);
    // no FREQUENCY_CAP on this service: the default says that nobody is held back
    expect(await page.getByLabel(/^The account's cap/).isChecked()).toBe(true);
    expect(await page.locator('.frequency-cap').innerText()).toContain('None is set');
    await page.getByLabel(/^This campaign.s own cap/).check();
    await page.getByLabel('In any (days)').fill('7');
    await page.getByLabel('Messages at most').fill('1');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=created$/);
    const [saved] = (await campaigns()).filter((c) => c.name === 'Capped');
    expect(saved?.frequencyCap).toEqual({ max: 1, days: 7 });

    await page.goto(`/campaigns/${String(saved?.id)}/edit`);
    expect(await page.getByLabel(/^This campaign.s own cap/).isChecked()).toBe(true);
    expect(await page.getByLabel('Messages at most').inputValue()).toBe('1');
    await page.getByLabel(/^No cap/).check();
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=changed$/);
    expect((await api(ts).get(`/v1/campaigns/${String(saved?.id)}`)).body.frequencyCap).toBeNull();

    await page.goto(`/campaigns/${String(saved?.id)}/edit`);
    await page.getByLabel(/^The account's cap/).check();
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=changed$/);
    expect((await api(ts).get(`/v1/campaigns/${String(saved?.id)}`)).body).not.toHaveProperty(
      'frequencyCap',
    );
  });

  it('shows the next times and a bad cron beside its field without JavaScript', async () => {
    await withoutScripts(ts, marketer, async (page) => {
      await page.goto('/campaigns/new');
      await page.getByLabel(/^Repeatedly/).check();
      await page.getByLabel('Repeat', { exact: true }).selectOption('custom');
      await page.getByLabel('Cron pattern').fill('61 9 * * *');
      await page.getByRole('button', { name: 'Show the next times' }).click();
      await page.locator('#f-schedule-cron-error').waitFor();
      await page.getByLabel('Cron pattern').fill('0 10 * * *');
      await page.getByRole('button', { name: 'Show the next times' }).click();
      await page.locator('[data-firings]').getByText('Every day at 10:00 in UTC').waitFor();
      expect(await page.locator('[data-firings] li').count()).toBe(5);
      expect(await page.getByLabel('Repeat', { exact: true }).inputValue()).toBe('0 10 * * *');
    });
  });

  it('previews the launch (audience, duplicates, opt-outs, skips, the finish) and starts onto the campaign page', async () => {
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Spring sale',
      templateId,
      listIds: [customers, newsletter],
      ratePerSecond: 5,
    });
    const id = String(created.body.id);
    const { page, problems } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}/launch`);
    const figure = (label: string) => page.locator(`[data-figure="${label}"]`).textContent();
    expect(await figure('Will be sent the template')).toBe('2');
    expect(await figure('Audience, each contact once')).toBe('3');
    expect(await figure('Skipped: missing attributes')).toBe('1');
    expect(await figure('On more than one list')).toBe('1');
    expect(await figure('Opted out, left out')).toBe('1');
    await page.getByText('1 contact is on more than one of the lists').waitFor();
    await page.getByText('1 contact has opted out').waitFor();
    await page.getByText('1 contact (33.3%) has no "city" and no fallback').waitFor();
    await page.getByRole('cell', { name: 'Munich' }).waitFor();
    await page.getByText('Last message').waitFor();
    await page.getByText("5 a second, this campaign's pace").waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Start campaign' }).click();
    await page.getByRole('alert').getByText('Too many recipients would be skipped').waitFor();
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.status).toBe('draft');
    await page.getByLabel('Start anyway, skipping 1 recipient').check();
    await page.getByRole('button', { name: 'Start campaign' }).click();
    await page.waitForURL((url) => url.pathname === `/campaigns/${id}`);
    // The campaign's page belongs to the campaigns area (src/console/campaigns): until it is
    // there, the browser logs its 404 (and its icon's), which are not this page's fault.
    await page.waitForLoadState('networkidle');
    const missing = problems.filter((line) => !line.includes('status of 404'));
    problems.splice(0, problems.length, ...missing);
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.status).not.toBe('draft');
  });

  it('heads the sample’s columns with the body’s parameters, then a synced template’s header and buttons', async () => {
    const template = await api(ts).post('/v1/templates', {
      name: 'header_sample',
      namespace: 'ns_1',
      language: { code: 'en' },
      parameters: ['{{first_name}}'],
    });
    const id = String(template.body.id);
    // as a sync and a PATCH leave a template with a text header and a URL button
    const components = [
      { type: 'HEADER', format: 'TEXT', text: 'Hello {{1}}' },
      { type: 'BODY', text: 'Hi {{1}}' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go', url: 'https://x.example/{{1}}' }] },
    ];
    await ts.service.ctx.database.sql`
      update templates set components = ${JSON.stringify(components)}::jsonb,
        component_parameters = ${JSON.stringify({
          header: '{{city}}',
          buttons: [{ index: 0, value: 'c/{{first_name}}' }],
        })}::jsonb
      where id = ${id}`;
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Header sample',
      templateId: id,
      listIds: [complete],
    });
    const { page } = await ts.open({ who: marketer });
    const fragment = await page.request.get(`/campaigns/${created.body.id}/launch/figures`);
    const html = await fragment.text();
    const headings = [...html.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((match) => match[1]);
    expect(headings).toEqual(expect.arrayContaining(['Phone', '{{1}}', 'Header', 'Button 1']));
    for (const value of ['Dora', 'Rome', 'c/Dora']) expect(html).toContain(`<td>${value}</td>`);
  });

  it('answers the launch page before counting its audience, then loads the figures as a fragment, or inline without JavaScript', async () => {
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Counted later',
      templateId,
      listIds: [customers, newsletter],
    });
    const id = String(created.body.id);
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/campaigns/${id}/launch`);
    await page.locator('[data-figure="Will be sent the template"]').waitFor();
    // the page itself holds no figure: they come from the fragment, in the live region
    const bare = await (await page.request.get(`/campaigns/${id}/launch`)).text();
    expect(bare).not.toContain('data-figure=');
    expect(bare).toContain('Counting the audience…');
    expect(bare).toContain('Start campaign');
    const region = page.locator(`[data-fragment-src="/campaigns/${id}/launch/figures"]`);
    expect(await region.getAttribute('aria-live')).toBe('polite');
    expect(await region.locator('[data-figure="Audience, each contact once"]').textContent()).toBe(
      '3',
    );
    const fragment = await page.request.get(`/campaigns/${id}/launch/figures`);
    expect(fragment.status()).toBe(200);
    expect(fragment.headers()['cache-control']).toBe('no-store');
    const html = await fragment.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(/data-figure="Skipped: missing attributes">1</);
    // the skips' question is a field of the page's start form
    expect(html).toContain('form="start-form"');
    await expectAccessible(page);

    await withoutScripts(ts, marketer, async (plain) => {
      await plain.goto(`/campaigns/${id}/launch`);
      expect(await plain.locator('[data-figure]').count()).toBe(0);
      await plain.getByRole('link', { name: /^Count the audience/ }).click();
      await plain.waitForURL(`**/campaigns/${id}/launch?count=1`);
      expect(await plain.locator('[data-figure="Will be sent the template"]').textContent()).toBe(
        '2',
      );
      await plain.getByLabel('Start anyway, skipping 1 recipient').check();
      await plain.getByRole('button', { name: 'Start campaign' }).click();
      await plain.waitForURL((url) => url.pathname === `/campaigns/${id}`);
    });
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.status).not.toBe('draft');
    const after = await page.request.get(`/campaigns/${id}/launch/figures`);
    expect(after.status()).toBe(200);
    expect(await after.text()).toContain('its page shows how its runs go');
  });

  it('changes a draft, and reads well at 375 px', async () => {
    const { page: wide } = await ts.open({ who: marketer });
    const draft = await api(ts).post('/v1/campaigns', {
      name: 'Wide',
      templateId,
      listIds: [complete],
    });
    await wide.goto(`/campaigns/${String(draft.body.id)}/edit`);
    expect(await wide.getByLabel('Name', { exact: true }).inputValue()).toBe('Wide');
    await expectAccessible(wide);
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Draft',
      templateId,
      listIds: [complete],
    });
    const id = String(created.body.id);
    const { page } = await ts.open({ who: marketer, width: 375 });
    for (const path of ['/campaigns/new', `/campaigns/${id}/launch`, `/campaigns/${id}/edit`]) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await fitsWidth(page), path).toBe(true);
    }
    await page.getByRole('button', { name: 'Save and preview the launch' }).waitFor();
    // Enter in a field saves: the form's first button is a hidden "Save"
    await page.getByLabel('Name', { exact: true }).fill('Draft, renamed');
    await page.getByLabel('Name', { exact: true }).press('Enter');
    await page.waitForURL(`**/campaigns/${id}/launch?done=changed`);
    await page.getByRole('button', { name: 'Start campaign' }).waitFor();
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.name).toBe('Draft, renamed');
  });

  it('gives an analyst the launch preview without its actions, and refuses forged forms', async () => {
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Read only',
      templateId,
      listIds: [complete],
    });
    const id = String(created.body.id);
    const before = (await campaigns()).length;
    const { page } = await ts.open({ who: analyst });
    await page.goto(`/campaigns/${id}/launch`);
    await page.locator('[data-figure="Will be sent the template"]').waitFor();
    expect(await page.getByRole('button', { name: 'Start campaign' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Change the campaign' }).count()).toBe(0);
    await expectAccessible(page);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    expect((await page.request.get('/campaigns/new')).status()).toBe(403);
    const forged = await page.request.post('/campaigns/new', {
      form: { _csrf: csrf, name: 'forged', templateId, listIds: complete, intent: 'save' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('You cannot do this');
    const start = await page.request.post(`/campaigns/${id}/launch`, { form: { _csrf: csrf } });
    expect(start.status()).toBe(403);
    expect((await campaigns()).length).toBe(before);
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.status).toBe('draft');
  });
});
