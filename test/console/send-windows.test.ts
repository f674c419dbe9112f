// Send windows and local-time schedules in the console (docs/design.md, rule 37): the campaign
// form's send window (the account's quiet hours, any time, or its own hours) and its errors
// beside the fields, a one-off at a time in each recipient's own zone, and the campaign page's
// words, with how many messages wait for their window and when the next opens.
import { describe, expect, it } from 'vitest';
import { api, campaignSetup, type Json } from '../helpers/api';
import { consoleAdmin, expectAccessible, useConsole, weekdayOf } from '../helpers/console';
import { factories } from '../helpers/factories';
import { fitsWidth } from '../helpers/layout';
import { waitFor } from '../helpers/service';

const ts = useConsole({ env: { QUIET_HOURS: '21:00-08:00' } });

const shots = process.env.SCREENSHOTS_DIR;

async function campaignNamed(name: string): Promise<Json> {
  const all = (await api(ts).get('/v1/campaigns?limit=1000')).body.data as Json[];
  const found = all.find((c) => c.name === name);
  if (!found) throw new Error(`no campaign ${name}`);
  return found;
}

/** HH:MM in UTC, `hours` from now. */
// From one instant taken once: two readings of the clock a minute apart named different minutes.
const clockIn = (hours: number, from: number) =>
  new Date(from + hours * 3_600_000).toISOString().slice(11, 16);

describe('the send window on the campaign form', () => {
  it('sets its own hours, days and deadline; then any time; then the account default again', async () => {
    const { templateId, listId } = await campaignSetup(ts, 1);
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/campaigns/new');
    const field = page.locator('.send-window');
    // QUIET_HOURS said in words, and chosen
    const quiet = page.getByLabel(
      /^Account default: quiet from 21:00 to 08:00 in each recipient's time/,
    );
    expect(await quiet.isChecked()).toBe(true);
    // the own hours show only once chosen
    expect(await page.getByLabel('From', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('Name', { exact: true }).fill('Office hours');
    await page.getByLabel('Template', { exact: true }).selectOption(templateId);
    await page.locator(`input[name="listIds"][value="${listId}"]`).check();
    await page.getByLabel(/^Only between these hours/).check();
    await page.getByLabel('From', { exact: true }).fill('09:00');
    await page.getByLabel('To', { exact: true }).fill('20:00');
    for (const day of [
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ])
      expect(await field.getByLabel(day).isChecked(), day).toBe(true);
    await field.getByLabel('Saturday').uncheck();
    await field.getByLabel('Sunday').uncheck();
    await page.getByLabel('Stop waiting after (hours, optional)').fill('48');
    await expectAccessible(page);
    if (shots) await page.screenshot({ path: `${shots}/form-1440.png`, fullPage: true });
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=created$/);
    const saved = await campaignNamed('Office hours');
    expect(saved.sendWindow).toEqual({
      from: '09:00',
      to: '20:00',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      deadlineHours: 48,
    });
    const id = String(saved.id);

    await page.goto(`/campaigns/${id}`);
    await page
      .getByText(
        "Sends 09:00–20:00 in each recipient's time, Mon–Fri; messages still waiting 48 hours after the start expire",
      )
      .waitFor();

    await page.goto(`/campaigns/${id}/edit`);
    expect(await page.getByLabel(/^Only between these hours/).isChecked()).toBe(true);
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('09:00');
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('20:00');
    expect(await field.getByLabel('Saturday').isChecked()).toBe(false);
    expect(await field.getByLabel('Friday').isChecked()).toBe(true);
    expect(await page.getByLabel('Stop waiting after (hours, optional)').inputValue()).toBe('48');
    await page.getByLabel(/^Any time/).check();
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=changed$/);
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.sendWindow).toBeNull();
    await page.goto(`/campaigns/${id}`);
    expect(await page.locator('.send-window-words').innerText()).toBe('Any time');

    await page.goto(`/campaigns/${id}/edit`);
    expect(await page.getByLabel(/^Any time/).isChecked()).toBe(true);
    await quiet.check();
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/launch\?done=changed$/);
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body).not.toHaveProperty('sendWindow');
    await page.goto(`/campaigns/${id}`);
    expect(await page.locator('.send-window-words').innerText()).toBe(
      "Quiet hours 21:00–08:00 in each recipient's time (account default)",
    );
  });

  it("shows the API's errors beside the window's fields", async () => {
    const { templateId, listId } = await campaignSetup(ts, 1);
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/campaigns/new');
    await page.getByLabel('Name', { exact: true }).fill('Bad window');
    await page.getByLabel('Template', { exact: true }).selectOption(templateId);
    await page.locator(`input[name="listIds"][value="${listId}"]`).check();
    await page.getByLabel(/^Only between these hours/).check();
    await page.getByLabel('From', { exact: true }).fill('09:00');
    await page.getByLabel('To', { exact: true }).fill('09:00');
    for (const day of [
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ])
      await page.locator('.send-window').getByLabel(day).uncheck();
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.getByText('There is a problem').waitFor();
    expect(await page.locator('#f-sendWindow-to-error').innerText()).toContain(
      'must differ from “From”',
    );
    expect(await page.locator('#f-sendWindow-days .error-message').innerText()).toContain(
      'at least one day',
    );
    // the choice and the hours stay as given, the own hours shown
    expect(await page.getByLabel(/^Only between these hours/).isChecked()).toBe(true);
    expect(await page.getByLabel('To', { exact: true }).isVisible()).toBe(true);
    await page.locator('.error-summary a', { hasText: 'Send window to' }).waitFor();
    await expectAccessible(page);
    if (shots) await page.screenshot({ path: `${shots}/form-errors-1440.png`, fullPage: true });
    expect((await api(ts).get('/v1/campaigns?limit=1000')).body.data).not.toContainEqual(
      expect.objectContaining({ name: 'Bad window' }),
    );
  });
});

