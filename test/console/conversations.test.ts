import { describe, expect, it } from 'vitest';
import { api } from '../helpers/api';
import { consoleAdmin, expectAccessible, useConsole } from '../helpers/console';
import { FakeProvider } from '../helpers/fake-provider';
import { waitFor } from '../helpers/service';
import { deliver, inbound, sentTemplate, waitApplied } from '../helpers/webhooks';

const ts = useConsole();
const now = () => Math.floor(Date.now() / 1000);
const digits = (phone: string) => phone.replace(/\D/g, '');

/** A customer who got a template an hour ago and answered it through the webhook. */
async function customerWhoReplied(text: string, attributes: Record<string, string>) {
  const sent = await sentTemplate(ts, { sentHoursAgo: 1, attributes, followUpBody: null });
  await deliver(
    ts,
    inbound(sent.contact.phone, { body: text, quotedMsgId: sent.providerMessageId }),
  );
  return sent;
}

/** Closes the phone's windows, as 24 hours without a message would. */
async function closeWindow(phone: string) {
  const { sql } = ts.service.ctx.database;
  await sql`
    update conversations set window_expires_at = now() - interval '5 minutes' where phone = ${phone}`;
  await sql`
    update conversation_windows set window_expires_at = now() - interval '5 minutes'
    where phone = ${phone}`;
}

const threadPath = (phone: string) => `/conversations/${encodeURIComponent(phone)}`;

