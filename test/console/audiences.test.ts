import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { campaignSetup, createCampaign } from '../helpers/api';
import { createList, importCsv } from '../helpers/audience';
import { newWatchedContext, signInAs } from '../helpers/browser';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';
import { deliver, inbound } from '../helpers/webhooks';

const ts = useConsole();

/** The lock one import at a time holds (contacts/import/import-csv.ts): held here, an import waits. */
const IMPORT_LOCK_KEY = 0x696d706f7274;

const customers = [
  'first_name,city,mobile',
  'Anna,Berlin,0151 12345001',
  'Ben,Hamburg,0151 12345002',
  'Clara,Munich,+4915112345003',
  'Dora,Köln,12',
  'Eve,Paris,not a number',
].join('\n');

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});

const text = (page: Page, selector: string) => page.locator(selector).innerText();

async function previewOf(page: Page) {
  await page.locator('[data-preview] h2').waitFor();
  return page.locator('[data-preview]').innerText();
}

describe('Audiences', () => {
  it('says what to do with no lists, and a marketer creates one', async () => {
    const marketer = await ts.createUser('marketer', 'Mia Marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto('/audiences');
    await page.getByText('No lists yet. Upload a CSV of your customers to create one.').waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'New list' }).click();
    await expectAccessible(page);
    await page.getByLabel('Name').fill('   '); // past the browser's check; the API trims it
    await page.getByRole('button', { name: 'Create the list' }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Name').fill('Spring customers');
    await page.getByRole('button', { name: 'Create the list' }).click();
    await page.waitForURL(/\/audiences\/lists\/[^/]+\/upload\?done=created$/);
    await page.getByText('The list was created').waitFor();
    await page.getByRole('link', { name: 'Spring customers' }).click();
    await page.getByText('No contacts in this list yet').waitFor();
    await expectAccessible(page);
  });

  it('previews a CSV before importing it, then shows the import live until it ends, and its refused rows', async () => {
    const marketer = await ts.createUser('marketer');
    const listId = await createList(ts, 'Autumn customers');
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/audiences/lists/${listId}/upload`);
    await expectAccessible(page);

    // A file with a `mobile` column: found by itself; numbers without a country code refused.
    await page.locator('input[type="file"]').setInputFiles(csvFile('customers.csv', customers));
    let preview = await previewOf(page);
    expect(preview).toContain('Comma (,)');
    expect(preview).toContain('first_name, city');
    expect(preview).toContain('4 rows would be refused');
    expect(preview).toContain('No country code');
    expect(await page.getByLabel('Phone column').inputValue()).toBe('mobile');
    await expectAccessible(page);

    // The country of the local numbers: they are read, and only the impossible ones refused.
    await page.getByLabel('Country of numbers without a country code').selectOption('DE');
    await page.getByText('2 rows would be refused').waitFor();
    preview = await previewOf(page);
    expect(preview).toContain('+4915112345001');
    expect(preview).toContain('invalid phone number: too short');
    await page.getByRole('button', { name: 'Import 3 rows' }).waitFor();

    // Another phone column: every row would be refused, and the button says so.
    await page.getByLabel('Phone column').selectOption('city');
    await page.getByText('5 rows would be refused').waitFor();
    expect(await page.getByRole('button', { name: /No row to import/ }).isDisabled()).toBe(true);
    await page.getByLabel('Phone column').selectOption('mobile');
    await page.getByRole('button', { name: 'Import 3 rows' }).waitFor();

    // Imported while another import holds the lock: the page opens on a running import.
    const holder = await ts.service.ctx.database.sql.reserve();
    try {
      await holder`select pg_advisory_lock(${IMPORT_LOCK_KEY})`;
      await page.getByRole('button', { name: 'Import 3 rows' }).click();
      await page.waitForURL(/\/audiences\/imports\/[^/]+$/);
      await page.locator('[data-live-status][data-state="live"]').waitFor();
      await page.evaluate('window.watchedSinceLoad = true');
      expect(await text(page, '[data-live="status"]')).not.toBe('Finished');
      await expectAccessible(page);
    } finally {
      await holder`select pg_advisory_unlock(${IMPORT_LOCK_KEY})`;
      holder.release();
    }
    await page.getByText('Finished: the figures above are final.').waitFor();
    expect(await text(page, '[data-live="status"]')).toBe('Finished');
    expect(await text(page, '[data-live="rows"]')).toBe('5');
    expect(await text(page, '[data-live="created"]')).toBe('3');
    expect(await text(page, '[data-live="invalid"]')).toBe('2');
    expect(await page.evaluate('window.watchedSinceLoad')).toBe(true); // never reloaded

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the refused rows (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^import-errors-\d{4}-\d{2}-\d{2}\.csv$/);
    const refused = await readFile(await download.path(), 'utf8');
    expect(refused.split('\r\n')).toEqual([
      'row,line,kind,reason,value',
      '4,5,invalidPhone,invalid phone number: too short,12',
      '5,6,invalidPhone,invalid phone number: not a phone number,not a number',
      '',
    ]);
    await page.getByRole('link', { name: 'Show the refused rows here' }).click();
    await page.getByRole('heading', { name: '2 rows were refused' }).waitFor();
    await expectAccessible(page);
  });

  it('reads a file separated by semicolons, dropped on the page', async () => {
    const marketer = await ts.createUser('marketer');
    const listId = await createList(ts, 'Semicolons');
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/audiences/lists/${listId}/upload`);
    // Dropped on the zone, as from the desktop.
    await page.evaluate(`(() => {
      const files = new DataTransfer();
      files.items.add(new File(['Name;Phone;Tier\\nFinn;+49 151 12345006;gold\\n'], 'export.csv'));
      const zone = document.querySelector('[data-dropzone]');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: files, bubbles: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true }));
    })()`);
    const preview = await previewOf(page);
    expect(preview).toContain('Semicolon (;)');
    expect(preview).toContain('No row of these would be refused.');
    expect(preview).toContain('+4915112345006');
    await page.getByRole('button', { name: 'Import 1 row' }).click();
    await page.waitForURL(/\/audiences\/imports\//);
    await page
      .getByText(/Finished/)
      .first()
      .waitFor();
  });

  it('finds a contact and shows its attributes, lists, opt-out state and messages', async () => {
    const listId = await createList(ts, 'Searchable');
    await importCsv(ts, listId, 'phone,first_name,city\n+4915112345020,Greta,Bremen\n');
    await deliver(ts, inbound('+4915112345020', { body: 'Is the sale still on?' }));
    const marketer = await ts.createUser('marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/audiences/lists/${listId}`);
    await page.getByLabel('Find a contact in Searchable').fill('bremen');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('Contacts matching “bremen”').waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: '+4915112345020' }).click();
    await page.getByRole('heading', { name: 'Greta', level: 1 }).waitFor();
    const body = await page.locator('main').innerText();
    expect(body).toContain('Bremen');
    expect(body).toContain('Searchable');
    expect(body).toContain('This phone receives the campaigns sent to its lists.');
    expect(body).toContain('Is the sale still on?');
    await expectAccessible(page);

    await page.goto('/audiences/contacts?q=nobody-by-that-name');
    await page.getByText('No contact matches “nobody-by-that-name”').waitFor();
    await expectAccessible(page);
  });

  it('lets a marketer opt a phone out, and only an admin opt it back in, after confirming', async () => {
    const marketer = await ts.createUser('marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto('/audiences/opt-outs');
    await page.getByText('No one has opted out').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Opt out a phone').fill('not a phone');
    await page.getByRole('button', { name: 'Opt this phone out' }).click();
    await page
      .getByRole('alert')
      .getByText(/not a possible phone number/)
      .waitFor();
    await page.getByLabel('Opt out a phone').fill('+49 151 12345020');
    await page.getByRole('button', { name: 'Opt this phone out' }).click();
    await page.getByText('The phone is opted out').waitFor();
    await page.getByRole('cell', { name: '+4915112345020' }).waitFor();
    expect(await page.getByRole('link', { name: /Opt back in/ }).count()).toBe(0);
    await expectAccessible(page);

    // A forged request is refused by the role, with the console's 403 page.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post('/audiences/opt-outs/remove', {
      form: { _csrf: csrf, phone: '+4915112345020' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('You cannot do this');
    const confirm = await page.request.get('/audiences/opt-outs/remove?phone=%2B4915112345020');
    expect(confirm.status()).toBe(403);

    const admin = await ts.open({ who: consoleAdmin });
    await admin.page.goto('/audiences/opt-outs');
    await admin.page.getByRole('link', { name: 'Opt back in… +4915112345020' }).click();
    const words = await admin.page.locator('main').innerText();
    expect(words).toContain('+4915112345020 will receive campaigns again.');
    expect(words).toContain('It is in 1 list: Searchable.');
    await expectAccessible(admin.page);
    await admin.page.getByRole('button', { name: 'Opt +4915112345020 back in' }).click();
    await admin.page.getByText('The phone is opted back in').waitFor();
  });

  it('renames a list, and deletes it after a confirmation that counts its contacts', async () => {
    const listId = await createList(ts, 'Old name');
    await importCsv(ts, listId, 'phone\n+4915112345030\n+4915112345031\n');
    const marketer = await ts.createUser('marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/audiences/lists/${listId}`);
    await page.getByRole('link', { name: 'Rename' }).click();
    await expectAccessible(page);
    await page.getByLabel('Name').fill('Trade fair leads');
    await page.getByRole('button', { name: 'Save the new name' }).click();
    await page.getByText('The list was renamed.').waitFor();
    await page.getByRole('link', { name: 'Delete list…' }).click();
    const words = await page.locator('main').innerText();
    expect(words).toContain('The 2 contacts themselves stay');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Delete the list of 2 contacts' }).click();
    await page.waitForURL('**/audiences?done=deleted');
    expect(await page.getByRole('link', { name: 'Trade fair leads' }).count()).toBe(0);
  });

  it('keeps a list a scheduled campaign sends to, and says why in words', async () => {
    const { templateId, listId } = await campaignSetup(ts, 1);
    await createCampaign(ts, {
      templateId,
      listIds: [listId],
      schedule: { cron: '0 9 * * MON', timezone: 'Europe/Berlin' },
    });
    const marketer = await ts.createUser('marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto(`/audiences/lists/${listId}/delete`);
    await page.getByRole('button', { name: 'Delete the list of 1 contact' }).click();
    const alert = await page.getByRole('alert').innerText();
    expect(alert).toContain('A campaign that is scheduled, running or paused sends to this list');
    expect(alert).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect((await ts.request(`/v1/lists/${listId}`)).status).toBe(200);
  });

  it('uploads without JavaScript: a multipart form streamed on to the API', async () => {
    const listId = await createList(ts, 'No script');
    const context = await ts.browser().newContext({
      baseURL: ts.baseUrl,
      javaScriptEnabled: false,
      viewport: { width: 1440, height: 900 },
    });
    try {
      const page = await context.newPage();
      await signInAs(page, consoleAdmin.email, consoleAdmin.password);
      await page.goto(`/audiences/lists/${listId}/upload`);
      const file = csvFile('plain.csv', 'name,cell\nHanna,0151 12345040\n');
      await page.getByLabel('Phone column (optional)').fill('nope');
      await page.locator('input[type="file"]').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload and import' }).click();
      await page.locator('.field-error').getByText('no column named "nope"').waitFor();
      await page.getByLabel('Country of numbers without a country code').selectOption('DE');
      await page.getByLabel('Phone column (optional)').fill('cell');
      await page.locator('input[type="file"]').setInputFiles(file);
      await page.getByRole('button', { name: 'Upload and import' }).click();
      await page.waitForURL(/\/audiences\/imports\/[^/]+$/);
      for (
        let i = 0;
        i < 40 && !(await page.locator('main').innerText()).includes('Finished:');
        i++
      ) {
        await page.waitForTimeout(250);
        await page.reload();
      }
      expect(await page.locator('main').innerText()).toContain('Finished: 1 new and 0 updated');
    } finally {
      await context.close();
    }
  });

  it('shows an analyst the lists without the ways to change them', async () => {
    const analyst = await ts.createUser('analyst');
    const { page } = await ts.open({ who: analyst });
    await page.goto('/audiences');
    expect(await page.getByRole('link', { name: 'New list' }).count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Autumn customers' }).click();
    await page.getByRole('heading', { name: 'Autumn customers' }).waitFor();
    for (const name of ['Upload contacts', 'Rename', 'Delete list…']) {
      expect(await page.getByRole('link', { name }).count(), name).toBe(0);
    }
    expect((await page.request.get('/audiences/lists/new')).status()).toBe(403);
  });

  it('reads well at 375 px: no page is wider than the phone', async () => {
    const listId = await createList(ts, 'Narrow');
    const done = await importCsv(
      ts,
      listId,
      `phone,first_name,city,tier,notes\n${'+4915112345050,Ida,Berlin,gold,a long note about this customer\n'}`,
    );
    const contact = (await (await ts.request(`/v1/lists/${listId}/contacts`)).json()) as {
      data: { id: string }[];
    };
    const { context, page, problems } = await newWatchedContext(ts.browser(), {
      baseURL: ts.baseUrl,
      width: 375,
    });
    try {
      await signInAs(page, consoleAdmin.email, consoleAdmin.password);
      const pages = [
        '/audiences',
        `/audiences/lists/${listId}`,
        `/audiences/lists/${listId}/upload`,
        `/audiences/lists/${listId}/delete`,
        `/audiences/imports/${done.id}`,
        `/audiences/contacts/${contact.data[0]?.id}`,
        '/audiences/contacts?q=berlin',
        '/audiences/opt-outs',
      ];
      for (const path of pages) {
        await page.goto(path);
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        expect(width, path).toBeLessThanOrEqual(375);
      }
      await page.goto(`/audiences/lists/${listId}/upload`);
      await page.locator('input[type="file"]').setInputFiles(csvFile('a.csv', customers));
      await previewOf(page);
      expect(
        Number(await page.evaluate('document.documentElement.scrollWidth')),
      ).toBeLessThanOrEqual(375);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