describe('a one-off in each recipient’s own time', () => {
  it('is asked for by a box under the time, said in words, and shown again when changed', async () => {
    const { templateId, listId } = await campaignSetup(ts, 1);
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/campaigns/new');
    await page.getByLabel('Name', { exact: true }).fill('Breakfast everywhere');
    await page.getByLabel('Template', { exact: true }).selectOption(templateId);
    await page.locator(`input[name="listIds"][value="${listId}"]`).check();
    await page.getByLabel(/^Once, at a date and time/).check();
    const year = new Date().getUTCFullYear() + 1;
    await page.getByLabel('Date and time', { exact: true }).fill(`${year}-03-02T08:30`);
    await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Berlin');
    await page.getByLabel('At this time in each recipient’s own time zone').check();
    // 08:30 at UTC+14 is 18:30 UTC the day before: 19:30 in Berlin
    await page
      .locator('[data-firings]')
      .getByText(
        `Once, on ${weekdayOf(`${year}-03-02`)} 2 Mar ${year} at 08:30 in each recipient's time zone: it starts where the day begins (UTC+14) on ${weekdayOf(`${year}-03-01`)} 1 Mar ${year}, 19:30 Europe/Berlin time`,
      )
      .waitFor();
    await expectAccessible(page);
    if (shots) await page.screenshot({ path: `${shots}/form-local-1440.png`, fullPage: true });
    await page.getByRole('button', { name: 'Schedule campaign' }).click();
    await page.waitForURL(/\/launch\?done=created$/);
    const saved = await campaignNamed('Breakfast everywhere');
    expect(saved.schedule).toEqual({
      at: `${year}-03-02T08:30`,
      localTime: true,
      timezone: 'Europe/Berlin',
    });
    const id = String(saved.id);

    await page.goto(`/campaigns/${id}`);
    await page
      .getByText(
        `Once, on ${weekdayOf(`${year}-03-02`)} 2 Mar ${year} at 08:30 in each recipient's time zone.`,
      )
      .waitFor();
    await page
      .getByText('Recipients of unknown zone get it at that time in Europe/Berlin.')
      .waitFor();
    await page.getByText('Starts where the day begins (UTC+14):').waitFor();
    await expectAccessible(page);
    if (shots) await page.screenshot({ path: `${shots}/campaign-local-1440.png`, fullPage: true });

    await page.goto(`/campaigns/${id}/edit`);
    expect(
      await page.getByLabel('At this time in each recipient’s own time zone').isChecked(),
    ).toBe(true);
    expect(await page.getByLabel('Date and time', { exact: true }).inputValue()).toBe(
      `${year}-03-02T08:30`,
    );
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Europe/Berlin');
  });
});

describe('a run waiting for its send window', () => {
  it('says how many wait and when the next opens, and when each message waits until', async () => {
    const f = factories(ts);
    const templateId = await f.template(['{{first_name}}']);
    const listId = await f.list();
    for (const phone of ['+4915112340001', '+4915112340002']) {
      const contact = await f.contact({ first_name: 'Ana', timezone: 'Asia/Tokyo' }, phone);
      await f.addToList(listId, contact.id);
    }
    // a window that opens in Tokyo two hours from now, for an hour
    const now = Date.now();
    const tokyo = (hours: number) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Tokyo',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(now + hours * 3_600_000));
    const created = await api(ts).post('/v1/campaigns', {
      name: 'Tokyo mornings',
      templateId,
      listIds: [listId],
      sendWindow: { from: tokyo(2), to: tokyo(3) },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = String(created.body.id);
    expect((await api(ts).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => {
      const [row] = await ts.service.ctx.database.sql<{ n: number }[]>`
        select count(*)::int as n from messages where campaign_id = ${id} and next_attempt_at > now()`;
      return row?.n === 2;
    });

    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto(`/campaigns/${id}`);
    const opens = clockIn(2, now);
    await page
      .getByText(new RegExp(`^2 waiting for their send window; next at .*${opens} UTC \\(in `))
      .waitFor();
    await page
      .getByText(`Sends ${tokyo(2)}–${tokyo(3)} in each recipient's time`, { exact: true })
      .waitFor();
    const waits = await page.locator('.messages-table tbody tr td:nth-child(4)').allInnerTexts();
    expect(waits).toHaveLength(2);
    for (const text of waits)
      expect(text).toMatch(new RegExp(`^waits until .*${tokyo(2)} \\(Asia/Tokyo\\)$`));
    await expectAccessible(page);
    if (shots) await page.screenshot({ path: `${shots}/campaign-1440.png`, fullPage: true });
    // the live figures say it too
    expect(await page.locator('[data-live="waiting"]').innerText()).toContain('2 waiting');

    const { page: phone } = await ts.open({ who: consoleAdmin, width: 375 });
    for (const path of [`/campaigns/${id}`, '/campaigns/new']) {
      await phone.goto(path);
      await phone.getByRole('heading', { level: 1 }).waitFor();
      expect(await fitsWidth(phone), path).toBe(true);
    }
    if (shots) {
      await phone.goto(`/campaigns/${id}`);
      await phone.screenshot({ path: `${shots}/campaign-375.png`, fullPage: true });
      await phone.goto('/campaigns/new');
      await phone.getByLabel(/^Only between these hours/).check();
      await phone.getByLabel(/^Once, at a date and time/).check();
      await phone.screenshot({ path: `${shots}/form-375.png`, fullPage: true });
    }
  });
});
