// A conversation window belongs to a customer and a sending number (docs/design.md, rule 34): a
// customer who writes to one of our numbers opens that number's window only; a free-form message
// and a follow-up go out through the sender whose window is open; a reply is attributed to what
// that number sent; past the 24-hour messaging limit a template goes only to phones inside the
// window of the run's sender. Two chat-api senders, each on a fake provider of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Json, startCampaign } from './helpers/api';
import { FakeProvider } from './helpers/fake-provider';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';
import {
  deliver,
  followUpsOf,
  inbound,
  messageById,
  sentTemplate,
  waitApplied,
} from './helpers/webhooks';

const startService = useServicePerTest();
const brandSecret = 'brand-de-webhook-secret-89';
let brandProvider: FakeProvider;

beforeAll(async () => {
  brandProvider = await FakeProvider.start('brand-de-token');
});
afterAll(async () => {
  await brandProvider.stop();
});

/** The service, its default sender's id and a second chat-api sender, "Brand DE". */
async function twoSenders(env: Record<string, string> = {}) {
  const t = await startService({ env });
  const created = await api(t).post('/v1/senders', {
    name: 'Brand DE',
    provider: 'chat-api',
    ratePerSecond: 50,
    credentials: { url: brandProvider.url, token: brandProvider.token, webhookSecret: brandSecret },
  });
  expect(created.status).toBe(201);
  const brandId = String(created.body.id);
  const defaultId = await t.service.ctx.senders.defaultId();
  return { t, brandId, defaultId };
}

/** A customer's message posted to Brand DE's own chat-api webhook, applied. */
async function writeToBrand(t: TestService, brandId: string, body: Json): Promise<void> {
  const response = await t.request(`/webhooks/chat-api/${brandId}?secret=${brandSecret}`, {
    method: 'POST',
    auth: false,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  await waitApplied(t);
}

/** The provider's accepted calls on `path` (`/message`: free-form) to the phone. */
const sentTo = (provider: FakeProvider, phone: string, path: string) =>
  provider.sends(path).filter((r) => (r.body as { phone?: string }).phone === phone.slice(1));

describe('conversation windows per sender', () => {
  it('opens the window of the number the customer wrote to, and answers through it', async () => {
    const { t, brandId, defaultId } = await twoSenders();
    const phone = '+4915123400001';
    await writeToBrand(t, brandId, inbound(phone, { body: 'Hallo' }));

    const conversation = await api(t).get(`/v1/conversations/${encodeURIComponent(phone)}`);
    expect(conversation.body).toMatchObject({ phone, open: true });
    expect(conversation.body.windows).toEqual([
      expect.objectContaining({ senderId: brandId, senderName: 'Brand DE', open: true }),
    ]);

    // no window with the default number: naming it is refused, with the sender to use instead
    const refused = await api(t).post('/v1/messages', {
      phone,
      body: 'Hello',
      senderId: defaultId,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('window_closed');
    expect(String(refused.body.detail)).toContain('Brand DE');

    // by default, through the sender whose window is open
    const queued = await api(t).post('/v1/messages', { phone, body: 'Guten Tag' });
    expect(queued.status).toBe(202);
    expect(queued.body.senderId).toBe(brandId);
    await waitFor(() => sentTo(brandProvider, phone, '/message').length === 1, {
      what: 'the free-form message at Brand DE',
    });
    expect(sentTo(brandProvider, phone, '/message')[0]?.body).toMatchObject({
      body: 'Guten Tag',
    });
    expect(sentTo(t.provider, phone, '/message')).toHaveLength(0);
    const row = await messageById(t, Number(queued.body.id));
    expect(row.expiresAt?.toISOString()).toBe(
      (conversation.body.windows as Json[])[0]?.windowExpiresAt,
    );

    // once the customer writes to the default number too, either may answer
    await deliver(t, inbound(phone, { body: 'and here' }));
    const both = await api(t).get(`/v1/conversations/${encodeURIComponent(phone)}`);
    expect((both.body.windows as Json[]).map((w) => w.senderId).sort()).toEqual(
      [brandId, defaultId].sort(),
    );
    const named = await api(t).post('/v1/messages', { phone, body: 'Hi', senderId: defaultId });
    expect(named.status).toBe(202);
    expect(named.body.senderId).toBe(defaultId);
    await waitFor(() => sentTo(t.provider, phone, '/message').length === 1, {
      what: 'the free-form message at the default number',
    });
  }, 30_000);

  it('attributes a reply to what the number it reached sent, and follows up through that number', async () => {
    const { t, brandId, defaultId } = await twoSenders({ ROLE: 'api' }); // the follow-up waits
    const { contact, run } = await sentTemplate(t); // sent by the default number
    // a message to Brand DE is no reply to the default number's template
    await writeToBrand(t, brandId, inbound(contact.phone, { body: 'Who is this?' }));
    expect(await followUpsOf(t, run.id)).toHaveLength(0);
    const [toBrand] = await t.service.ctx.database.sql<
      { campaignId: string | null; senderId: string }[]
    >`select campaign_id as "campaignId", sender_id::text as "senderId" from inbound_messages
      where phone = ${contact.phone}`;
    expect(toBrand).toEqual({ campaignId: null, senderId: brandId });

    // the reply to the default number is; its follow-up goes back through it, within its window
    const time = Math.floor(Date.now() / 1000) - 60;
    await deliver(t, inbound(contact.phone, { body: 'Yes please', time }));
    const [followUp] = await followUpsOf(t, run.id);
    expect(followUp).toMatchObject({ status: 'pending', senderId: defaultId });
    expect(followUp?.expiresAt?.getTime()).toBe((time + 86_400) * 1000);
  }, 30_000);

  it("past the 24-hour limit, sends a template only inside the window of the run's own sender", async () => {
    const { t, brandId } = await twoSenders({
      SEND_RATE_PER_SECOND: '100',
      MESSAGING_LIMIT_24H: '2',
    });
    const id = await startCampaign(t, 5); // on the default number
    const { sql } = t.service.ctx.database;
    const sentCount = async () => {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from messages where campaign_id = ${id} and status = 'sent'`;
      return row?.n ?? 0;
    };
    await waitFor(async () => (await sentCount()) === 2, { what: 'two sends, the limit' });
    const waiting = await sql<{ phone: string }[]>`
      select phone from messages where campaign_id = ${id} and status = 'pending' order by id`;
    expect(waiting).toHaveLength(3);
    const [toBrand, toDefault] = waiting.map((w) => w.phone);
    if (!toBrand || !toDefault) throw new Error('no waiting recipients');
    // one writes to Brand DE: that opens no window with the run's number, so it still waits
    await writeToBrand(t, brandId, inbound(toBrand));
    // the other writes to the default number: inside its window, the template may go
    await deliver(t, inbound(toDefault));
    await waitFor(async () => (await sentCount()) === 3, { what: 'the send inside the window' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const statuses = await sql<{ phone: string; status: string }[]>`
      select phone, status::text from messages
      where campaign_id = ${id} and phone in (${toBrand}, ${toDefault})`;
    expect(Object.fromEntries(statuses.map((s) => [s.phone, s.status]))).toEqual({
      [toBrand]: 'pending',
      [toDefault]: 'sent',
    });
    // and the run's templates never went through Brand DE
    expect(brandProvider.sends()).toHaveLength(0);
  }, 40_000);
});
