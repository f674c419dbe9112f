// Meta's Cloud API webhook over real HTTP with signed bodies (docs/design.md, rules 15-21;
// docs/providers.md, Webhooks): the verification, the signature, statuses forward only with
// their pricing and failures, inbound messages the chat-api way, template events, entries of
// no sender, the re-apply sweep; and the chat-api webhook of a sender other than the default.
import { desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  campaigns,
  contacts,
  inboundMessages,
  optOuts,
  templates,
  webhookEvents,
} from '../src/db/schema';
import { api } from './helpers/api';
import { messagesValue, postSignedWebhook, wamid, webhookEnvelope } from './helpers/fake-graph';
import { useTestService } from './helpers/service';
import { followUpsOf, inbound, messageById, sentTemplate, waitApplied } from './helpers/webhooks';

const defaultNumber = { phoneNumberId: '106540352242922', waba: '102290129340398' };
const defaultSecrets = { appSecret: 'default-app-secret-0123', verifyToken: 'default-verify-0123' };
const second = {
  phoneNumberId: '206540352242922',
  waba: '202290129340398',
  appSecret: 'second-app-secret-4567',
  verifyToken: 'second-verify-4567',
};
const chatSecret = 'brand-de-webhook-secret-89';

const t = useTestService({
  env: {
    ROLE: 'api',
    CHAT_API_URL: '',
    CHAT_API_TOKEN: '',
    WHATSAPP_ACCESS_TOKEN: 'EAAG-default-token',
    WHATSAPP_PHONE_NUMBER_ID: defaultNumber.phoneNumberId,
    WHATSAPP_BUSINESS_ACCOUNT_ID: defaultNumber.waba,
    WHATSAPP_APP_SECRET: defaultSecrets.appSecret,
    WHATSAPP_VERIFY_TOKEN: defaultSecrets.verifyToken,
  },
});

let secondSenderId: string;
let chatSenderId: string;
let defaultSenderId: string;

beforeAll(async () => {
  const client = api(t);
  const cloud = await client.post('/v1/senders', {
    name: 'Brand US',
    provider: 'cloud-api',
    credentials: {
      phoneNumberId: second.phoneNumberId,
      businessAccountId: second.waba,
      accessToken: 'EAAG-second-token',
      appSecret: second.appSecret,
      verifyToken: second.verifyToken,
    },
  });
  expect(cloud.status).toBe(201);
  secondSenderId = String(cloud.body.id);
  const chat = await client.post('/v1/senders', {
    name: 'Brand DE',
    provider: 'chat-api',
    credentials: {
      url: 'https://gateway.example/instance42',
      token: 'tok',
      webhookSecret: chatSecret,
    },
  });
  expect(chat.status).toBe(201);
  chatSenderId = String(chat.body.id);
  const senders = await client.get('/v1/senders');
  const list = senders.body.data as { id: string; isDefault: boolean }[];
  defaultSenderId = list.find((s) => s.isDefault)?.id ?? '';
});

const whatsapp = () => `${t.baseUrl}/webhooks/whatsapp`;
const post = (body: unknown, secret = defaultSecrets.appSecret) =>
  postSignedWebhook(whatsapp(), body, secret);

async function deliver(body: unknown, secret?: string): Promise<void> {
  const response = await post(body, secret);
  expect(response.status, await response.clone().text()).toBe(200);
  await waitApplied(t);
}

const statusBody = (statuses: unknown[], number = defaultNumber.phoneNumberId) =>
  webhookEnvelope('messages', messagesValue(number, { statuses }), defaultNumber.waba);
const status = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  status: name,
  timestamp: String(Math.floor(Date.now() / 1000)),
  recipient_id: '79990000000',
  ...extra,
});
const pricing = { billable: true, pricing_model: 'PMP', category: 'marketing', type: 'regular' };

async function eventCount(): Promise<number> {
  const rows = await t.service.ctx.database.db.select().from(webhookEvents);
  return rows.length;
}