describe('Conversations', () => {
  it('says what the page is for while no conversation is open', async () => {
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto('/conversations');
    await page.getByRole('heading', { name: 'No open conversations' }).waitFor();
    expect(await page.locator('.empty-state').innerText()).toContain(
      'When a customer replies to a campaign, the conversation appears here for 24 hours.',
    );
    await expectAccessible(page);
  });

  it('lists a reply posted to the webhook; the marketer answers in the window and the answer reaches the customer', async () => {
    const { contact } = await customerWhoReplied('Is the offer still on?', {
      first_name: 'Ivan',
      last_name: 'Petrov',
    });
    const marketer = await ts.createUser('marketer');
    const { page } = await ts.open({ who: marketer });
    await page.goto('/conversations');
    const row = page.getByRole('row', { name: /Ivan Petrov/ });
    await row.waitFor();
    const cells = await row.locator('th, td').allInnerTexts();
    expect(cells[0]).toContain(contact.phone);
    expect(cells[1]).toContain('Is the offer still on?');
    expect(cells[2]).toBe('1');
    expect(cells[3]).toMatch(/^closes in 2[34] h$/);
    await expectAccessible(page);

    await row.getByRole('link', { name: 'Ivan Petrov' }).click();
    await page.waitForURL(`**${threadPath(contact.phone)}`);
    await page.getByRole('heading', { name: 'Ivan Petrov', level: 1 }).waitFor();
    const bubbles = page.locator('ol.thread > li');
    expect(await bubbles.count()).toBe(2);
    expect(await bubbles.nth(0).innerText()).toContain('Template promo');
    expect(await bubbles.nth(0).locator('.badge').innerText()).toBe('Sent');
    expect(await bubbles.nth(1).innerText()).toContain('Is the offer still on?');
    expect(await bubbles.nth(1).getAttribute('class')).toContain('in');
    // times in the viewer's zone (the browser's, Europe/Paris), named
    expect(await bubbles.nth(1).locator('time').innerText()).toContain('Europe/Paris');
    await expectAccessible(page);

    await page.getByLabel('Reply to Ivan Petrov').fill('Yes, until Sunday!');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.waitForURL('**?done=sent');
    expect(await page.getByRole('status').innerText()).toContain('Your reply is queued');
    const answer = page.locator('ol.thread > li', { hasText: 'Yes, until Sunday!' });
    await answer.waitFor();
    expect(await answer.innerText()).toContain('Your message');
    expect(await answer.getAttribute('class')).toContain('out');

    await waitFor(
      async () =>
        ts.provider
          .sends('/message')
          .some(
            (r) =>
              (r.body as { body?: string }).body === 'Yes, until Sunday!' &&
              (r.body as { phone?: string }).phone === digits(contact.phone),
          ),
      { what: 'the reply to reach the provider' },
    );
    await waitFor(
      async () => {
        await page.reload();
        return (await answer.locator('.badge').innerText()) === 'Sent';
      },
      { what: 'the reply to show as sent' },
    );
    // answered: nothing is unread any more
    await page.goto('/conversations');
    expect(
      await page
        .getByRole('row', { name: /Ivan Petrov/ })
        .locator('td')
        .nth(1)
        .innerText(),
    ).toBe('0');
  });

  it('disables the reply box once the window closed, and says why', async () => {
    const { contact } = await customerWhoReplied('Hello?', { name: 'Ana Lima' });
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto(threadPath(contact.phone));
    const box = page.getByLabel('Reply to Ana Lima');
    expect(await box.isEnabled()).toBe(true);

    // the window closes while the page is open: the API refuses the reply (409 window_closed)
    await closeWindow(contact.phone);
    await box.fill('Sorry for the wait');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('.reply-box .error-message').waitFor();
    expect(await page.locator('.reply-box .error-message').innerText()).toContain(
      'Not sent: the 24-hour window has closed',
    );
    expect(
      ts.provider
        .sends('/message')
        .some((r) => (r.body as { body?: string }).body === 'Sorry for the wait'),
    ).toBe(false);

    // and from then on the box is disabled, saying why in words
    await page.goto(threadPath(contact.phone));
    expect(await page.getByLabel('Reply to Ana Lima').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send reply' }).isDisabled()).toBe(true);
    const why = await page.locator('.reply-box .hint').innerText();
    expect(why).toMatch(
      /^The 24-hour window closed on \w{3} \d{1,2} \w{3}( \d{4})?, \d{2}:\d{2} Europe\/Paris: WhatsApp only lets you send an approved template now/,
    );
    expect(await page.locator('.window-line').innerText()).toContain('Window closed');
    await expectAccessible(page);
    // the closed window is still in the list of all conversations, not in the open ones
    await page.goto('/conversations');
    expect(await page.getByRole('row', { name: /Ana Lima/ }).count()).toBe(0);
    await page.getByRole('link', { name: 'All, closed ones too' }).click();
    await page
      .getByRole('row', { name: /Ana Lima/ })
      .getByText(/^closed \d+ min ago$/)
      .waitFor();
  });

  it('shows an analyst the threads without a reply box', async () => {
    const { contact } = await customerWhoReplied('Can I pay later?', { first_name: 'Zoe' });
    const analyst = await ts.createUser('analyst');
    const { page } = await ts.open({ who: analyst });
    await page.goto('/conversations');
    await page.getByRole('link', { name: 'Zoe' }).click();
    await page.locator('ol.thread > li', { hasText: 'Can I pay later?' }).waitFor();
    expect(await page.locator('textarea').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send reply' }).count()).toBe(0);
    expect(await page.locator('.reply-readonly').innerText()).toContain(
      'You can read conversations',
    );
    // a forged form meets the API's refusal
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(`${threadPath(contact.phone)}/reply`, {
      form: { _csrf: csrf, body: 'hi' },
    });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('may not do this');
    await expectAccessible(page);
  });

  it('brings a new message into the open thread by itself', async () => {
    const { contact } = await customerWhoReplied('First question', { first_name: 'Lea' });
    const { page } = await ts.open({ who: consoleAdmin });
    await page.goto(threadPath(contact.phone));
    await page.locator('ol.thread > li', { hasText: 'First question' }).waitFor();
    await deliver(ts, inbound(contact.phone, { body: 'And a second one', time: now() + 1 }));
    await page.locator('ol.thread > li', { hasText: 'And a second one' }).waitFor();
  });

  it('reads on a 375 px screen', async () => {
    await customerWhoReplied(
      'A rather long message from a customer who wants to know everything about the offer',
      {
        first_name: 'Max',
      },
    );
    const { page } = await ts.open({ who: consoleAdmin, width: 375 });
    await page.goto('/conversations');
    await page.getByRole('link', { name: 'Max' }).click();
    await page.locator('ol.thread > li').first().waitFor();
    for (const path of ['/conversations', page.url()]) {
      await page.goto(path);
      const overflow = await page.evaluate('document.documentElement.scrollWidth');
      expect(overflow, path).toBeLessThanOrEqual(375);
      await expectAccessible(page);
    }
  });

  it('answers from the number the customer wrote to, and asks which when several are open', async () => {
    const brand = await FakeProvider.start('brand-de-token');
    const secret = 'brand-de-webhook-secret-89';
    const created = await api(ts).post('/v1/senders', {
      name: 'Brand DE',
      provider: 'chat-api',
      credentials: { url: brand.url, token: brand.token, webhookSecret: secret },
    });
    expect(created.status).toBe(201);
    const brandId = String(created.body.id);
    try {
      const { contact } = await customerWhoReplied('Hi from the default number', {
        first_name: 'Nora',
      });
      const { page } = await ts.open({ who: consoleAdmin });
      await page.goto(threadPath(contact.phone));
      // one window open, with the default number: no choice to make, the number is named
      expect(await page.locator('.window-line').innerText()).toContain('With Default.');
      expect(await page.getByLabel('Send from').count()).toBe(0);
      expect(await page.locator('.reply-box .hint').innerText()).toMatch(/^Sent from Default /);

      // the customer writes to Brand DE too: both windows are open, the latest first
      const posted = await ts.request(`/webhooks/chat-api/${brandId}?secret=${secret}`, {
        method: 'POST',
        auth: false,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(inbound(contact.phone, { body: 'Hallo', time: now() + 5 })),
      });
      expect(posted.status).toBe(200);
      await waitApplied(ts);
      await page.goto(threadPath(contact.phone));
      expect(await page.locator('.window-line').innerText()).toContain(
        'With Brand DE and Default.',
      );
      const from = page.getByLabel('Send from');
      expect(await from.locator('option').allInnerTexts()).toEqual([
        expect.stringMatching(/^Brand DE \(window closes in 2[34] h\)$/),
        expect.stringMatching(/^Default \(window closes in 2[34] h\)$/),
      ]);
      expect(await page.locator('.reply-box .hint').last().innerText()).toMatch(
        /^Sent from the number chosen above/,
      );
      await expectAccessible(page);
      await page.getByLabel('Reply to Nora').fill('Guten Tag!');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.waitForURL('**?done=sent');
      await waitFor(() => brand.sends('/message').length === 1, {
        what: 'the reply at Brand DE',
      });
      expect(brand.sends('/message')[0]?.body).toMatchObject({
        phone: digits(contact.phone),
        body: 'Guten Tag!',
      });
      expect(
        ts.provider
          .sends('/message')
          .some((r) => (r.body as { body?: string }).body === 'Guten Tag!'),
      ).toBe(false);
    } finally {
      // the other tests of this file run on an account of one number
      expect((await api(ts).delete(`/v1/senders/${brandId}`)).status).toBe(204);
      await brand.stop();
    }
  });
});
