import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { useTestService } from './helpers/service';
import { deliver, inbound, sentTemplate } from './helpers/webhooks';

// API only: rows these tests plant must not be sent by a dispatcher meanwhile
const t = useTestService({ env: { ROLE: 'api' } });

type Json = Record<string, unknown>;

const now = () => Math.floor(Date.now() / 1000);

describe('conversations', () => {
  it('lists phones that wrote, open ones with ?open=true, a page at a time', async () => {
    const open = await sentTemplate(t);
    await deliver(t, inbound(open.contact.phone, { quotedMsgId: open.providerMessageId }));
    const closed = await sentTemplate(t);
    await deliver(t, inbound(closed.contact.phone, { time: now() - 30 * 3600 }));

    const all = await api(t).get('/v1/conversations');
    expect(all.status).toBe(200);
    const data = all.body.data as Record<string, unknown>[];
    expect(data.map((c) => c.phone)).toEqual([open.contact.phone, closed.contact.phone]);
    expect(data[0]).toMatchObject({
      phone: open.contact.phone,
      contactId: open.contact.id,
      open: true,
      campaignId: open.campaign.id,
    });
    expect(typeof data[0]?.lastInboundAt).toBe('string');
    expect(typeof data[0]?.windowExpiresAt).toBe('string');
    expect(data[1]).toMatchObject({ open: false, campaignId: null });

    const onlyOpen = await api(t).get('/v1/conversations?open=true');
    expect((onlyOpen.body.data as { phone: string }[]).map((c) => c.phone)).toEqual([
      open.contact.phone,
    ]);

    const first = await api(t).get('/v1/conversations?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(t).get(
      `/v1/conversations?limit=1&cursor=${String(first.body.nextCursor)}`,
    );
    expect((second.body.data as { phone: string }[])[0]?.phone).toBe(closed.contact.phone);
    expect(second.body.nextCursor).toBeNull();
    expect((await api(t).get('/v1/conversations?cursor=nonsense')).status).toBe(400);
  });
});