describe('GET /webhooks/whatsapp', () => {
  const verify = (query: Record<string, string>) =>
    fetch(`${whatsapp()}?${new URLSearchParams(query)}`);

  it("answers the challenge as plain text for any Cloud API sender's verify token", async () => {
    for (const token of [defaultSecrets.verifyToken, second.verifyToken]) {
      const response = await verify({
        'hub.mode': 'subscribe',
        'hub.verify_token': token,
        'hub.challenge': '1158201444',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe('1158201444');
    }
  });

  it('answers 403 for a wrong token, another mode, no challenge, or an oversized query', async () => {
    const good = { 'hub.mode': 'subscribe', 'hub.verify_token': second.verifyToken };
    for (const query of [
      { ...good, 'hub.verify_token': 'not-ours', 'hub.challenge': '1' },
      { ...good, 'hub.mode': 'unsubscribe', 'hub.challenge': '1' },
      good,
      { ...good, 'hub.challenge': '1'.repeat(257) },
      { ...good, 'hub.verify_token': 'x'.repeat(5000), 'hub.challenge': '1' },
    ]) {
      const response = await verify(query);
      expect(response.status, JSON.stringify(query).slice(0, 80)).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });
});

describe('POST /webhooks/whatsapp', () => {
  it('refuses a body without a signature of ours with a 401, and stores nothing', async () => {
    const before = await eventCount();
    const body = statusBody([status(wamid(), 'delivered')]);
    const raw = JSON.stringify(body);
    for (const signature of [undefined, 'sha256=00', `sha256=${'a'.repeat(64)}`]) {
      const response = await fetch(whatsapp(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-hub-signature-256': signature } : {}),
        },
        body: raw,
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe('unauthorized');
    }
    expect((await post(body, 'an-app-secret-of-no-sender')).status).toBe(401);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a signed body that is not a Cloud API body with a 400, and stores nothing', async () => {
    const before = await eventCount();
    const response = await post({ object: 'whatsapp_business_account', entry: 'nope' });
    expect(response.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('stores a signed body with its source and sender before the 200', async () => {
    const body = statusBody([status(wamid(), 'delivered')], second.phoneNumberId);
    const response = await post(body, second.appSecret);
    expect(response.status).toBe(200);
    const [row] = await t.service.ctx.database.sql<{ source: string; senderId: string }[]>`
      select source, sender_id as "senderId" from webhook_events order by id desc limit 1`;
    expect(row).toEqual({ source: 'cloud-api', senderId: secondSenderId });
    await waitApplied(t);
  });
});

describe('a body of several senders', () => {
  it('applies each entry for its own number, and stores the body without one sender', async () => {
    const a = await sentTemplate(t);
    const b = await sentTemplate(t);
    const entry = (number: string, waba: string, id: string) => ({
      id: waba,
      changes: [
        {
          field: 'messages',
          value: messagesValue(number, { statuses: [status(id, 'delivered')] }),
        },
      ],
    });
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        entry(defaultNumber.phoneNumberId, defaultNumber.waba, a.providerMessageId),
        entry(second.phoneNumberId, second.waba, b.providerMessageId),
      ],
    };
    // Meta signs with the secret of the app; the second sender's secret is as good
    await deliver(body, second.appSecret);
    const [row] = await t.service.ctx.database.sql<{ senderId: string | null }[]>`
      select sender_id as "senderId" from webhook_events order by id desc limit 1`;
    expect(row?.senderId).toBeNull();
    expect((await messageById(t, a.message.id)).status).toBe('delivered');
    expect((await messageById(t, b.message.id)).status).toBe('delivered');
  });
});

describe('statuses', () => {
  it('move a message forward only, in any order, with its pricing, once whatever the replays', async () => {
    const { message, providerMessageId: id } = await sentTemplate(t);
    // read first: it counts as delivered too
    await deliver(statusBody([status(id, 'read', { pricing })]));
    let row = await messageById(t, message.id);
    expect(row.status).toBe('read');
    expect(row.deliveredAt).not.toBeNull();
    expect(row.readAt).not.toBeNull();
    expect(row.pricingCategory).toBe('marketing');
    expect(row.billable).toBe(true);
    const body = statusBody([status(id, 'sent'), status(id, 'delivered', { pricing })]);
    await deliver(body);
    await deliver(body);
    row = await messageById(t, message.id);
    expect(row.status).toBe('read');
    expect(row.readAt).toEqual((await messageById(t, message.id)).readAt);
  });

  it('take free pricing from the type when billable is missing', async () => {
    const { message, providerMessageId: id } = await sentTemplate(t);
    const free = { pricing_model: 'PMP', category: 'service', type: 'free_customer_service' };
    await deliver(statusBody([status(id, 'sent', { pricing: free })]));
    const row = await messageById(t, message.id);
    expect(row).toMatchObject({ status: 'sent', pricingCategory: 'service', billable: false });
  });

  it('fail a message with the code and title, classified by the one table', async () => {
    const { message, providerMessageId: id } = await sentTemplate(t);
    await deliver(
      statusBody([
        status(id, 'failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
      ]),
    );
    const row = await messageById(t, message.id);
    expect(row).toMatchObject({
      status: 'failed',
      errorCode: 131026,
      errorTitle: 'Message undeliverable',
      error: 'Message undeliverable (131026)',
    });
    expect(row.failedAt).not.toBeNull();
    // a late delivered does not bring it back
    await deliver(statusBody([status(id, 'delivered')]));
    expect((await messageById(t, message.id)).status).toBe('failed');
  });

  it("hold a message out for Meta's experiment group (130472): not a failure", async () => {
    const { message, providerMessageId: id } = await sentTemplate(t);
    await deliver(
      statusBody([
        status(id, 'failed', {
          errors: [{ code: 130472, title: "User's number is part of an experiment" }],
        }),
      ]),
    );
    const row = await messageById(t, message.id);
    expect(row).toMatchObject({ status: 'held_out', errorCode: 130472, failedAt: null });
  });

  it('opt the contact out when they stopped marketing messages (131050), once', async () => {
    const { message, contact, providerMessageId: id } = await sentTemplate(t);
    const body = statusBody([
      status(id, 'failed', {
        errors: [
          { code: 131050, title: 'Unable to deliver the message: user stopped marketing messages' },
        ],
      }),
    ]);
    await deliver(body);
    expect(await messageById(t, message.id)).toMatchObject({ status: 'failed', errorCode: 131050 });
    const { db } = t.service.ctx.database;
    const [optOut] = await db.select().from(optOuts).where(eq(optOuts.phone, contact.phone));
    expect(optOut).toMatchObject({ source: 'provider', contactId: contact.id });
    // an operator opts the phone back in; Meta's retry of the same body does not undo that
    await db.delete(optOuts).where(eq(optOuts.phone, contact.phone));
    await deliver(body);
    expect(await db.select().from(optOuts).where(eq(optOuts.phone, contact.phone))).toEqual([]);
  });
});

const messageBody = (
  message: Record<string, unknown>,
  contact: Record<string, unknown>,
  number = defaultNumber.phoneNumberId,
) =>
  webhookEnvelope(
    'messages',
    messagesValue(number, { contacts: [contact], messages: [message] }),
    defaultNumber.waba,
  );
const digits = (phone: string) => phone.replace(/\D/g, '');

describe('inbound messages', () => {
  it('open the window, are attributed by context.id, queue the follow-up once, and keep the profile', async () => {
    const { message, contact, run, providerMessageId } = await sentTemplate(t);
    const body = messageBody(
      {
        from: digits(contact.phone),
        id: wamid(),
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'text',
        text: { body: 'Yes please' },
        context: { from: '15550783881', id: providerMessageId },
      },
      {
        profile: { name: 'Ivan P.' },
        wa_id: digits(contact.phone),
        user_id: 'US.1349120865530274191',
      },
    );
    await deliver(body);
    await deliver(body);
    expect((await messageById(t, message.id)).repliedAt).not.toBeNull();
    const { db } = t.service.ctx.database;
    const inbounds = await db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.phone, contact.phone));
    expect(inbounds).toHaveLength(1);
    expect(inbounds[0]).toMatchObject({
      type: 'text',
      body: 'Yes please',
      attributedMessageId: message.id,
      payload: null,
    });
    expect(await followUpsOf(t, run.id)).toHaveLength(1);
    const [kept] = await db.select().from(contacts).where(eq(contacts.id, contact.id));
    expect(kept).toMatchObject({ profileName: 'Ivan P.', bsuid: 'US.1349120865530274191' });
    const conversation = await api(t).get(
      `/v1/conversations/${encodeURIComponent(contact.phone)}/messages`,
    );
    expect(conversation.status).toBe(200);
  });

  it('take a quick-reply button with its payload, and its stop words opt the phone out', async () => {
    const { contact, run, providerMessageId } = await sentTemplate(t);
    await deliver(
      messageBody(
        {
          from: digits(contact.phone),
          id: wamid(),
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'button',
          button: { payload: 'UNSUB_PAYLOAD', text: 'Stop promotions' },
          context: { id: providerMessageId },
        },
        { profile: { name: 'Ivan' }, wa_id: digits(contact.phone) },
      ),
    );
    const { db } = t.service.ctx.database;
    const [optOut] = await db.select().from(optOuts).where(eq(optOuts.phone, contact.phone));
    expect(optOut).toMatchObject({ source: 'keyword', runId: run.id });
    expect(await followUpsOf(t, run.id)).toHaveLength(0);
    const [row] = await db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.phone, contact.phone));
    expect(row).toMatchObject({
      type: 'button',
      body: 'Stop promotions',
      payload: 'UNSUB_PAYLOAD',
    });
  });

  it('take an interactive reply, and find a contact by its BSUID when Meta gives no phone', async () => {
    const { message, contact, providerMessageId } = await sentTemplate(t);
    const { db } = t.service.ctx.database;
    await db.update(contacts).set({ bsuid: 'US.ENT.777' }).where(eq(contacts.id, contact.id));
    await deliver(
      messageBody(
        {
          from_user_id: 'US.ENT.777',
          id: wamid(),
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'yes-1', title: 'Yes' } },
          context: { id: providerMessageId },
        },
        { profile: { name: 'Anon' }, user_id: 'US.ENT.777' },
      ),
    );
    expect((await messageById(t, message.id)).repliedAt).not.toBeNull();
    const [row] = await db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.phone, contact.phone));
    expect(row).toMatchObject({ type: 'interactive', body: 'Yes', payload: 'yes-1' });
  });
});

