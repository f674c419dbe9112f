import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';

const ts = useConsole();

const csrfOf = (page: Page) => page.locator('input[name="_csrf"]').first().inputValue();

async function addUser(page: Page, user: { name: string; email: string; role: string }) {
  await page.goto('/settings/users');
  await page.getByRole('link', { name: 'Add a user' }).click();
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel(new RegExp(`^${user.role}:`, 'i')).check();
  await page.getByLabel('Password').fill(`${user.role.toLowerCase()}-password-0123`);
  await page.getByRole('button', { name: 'Add user' }).click();
  await page.getByText('The user was added').waitFor();
}

describe('Settings: users, roles, tokens and the audit trail', () => {
  it('the first admin adds a marketer and an analyst, and each sees what the role allows', async () => {
    const { page } = await ts.open({ who: consoleAdmin });
    await addUser(page, { name: 'Mia Marketer', email: 'mia@example.com', role: 'Marketer' });
    await addUser(page, { name: 'Ali Analyst', email: 'ali@example.com', role: 'Analyst' });
    await expectAccessible(page);
    const table = await page.getByRole('table').innerText();
    expect(table).toContain('mia@example.com');
    expect(table).toContain('ali@example.com');

    const marketer = await ts.open({
      who: { email: 'mia@example.com', password: 'marketer-password-0123' },
    });
    const nav = marketer.page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Campaigns', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    const refused = await marketer.page.goto('/settings/users');
    expect(refused?.status()).toBe(403);
    await marketer.page.getByRole('heading', { name: 'You cannot do this' }).waitFor();
    // The browser logs the 403 this test asked for; nothing else may be there.
    expect(marketer.problems).toEqual([expect.stringContaining('403')]);
    marketer.problems.length = 0;

    // The analyst's forged writes, with a valid session and its CSRF token, are refused: on a
    // console form and on the API alike.
    const analyst = await ts.open({
      who: { email: 'ali@example.com', password: 'analyst-password-0123' },
    });
    await analyst.page.goto('/account');
    const csrf = await csrfOf(analyst.page);
    const form = await analyst.page.request.post('/settings/users/new', {
      form: {
        _csrf: csrf,
        name: 'X',
        email: 'x@example.com',
        role: 'admin',
        password: 'x'.repeat(12),
      },
    });
    expect(form.status()).toBe(403);
    const write = await analyst.page.request.post('/v1/lists', {
      headers: { 'x-csrf-token': csrf },
      data: { name: 'Forged' },
    });
    expect(write.status()).toBe(403);
    expect((await write.json()).code).toBe('forbidden');
    const lists = await ts.request('/v1/lists');
    expect(((await lists.json()) as { data: { name: string }[] }).data).toEqual([]);
    const read = await analyst.page.request.get('/v1/campaigns');
    expect(read.status()).toBe(200);
  });

  it("a disabled user's session ends at once", async () => {
    const user = await ts.createUser('marketer', 'Dora Disabled');
    const victim = await ts.open({ who: user });
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto(`/settings/users/${user.id}`);
    await page.getByLabel(/Disable this account/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    await victim.page.goto('/campaigns');
    expect(new URL(victim.page.url()).pathname).toBe('/sign-in');
  });

  it('a personal token is shown once, acts with its role, and stops at once when revoked', async () => {
    const user = await ts.createUser('analyst');
    const { page } = await ts.open({ who: user });
    await page.goto('/account');
    await page.getByLabel('Token name').fill('CRM sync');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.locator('#token-value').innerText()).trim();
    expect(token).toMatch(/^wbt_/);
    await expectAccessible(page);
    const me = await fetch(`${ts.baseUrl}/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await me.json()).toMatchObject({ kind: 'token', user: { email: user.email } });
    await page.goto('/account');
    expect(await page.locator('#token-value').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page.getByText('The token was revoked').waitFor();
    const after = await fetch(`${ts.baseUrl}/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.status).toBe(401);
  });

  it('the audit trail shows who did what, and the overview the webhook URL', async () => {
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/settings/audit');
    const table = await page.getByRole('table').innerText();
    expect(table).toContain('User sign in');
    expect(table).toContain(consoleAdmin.email);
    await expectAccessible(page);
    await page.goto('/settings');
    const url = await page.locator('#webhook-url').innerText();
    expect(url).toContain('/webhooks/chat-api?secret=');
    await expectAccessible(page);
    await page.goto('/settings/profile');
    await page.getByLabel('Description').fill('Fresh flowers, delivered');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('The profile was saved').waitFor();
    const profile = await ts.request('/v1/profile');
    expect(((await profile.json()) as { description: string }).description).toBe(
      'Fresh flowers, delivered',
    );
    await expectAccessible(page);
  });
});
