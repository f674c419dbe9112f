import { describe, expect, it } from 'vitest';
import { useTestService } from './helpers/service';
import {
  ack,
  deliver,
  messageById,
  postWebhook,
  sentTemplate,
  waitApplied,
  webhookFixture,
} from './helpers/webhooks';

// API only: rows these tests plant must not be sent by a dispatcher meanwhile
const t = useTestService({ env: { ROLE: 'api' } });

async function afterAcks(statuses: string[], from: 'sent' | 'unknown' | 'sending' = 'sent') {
  const { message, providerMessageId, contact } = await sentTemplate(t, { status: from });
  for (const status of statuses) await deliver(t, ack(providerMessageId, contact.phone, status));
  return messageById(t, message.id);
}

describe('acks', () => {
  it('moves a message forward in order: sent, delivered, read', async () => {
    const row = await afterAcks(['sent', 'delivered', 'read']);
    expect(row.status).toBe('read');
    expect(row.sentAt).not.toBeNull();
    expect(row.deliveredAt).not.toBeNull();
    expect(row.readAt).not.toBeNull();
  });

  it.each([
    [['read', 'delivered'], 'read'],
    [['viewed', 'delivered', 'sent'], 'read'],
    [['delivered', 'sent'], 'delivered'],
    [['delivered', 'viewed'], 'read'],
    [['sent'], 'sent'],
  ])('ends right whatever the order: %j gives %s', async (statuses, expected) => {
    const row = await afterAcks(statuses);
    expect(row.status).toBe(expected);
    if (expected === 'read') {
      // a read before delivered sets both
      expect(row.deliveredAt).not.toBeNull();
      expect(row.readAt).not.toBeNull();
    }
  });

  it('applies out-of-order acks that come in one body', async () => {
    const { message, providerMessageId, contact } = await sentTemplate(t);
    const body = ack(providerMessageId, contact.phone, 'read');
    (body.ack as object[]).push(
      ...(ack(providerMessageId, contact.phone, 'delivered').ack as object[]),
    );
    await deliver(t, body);
    const row = await messageById(t, message.id);
    expect(row.status).toBe('read');
    expect(row.deliveredAt).not.toBeNull();
  });

  it('takes an ack for a message whose send was unknown as proof that it was sent', async () => {
    const row = await afterAcks(['delivered'], 'unknown');
    expect(row.status).toBe('delivered');
    expect(row.sentAt).not.toBeNull();
  });

  it('changes nothing when the same ack comes 20 times, one after another or at once', async () => {
    const { message, providerMessageId, contact } = await sentTemplate(t);
    await deliver(t, ack(providerMessageId, contact.phone, 'read'));
    const before = await messageById(t, message.id);
    for (let i = 0; i < 20; i++) await deliver(t, ack(providerMessageId, contact.phone, 'read'));
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        postWebhook(t, ack(providerMessageId, contact.phone, 'delivered')),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    await waitApplied(t);
    const after = await messageById(t, message.id);
    expect(after.status).toBe('read');
    expect(after.readAt).toEqual(before.readAt);
    expect(after.deliveredAt).toEqual(before.deliveredAt);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('counts and logs acks for unknown ids, and takes both fixture shapes', async () => {
    for (const name of ['ack-delivered', 'ack-read-channel']) {
      const response = await postWebhook(t, webhookFixture(name));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
    }
    await waitApplied(t);
    const metrics = await (await t.request('/metrics')).text();
    expect(metrics).toMatch(/webhook_events_total\{kind="ack",result="unknown_id"\} [1-9]/);
    expect(metrics).toMatch(/webhook_requests_total\{result="stored"\} [1-9]/);
    const { sql } = t.service.ctx.database;
    const stored = await sql`select 1 from webhook_events where body->>'channelId' = '457431'`;
    expect(stored.count).toBeGreaterThan(0);
  });
});

describe('events that cannot be applied', () => {
  it('are parked with their error and do not hold back the others', async () => {
    const { sql } = t.service.ctx.database;
    // a body stored by a version that accepted what this one does not
    const [bad] = await sql<{ id: string }[]>`
      insert into webhook_events (body) values (${JSON.stringify({ ack: 'nonsense' })}::jsonb)
      returning id::text`;
    const { message, providerMessageId, contact } = await sentTemplate(t);
    await deliver(t, ack(providerMessageId, contact.phone, 'delivered'));
    expect((await messageById(t, message.id)).status).toBe('delivered');
    const [parked] = await sql<{ processed: boolean; error: string | null }[]>`
      select processed_at is not null as processed, error from webhook_events where id = ${bad?.id ?? '0'}`;
    expect(parked?.processed).toBe(true);
    expect(parked?.error).toEqual(expect.any(String));
  });
});