describe('template events', () => {
  async function syncedTemplateInCampaign(values: Partial<typeof templates.$inferInsert> = {}) {
    const { db } = t.service.ctx.database;
    const [template] = await db
      .insert(templates)
      .values({
        name: 'spring_sale',
        namespace: '',
        languageCode: 'en_GB',
        senderId: defaultSenderId,
        source: 'synced',
        ...values,
      })
      .returning();
    if (!template) throw new Error('no template');
    const [campaign] = await db
      .insert(campaigns)
      .values({
        name: 'Spring',
        templateId: template.id,
        listIds: [],
        status: 'scheduled',
        nextRunAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    if (!campaign) throw new Error('no campaign');
    return { template, campaign };
  }
  const statusUpdate = (value: Record<string, unknown>) =>
    webhookEnvelope('message_template_status_update', value, defaultNumber.waba);

  it('pause the template and the campaigns that use it, with the reason, once', async () => {
    const { template, campaign } = await syncedTemplateInCampaign({ externalId: '941276' });
    const body = statusUpdate({
      event: 'PAUSED',
      message_template_id: 941276,
      message_template_name: 'spring_sale',
      message_template_language: 'en_GB',
      reason: 'LOW_QUALITY',
    });
    await deliver(body);
    const { db } = t.service.ctx.database;
    const [paused] = await db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(paused?.status).toBe('paused');
    expect(paused?.pausedReason).toBe('Meta paused the template spring_sale (en_GB): LOW_QUALITY');
    const [kept] = await db.select().from(templates).where(eq(templates.id, template.id));
    expect(kept?.status).toBe('paused');
    // an operator resumes; the same event again changes nothing
    await db.update(campaigns).set({ status: 'scheduled' }).where(eq(campaigns.id, campaign.id));
    await deliver(body);
    const [after] = await db.select().from(campaigns).where(eq(campaigns.id, campaign.id));
    expect(after?.status).toBe('scheduled');
  });

  it('match by name and language without Meta id, map other events, and keep the quality', async () => {
    const { template } = await syncedTemplateInCampaign({ name: 'autumn', languageCode: 'de' });
    const { db } = t.service.ctx.database;
    const statusOf = async () =>
      (await db.select().from(templates).where(eq(templates.id, template.id)))[0];
    const event = (name: string) =>
      statusUpdate({
        event: name,
        message_template_id: 5550001,
        message_template_name: 'autumn',
        message_template_language: 'de',
        reason: 'NONE',
      });
    await deliver(event('ARCHIVED'));
    expect((await statusOf())?.status).toBe('disabled');
    await deliver(event('FLAGGED'));
    expect((await statusOf())?.status).toBe('disabled');
    await deliver(event('REINSTATED'));
    expect((await statusOf())?.status).toBe('approved');
    await deliver(
      webhookEnvelope(
        'message_template_quality_update',
        {
          previous_quality_score: 'GREEN',
          new_quality_score: 'YELLOW',
          message_template_id: 5550001,
          message_template_name: 'autumn',
          message_template_language: 'de',
        },
        defaultNumber.waba,
      ),
    );
    expect((await statusOf())?.quality).toBe('yellow');
  });
});

describe('entries of no sender, and the sweep', () => {
  it('stores an entry for an unknown number and applies nothing of it', async () => {
    const { message, providerMessageId: id } = await sentTemplate(t);
    await deliver(statusBody([status(id, 'delivered')], '999999999999'));
    const [row] = await t.service.ctx.database.sql<{ processed: boolean; error: string | null }[]>`
      select processed_at is not null as processed, error from webhook_events order by id desc limit 1`;
    expect(row).toEqual({ processed: true, error: null });
    expect((await messageById(t, message.id)).status).toBe('sent');
  });

  it('applies a stored Cloud API event that no one applied (a crash after the 200)', async () => {
    const { message, providerMessageId: id } = await sentTemplate(t);
    const { sql } = t.service.ctx.database;
    await sql`
      insert into webhook_events (body, source, sender_id)
      values (${JSON.stringify(statusBody([status(id, 'delivered')]))}::jsonb, 'cloud-api', ${defaultSenderId})`;
    await waitApplied(t);
    expect((await messageById(t, message.id)).status).toBe('delivered');
  });
});

describe('POST /webhooks/chat-api/{senderId}', () => {
  const postTo = (path: string, body: unknown) =>
    t.request(path, {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it("stores a chat-api sender's body with its id under its own secret", async () => {
    const { message, contact, providerMessageId } = await sentTemplate(t);
    const body = {
      ack: [
        { id: providerMessageId, chatId: `${digits(contact.phone)}@c.us`, status: 'delivered' },
      ],
    };
    const response = await postTo(`/webhooks/chat-api/${chatSenderId}?secret=${chatSecret}`, body);
    expect(response.status).toBe(200);
    const [row] = await t.service.ctx.database.sql<{ source: string; senderId: string }[]>`
      select source, sender_id as "senderId" from webhook_events order by id desc limit 1`;
    expect(row).toEqual({ source: 'chat-api', senderId: chatSenderId });
    await waitApplied(t);
    expect((await messageById(t, message.id)).status).toBe('delivered');
  });

  it('answers 401 for a wrong or missing secret, 404 for an unknown, malformed or non-chat-api sender', async () => {
    const before = await eventCount();
    const body = inbound('+79991234567');
    expect((await postTo(`/webhooks/chat-api/${chatSenderId}?secret=wrong`, body)).status).toBe(
      401,
    );
    expect((await postTo(`/webhooks/chat-api/${chatSenderId}`, body)).status).toBe(401);
    // the default path's secret is not this sender's
    expect(
      (await postTo(`/webhooks/chat-api/${chatSenderId}?secret=${t.config.WEBHOOK_SECRET}`, body))
        .status,
    ).toBe(401);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', secondSenderId]) {
      const response = await postTo(`/webhooks/chat-api/${id}?secret=${chatSecret}`, body);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('not_found');
    }
    expect(await eventCount()).toBe(before);
  });

  it('keeps /webhooks/chat-api for the default sender', async () => {
    const response = await postTo(
      `/webhooks/chat-api?secret=${t.config.WEBHOOK_SECRET}`,
      inbound('+79991234568'),
    );
    expect(response.status).toBe(200);
    const [row] = await t.service.ctx.database.db
      .select({ senderId: webhookEvents.senderId })
      .from(webhookEvents)
      .where(eq(webhookEvents.source, 'chat-api'))
      .orderBy(desc(webhookEvents.id))
      .limit(1);
    expect(row?.senderId).toBeNull();
    await waitApplied(t);
  });
});

describe('after all of the above', () => {
  it('parked no event with an error', async () => {
    const failed = await t.service.ctx.database.sql`
      select id, error from webhook_events where error is not null`;
    expect(failed).toEqual([]);
  });
});
