import { describe, expect, it } from 'vitest';
import { TEST_WEBHOOK_SECRET, useTestService } from './helpers/service';
import { inbound, postWebhook, webhookFixture } from './helpers/webhooks';

// API only: rows these tests plant must not be sent by a dispatcher meanwhile
const t = useTestService({ env: { ROLE: 'api' } });

async function storedEvents(): Promise<number> {
  const [row] = await t.service.ctx.database.sql<{ n: number }[]>`
    select count(*)::int as n from webhook_events`;
  return row?.n ?? -1;
}

describe('webhook security', () => {
  it.each([
    ['missing', null],
    ['wrong', 'not-the-secret-0123456789'],
    ['empty', ''],
    ['a prefix of it', 'test-webhook'],
  ])('refuses a %s secret with 401 and stores nothing', async (_, secret) => {
    const before = await storedEvents();
    const response = await postWebhook(t, webhookFixture('ack-delivered'), secret);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await storedEvents()).toBe(before);
  });

  it('does not need the bearer token, and does not take it instead of the secret', async () => {
    const response = await t.request('/webhooks/chat-api', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webhookFixture('ack-delivered')),
    });
    expect(response.status).toBe(401);
  });
});

const message = (inbound('+79995253422').messages as Record<string, unknown>[])[0] ?? {};
const malformed: [string, string | unknown][] = [
  ['invalid JSON', '{"ack": ['],
  ['an empty body', ''],
  ['a JSON string', '"hello"'],
  ['a number', '42'],
  ['null', 'null'],
  ['an array', '[{"id": "x", "status": "read"}]'],
  ['an object with neither messages nor ack', { instanceId: '777' }],
  ['ack as an object', { ack: { id: 'x', status: 'read' } }],
  ['ack as a string', { ack: 'read' }],
  ['an ack without id', { ack: [{ status: 'read' }] }],
  ['an ack with a numeric status', { ack: [{ id: 'x', status: 3 }] }],
  ['an ack with an empty id', { ack: [{ id: '', status: 'read' }] }],
  ['messages as a string', { messages: 'hi' }],
  ['a message without time', { messages: [{ ...message, time: undefined }] }],
  ['a message with time as a string', { messages: [{ ...message, time: 'yesterday' }] }],
  ['a message with a huge time', { messages: [{ ...message, time: 1e300 }] }],
  ['a message with a fractional time', { messages: [{ ...message, time: 1.5 }] }],
  ['a message with a negative time', { messages: [{ ...message, time: -1 }] }],
  ['a message with fromMe as a string', { messages: [{ ...message, fromMe: 'no' }] }],
  ['a message without chatId', { messages: [{ ...message, chatId: undefined }] }],
  ['a message with body as an object', { messages: [{ ...message, body: { text: 'hi' } }] }],
  ['a message that is null', { messages: [null] }],
  ['a NUL character in a string', '{"ack": [{"id": "a\\u0000b", "status": "read"}]}'],
  ['a lone surrogate', '{"ack": [{"id": "\\ud800", "status": "read"}]}'],
  ['an id of 10,000 characters', { ack: [{ id: 'x'.repeat(10_000), status: 'read' }] }],
];

describe('malformed bodies', () => {
  it.each(malformed)('answers %s with a 400 problem and stores nothing', async (_, body) => {
    const before = await storedEvents();
    const response = await postWebhook(t, body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('bad_request');
    expect(problem.detail.length).toBeGreaterThan(0);
    expect(await storedEvents()).toBe(before);
  });

  it('takes extra fields, self 1, quotedMsgId null, unknown statuses and both ids', async () => {
    const bodies = [
      webhookFixture('message-reply'),
      webhookFixture('message-from-me'),
      { ack: [{ id: 'x', chatId: '1@c.us', status: 'played', extra: [1, 2] }], channelId: 1 },
      { ack: [], messages: [], instanceId: 777, somethingNew: { a: 1 } },
    ];
    for (const body of bodies) expect((await postWebhook(t, body)).status).toBe(200);
  });

  it('survives random JSON without a 5xx', async () => {
    const random = (depth: number): unknown => {
      const pick = Math.floor(Math.random() * 7);
      if (depth > 3 || pick < 2) return [null, true, 0, -1e308, 'ack', '', 1.5][pick];
      if (pick < 4) return Array.from({ length: 3 }, () => random(depth + 1));
      return Object.fromEntries(
        ['ack', 'messages', 'id', 'status', 'time', 'chatId'].map((k) => [k, random(depth + 1)]),
      );
    };
    for (let i = 0; i < 100; i++) {
      const response = await postWebhook(t, random(0));
      expect(response.status).toBeLessThan(500);
    }
  });
});

// Last: the server answers 413 before reading the whole body and closes that connection.
describe('oversized bodies', () => {
  it('answers 413 for a body over the limit', async () => {
    const huge = { ack: [{ id: 'x', status: 'read', pad: 'x'.repeat(2 * 1024 * 1024) }] };
    const response = await postWebhook(t, huge);
    expect(response.status).toBe(413);
  });

  it('answers 413 for a body over the limit whatever its content type says', async () => {
    const response = await t.request(`/webhooks/chat-api?secret=${TEST_WEBHOOK_SECRET}`, {
      method: 'POST',
      auth: false,
      headers: { 'content-type': 'text/csv' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
  });
});
