// Settings → Senders: an admin adds a Cloud API number (a wrong field, then right) and never sees
// a secret of it again, pauses, resumes and deletes it; a sender in use, and the default one,
// say in words why they stay; a marketer reads without write controls and a forged write is a
// 403; the campaign form offers the sender and the campaign's page names it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign, type Json } from '../helpers/api';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';

const ts = useConsole();

/** Every secret the form is given: none may come back in any page's source. */
const secrets = {
  accessToken: 'EAAG-access-token-never-shown-0123456789',
  appSecret: 'app-secret-never-shown-4567',
  verifyToken: 'verify-token-never-shown-89ab',
};

const senders = async () => (await api(ts).get('/v1/senders?limit=100')).body.data as Json[];
const csrfOf = (page: Page) => page.locator('input[name="_csrf"]').first().inputValue();

async function expectNoSecret(page: Page) {
  const source = await page.content();
  for (const secret of Object.values(secrets)) expect(source).not.toContain(secret);
}

async function fillSecrets(page: Page) {
  await page.getByLabel('Access token').fill(secrets.accessToken);
  await page.getByLabel('App secret').fill(secrets.appSecret);
  await page.getByLabel('Verify token').fill(secrets.verifyToken);
}

describe('Settings: senders', () => {
  it('an admin adds a Cloud API sender (a wrong field, then right), sees no secret again, pauses, resumes and deletes it', async () => {
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/settings');
    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Senders' })
      .click();
    await page.waitForURL('**/settings/senders');
    expect(await page.getByRole('table').innerText()).toMatch(
      /Default[\s\S]*chat-api gateway[\s\S]*20 a second/,
    );
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Add a sender' }).click();
    await page.getByRole('radio', { name: /Meta’s Cloud API/ }).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/settings/senders/new?provider=cloud-api');
    await page.getByLabel('Name', { exact: true }).fill('Berlin shop');
    await page.getByLabel('Number as people read it (optional)').fill('+49 30 1234567');
    await page.getByLabel('Pace (optional)').fill('80');
    await page.getByLabel('24-hour limit (optional)').fill('1,000');
    await page.getByLabel('Phone number ID').fill('10987654321x');
    await page.getByLabel('WhatsApp Business Account ID').fill('20987654321');
    await fillSecrets(page);
    await page.getByRole('button', { name: 'Add sender' }).click();

    // The API's 422 names credentials.phoneNumberId: beside the field and in the summary.
    await page
      .locator('#f-credentials-phoneNumberId-error')
      .getByText("must be Meta's numeric id")
      .waitFor();
    await page.getByRole('alert').getByText("Phone number ID: must be Meta's numeric id").waitFor();
    expect(await page.getByLabel('Phone number ID').inputValue()).toBe('10987654321x');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Berlin shop');
    expect(await page.getByLabel('Access token').inputValue()).toBe('');
    await expectNoSecret(page);
    await expectAccessible(page);
    expect(await senders()).toHaveLength(1);

    await page.getByLabel('Phone number ID').fill('10987654321');
    await fillSecrets(page);
    await page.getByRole('button', { name: 'Add sender' }).click();
    await page.waitForURL(/\/settings\/senders\/[0-9a-f-]{36}\?done=created$/);
    await page.getByText('The sender was added').waitFor();
    const id = new URL(page.url()).pathname.split('/')[3] ?? '';
    expect((await senders()).find((s) => s.id === id)).toMatchObject({
      name: 'Berlin shop',
      provider: 'cloud-api',
      phoneNumberId: '10987654321',
      businessAccountId: '20987654321',
      displayPhoneNumber: '+49 30 1234567',
      ratePerSecond: 80,
      messagingLimit24h: 1000,
      status: 'active',
      isDefault: false,
    });
    // Meta's one webhook address, and where its verify token goes
    expect(await page.locator('#webhook-url').innerText()).toMatch(/\/webhooks\/whatsapp$/);
    await page.getByText('type the verify token of this sender’s credentials').waitFor();
    await expectNoSecret(page);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Pause sending' }).click();
    await page
      .getByText('Paused: nothing is sent through it until you resume it.')
      .first()
      .waitFor();
    expect((await api(ts).get(`/v1/senders/${id}`)).body.status).toBe('paused');
    await page.getByRole('button', { name: 'Resume sending' }).click();
    await page
      .getByRole('status')
      .getByText('Resumed: its campaigns’ messages go out again.')
      .waitFor();
    expect((await api(ts).get(`/v1/senders/${id}`)).body.status).toBe('active');

    await page.getByRole('link', { name: 'Delete this sender' }).click();
    await page.getByRole('heading', { name: 'Delete Berlin shop?' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Delete the sender' }).click();
    await page.waitForURL('**/settings/senders?done=deleted');
    await page.getByText('The sender was deleted.').waitFor();
    expect(await page.getByRole('table').innerText()).not.toContain('Berlin shop');
    expect((await api(ts).get(`/v1/senders/${id}`)).status).toBe(404);
    await expectNoSecret(page);
  });

  it('says in words why the default sender, and one a draft uses, cannot be deleted', async () => {
    const added = await api(ts).post('/v1/senders', { name: 'Hamburg', provider: 'sandbox' });
    const id = String(added.body.id);
    const { templateId, listId } = await campaignSetup(ts, 1);
    await createCampaign(ts, {
      name: 'Hamburg hello',
      templateId,
      listIds: [listId],
      senderId: id,
    });
    const { page } = await ts.open({ who: consoleAdmin });

    await page.goto(`/settings/senders/${id}/delete`);
    await page.getByText('1 campaign that is not finished sends through it').waitFor();
    await page.getByRole('link', { name: 'Hamburg hello' }).waitFor();
    await page.getByRole('button', { name: 'Delete the sender' }).click();
    await page
      .getByRole('alert')
      .getByText('It was not deleted: campaigns that are not finished still send through it')
      .waitFor();
    expect((await api(ts).get(`/v1/senders/${id}`)).status).toBe(200);
    await expectAccessible(page);

    const [fallback] = (await senders()).filter((s) => s.isDefault);
    await page.goto(`/settings/senders/${String(fallback?.id)}/delete`);
    await page
      .getByText('is the default sender: it comes from the service’s environment')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Delete the sender' }).count()).toBe(0);
    // forged anyway: the API's 409, in the console's words
    const forged = await page.request.post(`/settings/senders/${String(fallback?.id)}/delete`, {
      form: { _csrf: await csrfOf(page) },
    });
    expect(forged.status()).toBe(200);
    expect(await forged.text()).toContain(
      'The default sender comes from the service’s environment',
    );
  });

  it('says what to do about refused credentials, and new ones bring the sender back', async () => {
    const added = await api(ts).post('/v1/senders', {
      name: 'Cologne gateway',
      provider: 'chat-api',
      credentials: { url: 'https://gateway.example/instance1', token: 'old-token-0123' },
    });
    const id = String(added.body.id);
    await ts.service.ctx.database.sql`
      update senders set status = 'auth_failed', status_reason = 'The provider answered 401'
      where id = ${id}`;
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/settings/senders');
    const row = page.getByRole('row', { name: /Cologne gateway/ });
    expect(await row.innerText()).toMatch(/Credentials refused[\s\S]*The provider answered 401\./);
    expect(await row.innerText()).toContain('Replace its credentials');
    await row.getByRole('link', { name: 'Cologne gateway' }).click();
    await page.getByText('Its credentials were refused, so nothing is sent through it.').waitFor();
    // its own webhook address, without its secret, and where the secret goes
    expect(await page.locator('#webhook-url').innerText()).toMatch(
      new RegExp(`/webhooks/chat-api/${id}\\?secret=$`),
    );
    await page
      .getByText('Add the webhook secret of this sender’s credentials at its end')
      .waitFor();
    await expectAccessible(page);
    await page.getByLabel('Gateway URL').fill('https://gateway.example/instance1');
    await page.getByLabel('Token', { exact: true }).fill('new-token-4567');
    await page.getByLabel('Webhook secret (optional)').fill('hook-secret-89ab');
    await page.getByRole('button', { name: 'Replace credentials' }).click();
    await page.getByText('The credentials were replaced.').waitFor();
    expect((await api(ts).get(`/v1/senders/${id}`)).body).toMatchObject({
      status: 'active',
      statusReason: null,
    });
    const source = await page.content();
    for (const secret of ['old-token-0123', 'new-token-4567', 'hook-secret-89ab'])
      expect(source).not.toContain(secret);
  });

  it('a marketer reads the senders without write controls, and a forged write is a 403', async () => {
    const marketer = await ts.createUser('marketer', 'Mia Marketer');
    const { page, problems } = await ts.open({ who: marketer });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Senders' }).click();
    await page.waitForURL('**/settings/senders');
    expect(await page.getByRole('link', { name: 'Add a sender' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Settings' }).count()).toBe(0);
    await expectAccessible(page);
    const [fallback] = (await senders()).filter((s) => s.isDefault);
    await page.getByRole('link', { name: String(fallback?.name) }).click();
    await page.getByRole('heading', { name: 'Webhook' }).waitFor();
    for (const name of ['Save changes', 'Pause sending', 'Replace credentials'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Delete this sender' }).count()).toBe(0);
    await expectAccessible(page);

    const before = await senders();
    const csrf = await csrfOf(page);
    expect((await page.request.get('/settings/senders/new')).status()).toBe(403);
    const forged = await page.request.post('/settings/senders/new', {
      form: { _csrf: csrf, provider: 'sandbox', name: 'Forged' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('You cannot do this');
    const pause = await page.request.post(`/settings/senders/${String(fallback?.id)}/status`, {
      form: { _csrf: csrf, status: 'paused' },
    });
    expect(pause.status()).toBe(403);
    expect(await senders()).toEqual(before);
    expect(problems).toEqual([]);
  });

  it('the campaign form offers the senders, the default first and chosen; the campaign names its own', async () => {
    const added = await api(ts).post('/v1/senders', {
      name: 'Munich',
      provider: 'sandbox',
      displayPhoneNumber: '+49 89 7654321',
    });
    const munich = String(added.body.id);
    const { templateId, listId } = await campaignSetup(ts, 1);
    const marketer = await ts.createUser('marketer', 'Max Marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto('/campaigns/new');
    const sender = page.getByLabel('Sender', { exact: true });
    const [fallback] = (await senders()).filter((s) => s.isDefault);
    expect(await sender.inputValue()).toBe(String(fallback?.id));
    expect(await sender.locator('option').first().textContent()).toContain('the default');
    await expectAccessible(page);
    await page.getByLabel('Name', { exact: true }).fill('Munich hello');
    await page.getByLabel('Template', { exact: true }).selectOption(templateId);
    await page.locator(`input[name="listIds"][value="${listId}"]`).check();
    await sender.selectOption({ label: 'Munich (+49 89 7654321)' });
    await page.getByRole('button', { name: 'Save and preview the launch' }).click();
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}\/launch\?done=created$/);
    const id = new URL(page.url()).pathname.split('/')[2] ?? '';
    expect((await api(ts).get(`/v1/campaigns/${id}`)).body.senderId).toBe(munich);

    await page.goto(`/campaigns/${id}`);
    await page.getByRole('link', { name: 'Munich' }).waitFor();
    await page.getByText('Munich · +49 89 7654321').waitFor();
    await page.goto(`/campaigns/${id}/edit`);
    expect(await sender.inputValue()).toBe(munich);
  });
});