describe('reading replies', () => {
  const sql = () => t.service.ctx.database.sql;
  /** What the dispatcher stores when the provider takes a message (this service runs none). */
  const markSent = (id: unknown) =>
    sql()`update messages set status = 'sent', sent_at = now() where id = ${Number(id)}`;

  it("lists each conversation's last text, the contact's name and the customer's unanswered messages", async () => {
    const { contact } = await sentTemplate(t, {
      sentHoursAgo: 1,
      attributes: { First_Name: 'Ivan', 'last name': 'Petrov', city: 'Omsk' },
    });
    await deliver(t, inbound(contact.phone, { body: 'Hello', time: now() - 120 }));
    await deliver(t, inbound(contact.phone, { body: 'Are you there?', time: now() - 60 }));
    const stranger = '+4915199887766';
    await deliver(t, inbound(stranger, { body: 'Who is this?' }));

    const conversationOf = async (phone: string) => {
      const response = await api(t).get('/v1/conversations?limit=1000');
      expect(response.status).toBe(200);
      return (response.body.data as Record<string, unknown>[]).find((c) => c.phone === phone);
    };
    expect(await conversationOf(contact.phone)).toMatchObject({
      phone: contact.phone,
      contactId: contact.id,
      open: true,
      lastInboundText: 'Are you there?',
      contactName: 'Ivan Petrov',
      unreadCount: 2,
    });
    expect(await conversationOf(stranger)).toMatchObject({
      lastInboundText: 'Who is this?',
      contactName: null,
      unreadCount: 1,
    });

    // an answer reads them; only what the customer writes after it counts again
    const answer = await api(t).post('/v1/messages', { phone: contact.phone, body: 'Yes!' });
    expect((await conversationOf(contact.phone))?.unreadCount).toBe(2);
    await markSent(answer.body.id);
    expect((await conversationOf(contact.phone))?.unreadCount).toBe(0);
    await deliver(t, inbound(contact.phone, { body: 'Great', time: now() + 5 }));
    expect(await conversationOf(contact.phone)).toMatchObject({
      lastInboundText: 'Great',
      unreadCount: 1,
    });
    // an answer typed in the WhatsApp app on the business's phone reads them too
    await deliver(t, inbound(contact.phone, { body: 'See you', fromMe: true, time: now() + 10 }));
    expect(await conversationOf(contact.phone)).toMatchObject({
      lastInboundText: 'Great',
      unreadCount: 0,
    });
  });

  it('answers the thread of a phone both ways, oldest first, a page at a time; the view has the same rows', async () => {
    const { contact, message, providerMessageId, campaign } = await sentTemplate(t, {
      sentHoursAgo: 2,
    });
    await sql()`update messages set params = ${['Ivan']} where id = ${message.id}`;
    const replyTime = now() - 3600;
    await deliver(t, inbound(contact.phone, { quotedMsgId: providerMessageId, time: replyTime }));
    // the provider's echo of our own template is not shown twice
    await deliver(
      t,
      inbound(contact.phone, { id: providerMessageId, fromMe: true, time: now() - 7000 }),
    );
    await deliver(
      t,
      inbound(contact.phone, { body: 'Typed on the phone', fromMe: true, time: now() - 1800 }),
    );
    const manual = await api(t).post('/v1/messages', {
      phone: contact.phone,
      body: 'Anything else?',
    });
    expect(manual.status).toBe(202);

    const path = `/v1/conversations/${encodeURIComponent(contact.phone)}/messages`;
    const whole = await api(t).get(path);
    expect(whole.status).toBe(200);
    const thread = whole.body.data as Record<string, unknown>[];
    expect(thread).toMatchObject([
      {
        id: String(message.id),
        direction: 'out',
        kind: 'template',
        text: null,
        templateName: 'promo',
        parameters: ['Ivan'],
        status: 'sent',
        campaignId: campaign.id,
      },
      {
        id: expect.stringMatching(/^chat-\d+$/),
        direction: 'in',
        kind: 'inbound',
        text: 'Yes please',
        status: null,
        at: new Date(replyTime * 1000).toISOString(),
        campaignId: campaign.id,
      },
      { direction: 'out', kind: 'manual', text: 'Typed on the phone', status: null },
      {
        direction: 'out',
        kind: 'followup',
        text: 'Thanks Ivan!',
        status: 'pending',
        campaignId: campaign.id,
      },
      {
        id: manual.body.id,
        direction: 'out',
        kind: 'manual',
        text: 'Anything else?',
        status: 'pending',
      },
    ]);
    expect(whole.body.nextCursor).toBeNull();
    const times = thread.map((item) => Date.parse(String(item.at)));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // pages of two, and the phone without its + or with a literal one
    const paged: unknown[] = [];
    let cursor: unknown = null;
    do {
      const query = `?limit=2${cursor ? `&cursor=${String(cursor)}` : ''}`;
      const page = await api(t).get(`/v1/conversations/${contact.phone.slice(1)}/messages${query}`);
      expect(page.status).toBe(200);
      paged.push(...(page.body.data as unknown[]));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(thread);
    expect((await api(t).get(`/v1/conversations/${contact.phone}/messages`)).body.data).toEqual(
      thread,
    );

    // the analysts' view: the same rows
    const rows = await sql()<Record<string, unknown>[]>`
      select id, direction, kind, text, template_name, parameters, status, error, campaign_id,
        to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
      from conversation_messages where phone = ${contact.phone} order by at, id`;
    expect(
      rows.map((r) => ({
        id: r.id,
        direction: r.direction,
        kind: r.kind,
        text: r.text,
        templateName: r.template_name,
        parameters: r.parameters,
        status: r.status,
        error: r.error,
        at: r.at,
        campaignId: r.campaign_id,
      })),
    ).toEqual(thread);
  });

  it("answers one phone's conversation, whether its window is open and whether it opted out", async () => {
    const { contact, campaign } = await sentTemplate(t, {
      sentHoursAgo: 2,
      attributes: { name: 'Ana Lima' },
    });
    const time = now() - 3600;
    await deliver(t, inbound(contact.phone, { body: 'Hi there', time }));
    const one = await api(t).get(`/v1/conversations/${encodeURIComponent(contact.phone)}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      phone: contact.phone,
      contactId: contact.id,
      lastInboundAt: new Date(time * 1000).toISOString(),
      windowExpiresAt: new Date((time + 86_400) * 1000).toISOString(),
      open: true,
      campaignId: campaign.id,
      lastInboundText: 'Hi there',
      contactName: 'Ana Lima',
      unreadCount: 1,
      optedOut: false,
      // the chat-api webhook of the default sender opened that sender's window
      windows: [
        {
          senderId: expect.any(String),
          senderName: 'Default',
          lastInboundAt: new Date(time * 1000).toISOString(),
          windowExpiresAt: new Date((time + 86_400) * 1000).toISOString(),
          open: true,
        },
      ],
    });
    // the same as its item of the list, whichever way the phone is written
    const listed = (await api(t).get('/v1/conversations?limit=1000')).body.data as Json[];
    expect(listed.find((c) => c.phone === contact.phone)).toEqual(one.body);
    expect((await api(t).get(`/v1/conversations/${contact.phone.slice(1)}`)).body).toEqual(
      one.body,
    );

    await deliver(t, inbound(contact.phone, { body: 'STOP', time: time + 60 }));
    expect((await api(t).get(`/v1/conversations/${contact.phone}`)).body.optedOut).toBe(true);

    const never = await api(t).get('/v1/conversations/+4915100000002');
    expect(never.status).toBe(404);
    expect(never.body.code).toBe('not_found');
    expect((await api(t).get('/v1/conversations/not-a-phone')).status).toBe(400);
  });

  it('answers an empty thread for a phone nothing was exchanged with, 400 for a bad phone or cursor', async () => {
    const empty = await api(t).get('/v1/conversations/+4915100000001/messages');
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ data: [], nextCursor: null });
    for (const path of [
      '/v1/conversations/not-a-phone/messages',
      '/v1/conversations/+4915100000001/messages?cursor=nonsense',
      '/v1/conversations/+4915100000001/messages?limit=0',
    ]) {
      const response = await api(t).get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.code).toBe('bad_request');
    }
  });
});

describe('free-form messages', () => {
  it('queues a manual message while the window is open (202), expiring with it', async () => {
    const { contact } = await sentTemplate(t);
    const time = now();
    await deliver(t, inbound(contact.phone, { time }));
    const response = await api(t).post('/v1/messages', {
      phone: contact.phone.replace('+', ''),
      body: 'Your order ships today',
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      runId: null,
      contactId: contact.id,
      phone: contact.phone,
      kind: 'manual',
      status: 'pending',
      providerMessageId: null,
      error: null,
      attempts: 0,
      sentAt: null,
      repliedAt: null,
    });
    const [row] = await t.service.ctx.database.sql<{ expires_at: string; body: string }[]>`
      select extract(epoch from expires_at)::int as expires_at, body from messages
      where id = ${Number(response.body.id)}`;
    expect(row).toEqual({ expires_at: time + 86_400, body: 'Your order ships today' });
  });

  it('answers 409 window_closed for a phone whose window closed or never opened', async () => {
    const { contact } = await sentTemplate(t);
    await deliver(t, inbound(contact.phone, { time: now() - 25 * 3600 }));
    for (const phone of [contact.phone, '+4915112345678']) {
      const response = await api(t).post('/v1/messages', { phone, body: 'hello' });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('window_closed');
    }
  });

  it('answers 409 opted_out at once for an opted-out phone, even with its window open', async () => {
    const { contact } = await sentTemplate(t);
    await deliver(t, inbound(contact.phone));
    expect((await api(t).post('/v1/opt-outs', { phone: contact.phone })).status).toBe(201);
    const response = await api(t).post('/v1/messages', { phone: contact.phone, body: 'hello' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'opted_out', status: 409 });
    expect(String(response.body.detail)).toContain(contact.phone);
    const [row] = await t.service.ctx.database.sql<{ n: number }[]>`
      select count(*)::int as n from messages where phone = ${contact.phone} and kind = 'manual'`;
    expect(row?.n).toBe(0);
  });

  it('GET /v1/messages/{messageId} follows a message it sent', async () => {
    const { contact, message } = await sentTemplate(t);
    await deliver(t, inbound(contact.phone));
    const sent = await api(t).post('/v1/messages', { phone: contact.phone, body: 'On its way' });
    expect(sent.status).toBe(202);
    const read = await api(t).get(`/v1/messages/${String(sent.body.id)}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(sent.body);
    // the dispatcher's outcome shows: here stored by hand (this service runs no worker)
    await t.service.ctx.database.sql`
      update messages set status = 'sent', sent_at = now(), provider_message_id = 'true_x_1'
      where id = ${Number(sent.body.id)}`;
    expect((await api(t).get(`/v1/messages/${String(sent.body.id)}`)).body).toMatchObject({
      status: 'sent',
      providerMessageId: 'true_x_1',
      sentAt: expect.any(String),
    });
    // a campaign's message too
    expect((await api(t).get(`/v1/messages/${message.id}`)).body).toMatchObject({
      id: String(message.id),
      kind: 'template',
      runId: message.runId,
    });
  });

  it.each([
    [{ phone: '+4915112345678' }],
    [{ phone: '+4915112345678', body: '' }],
    [{ phone: '+4915112345678', body: '   ' }],
    [{ phone: '+4915112345678', body: 'x'.repeat(4097) }],
    [{ phone: 'not a phone', body: 'hi' }],
    [{ phone: 4915112345678, body: 'hi' }],
  ])('answers 422 for %j', async (body) => {
    const response = await api(t).post('/v1/messages', body);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('validation_failed');
  });
});

describe('business profile', () => {
  it('reads and changes the profile at the provider', async () => {
    const read = await api(t).get('/v1/profile');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ address: 'Main st 1', description: 'Best Company' });
    const changed = await api(t).patch('/v1/profile', {
      description: 'Flowers, delivered',
      vertical: 'Beauty, Spa and Salon',
      email: 'shop@example.com',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      description: 'Flowers, delivered',
      email: 'shop@example.com',
    });
    const posted = t.provider.requests.filter((r) => r.method === 'POST' && r.path === '/me');
    expect(posted.at(-1)?.body).toEqual({
      description: 'Flowers, delivered',
      vertical: 'Beauty, Spa and Salon',
      email: 'shop@example.com',
    });
    const cleared = await api(t).patch('/v1/profile', { email: '', vertical: '' });
    expect(cleared.status).toBe(200);
  });

  it.each([
    [{ description: 'x'.repeat(257) }],
    [{ vertical: 'Spaceships' }],
    [{ email: 'not-an-email' }],
    [{ address: 42 }],
    [{ website: 'https://example.com' }],
    [{}],
  ])('answers 422 for %j and sends nothing', async (body) => {
    const before = t.provider.requests.length;
    const response = await api(t).patch('/v1/profile', body);
    expect(response.status).toBe(422);
    expect(t.provider.requests.length).toBe(before);
  });

  it('answers 502 when the provider fails', async () => {
    t.provider.failNext({ status: 500, body: { error: 'down' } });
    const read = await api(t).get('/v1/profile');
    expect(read.status).toBe(502);
    expect(read.body.code).toBe('provider_failed');
    t.provider.failNext({ status: 200, body: { result: 'error', message: 'nope' } });
    const write = await api(t).patch('/v1/profile', { description: 'x' });
    expect(write.status).toBe(502);
    expect(write.body.code).toBe('provider_failed');
  });
});

it('documents the webhook, conversations, messages and profile in the OpenAPI document', async () => {
  const doc = (await (await t.request('/openapi.json')).json()) as {
    paths: Record<string, object>;
  };
  for (const path of [
    '/webhooks/chat-api',
    '/v1/conversations',
    '/v1/conversations/{phone}/messages',
    '/v1/messages',
    '/v1/messages/{messageId}',
    '/v1/profile',
  ])
    expect(doc.paths[path], path).toBeDefined();
});
