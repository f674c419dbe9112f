import { describe, expect, it } from 'vitest';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';

const ts = useConsole();

describe('the console shell', () => {
  it('sends a signed-out visitor to the sign-in page, and back where they were after it', async () => {
    const { page } = await ts.open();
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page);
    await page.goto('/templates');
    await page.getByLabel('Email').fill(consoleAdmin.email);
    await page.getByLabel('Password').fill(consoleAdmin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/templates');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of [
      'Audiences',
      'Templates',
      'Campaigns',
      'Conversations',
      'Analytics',
      'Settings',
    ]) {
      await nav.getByRole('link', { name, exact: true }).waitFor();
    }
  });

  it('refuses a wrong password without saying whether the email exists', async () => {
    const { page } = await ts.open();
    const answers: string[] = [];
    for (const email of [consoleAdmin.email, 'nobody@example.com']) {
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      answers.push(await page.getByRole('alert').innerText());
    }
    expect(answers[0]).toContain('The email or the password is wrong.');
    expect(answers[1]).toBe(answers[0]);
  });

  it('hides Settings from a marketer and an analyst', async () => {
    for (const role of ['marketer', 'analyst'] as const) {
      const user = await ts.createUser(role);
      const { page } = await ts.open({ who: user });
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Campaigns', exact: true }).waitFor();
      expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    }
  });

  it('refuses a form without its CSRF token and a cookie of a signed-out session', async () => {
    const { page, context } = await ts.open({ who: consoleAdmin });
    const forged = await page.request.post('/sign-out', { form: { _csrf: 'wrong' } });
    expect(forged.status()).toBe(403);
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'wbs_session');
    expect(session).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    // The old cookie, replayed, opens nothing: neither a page nor the API.
    const replay = await fetch(`${ts.baseUrl}/campaigns`, {
      headers: { cookie: `wbs_session=${session?.value}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(303);
    const api = await fetch(`${ts.baseUrl}/v1/campaigns`, {
      headers: { cookie: `wbs_session=${session?.value}` },
    });
    expect(api.status).toBe(401);
  });
});
