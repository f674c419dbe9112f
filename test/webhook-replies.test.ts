import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { conversations, inboundMessages } from '../src/db/schema';
import { useTestService } from './helpers/service';
import {
  deliver,
  followUpsOf,
  inbound,
  messageById,
  postWebhook,
  sentTemplate,
  waitApplied,
  webhookFixture,
} from './helpers/webhooks';

// API only: rows these tests plant must not be sent by a dispatcher meanwhile
const t = useTestService({ env: { ROLE: 'api' } });

const db = () => t.service.ctx.database.db;
const now = () => Math.floor(Date.now() / 1000);

async function conversationOf(phone: string) {
  const [row] = await db().select().from(conversations).where(eq(conversations.phone, phone));
  return row;
}

describe('replies', () => {
  it('records a reply quoting a message, opens the window, marks it replied, queues the follow-up', async () => {
    const { message, run, contact, campaign, providerMessageId } = await sentTemplate(t, {
      // far outside the attribution period: the quote decides
      sentHoursAgo: 200,
    });
    const time = now();
    await deliver(t, inbound(contact.phone, { quotedMsgId: providerMessageId, time }));
    expect((await messageById(t, message.id)).repliedAt?.getTime()).toBe(time * 1000);
    const conversation = await conversationOf(contact.phone);
    expect(conversation?.windowExpiresAt.getTime()).toBe((time + 86_400) * 1000);
    expect(conversation?.campaignId).toBe(campaign.id);
    const [followUp, ...more] = await followUpsOf(t, run.id);
    expect(more).toEqual([]);
    expect(followUp).toMatchObject({
      status: 'pending',
      body: 'Thanks Ivan!',
      contactId: contact.id,
      campaignId: campaign.id,
      phone: contact.phone,
    });
    expect(followUp?.expiresAt?.getTime()).toBe((time + 86_400) * 1000);
  });

  it('attributes an unquoted reply to the latest template within the period, not one after it', async () => {
    const recent = await sentTemplate(t, { sentHoursAgo: 71 });
    await deliver(t, inbound(recent.contact.phone));
    expect((await messageById(t, recent.message.id)).repliedAt).not.toBeNull();

    const old = await sentTemplate(t, { sentHoursAgo: 73 });
    await deliver(t, inbound(old.contact.phone));
    expect((await messageById(t, old.message.id)).repliedAt).toBeNull();
    expect(await followUpsOf(t, old.run.id)).toEqual([]);
    // the reply still opens the window, with no campaign
    const conversation = await conversationOf(old.contact.phone);
    expect(conversation?.campaignId).toBeNull();
    expect(conversation?.windowExpiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('records fromMe echoes and never counts them as replies', async () => {
    const { message, contact, providerMessageId, run } = await sentTemplate(t);
    await deliver(t, inbound(contact.phone, { fromMe: true, quotedMsgId: providerMessageId }));
    const fixture = webhookFixture('message-from-me');
    await deliver(t, fixture);
    expect((await messageById(t, message.id)).repliedAt).toBeNull();
    expect(await conversationOf(contact.phone)).toBeUndefined();
    expect(await followUpsOf(t, run.id)).toEqual([]);
    const echoes = await db()
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.phone, contact.phone));
    expect(echoes).toMatchObject([{ fromMe: true }]);
  });

  it('records a message from a phone we never wrote to, with no campaign', async () => {
    await deliver(t, webhookFixture('message-reply'));
    const [row] = await db()
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.providerMessageId, 'false_79995253422@c.us_3EB0C431C26A1916E4A5'));
    expect(row).toMatchObject({ phone: '+79995253422', campaignId: null, fromMe: false });
    expect((await conversationOf('+79995253422'))?.campaignId).toBeNull();
  });

  it('extends the window but never shortens it', async () => {
    const { contact } = await sentTemplate(t);
    await deliver(t, inbound(contact.phone, { time: now() }));
    await deliver(t, inbound(contact.phone, { time: now() - 3600 }));
    const later = now() + 60;
    await deliver(t, inbound(contact.phone, { time: later }));
    expect((await conversationOf(contact.phone))?.windowExpiresAt.getTime()).toBe(
      (later + 86_400) * 1000,
    );
  });

  it('queues exactly one follow-up under concurrent duplicate and distinct replies', async () => {
    const { run, contact, providerMessageId, message } = await sentTemplate(t);
    const reply = inbound(contact.phone, { quotedMsgId: providerMessageId });
    const others = Array.from({ length: 5 }, () => inbound(contact.phone));
    const responses = await Promise.all([
      ...Array.from({ length: 20 }, () => postWebhook(t, reply)),
      ...others.map((body) => postWebhook(t, body)),
    ]);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await waitApplied(t);
    expect(await followUpsOf(t, run.id)).toHaveLength(1);
    const recorded = await db()
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.phone, contact.phone));
    expect(recorded).toHaveLength(6);
    // the first reply's time stays
    const replied = (await messageById(t, message.id)).repliedAt;
    await deliver(t, inbound(contact.phone, { time: now() + 100 }));
    expect((await messageById(t, message.id)).repliedAt).toEqual(replied);
    expect(await followUpsOf(t, run.id)).toHaveLength(1);
  });

  it('creates a follow-up whose window has already closed as expired, never pending', async () => {
    const { run, contact, providerMessageId } = await sentTemplate(t, { sentHoursAgo: 30 });
    // a reply the provider delivers 25 hours late
    await deliver(
      t,
      inbound(contact.phone, { quotedMsgId: providerMessageId, time: now() - 25 * 3600 }),
    );
    const [followUp] = await followUpsOf(t, run.id);
    expect(followUp?.status).toBe('expired');
  });

  it('renders a follow-up placeholder named like a property of every object by its fallback', async () => {
    for (const [followUpBody, body] of [
      ['Thanks {{constructor|friend}}!', 'Thanks friend!'],
      ['{{toString|x}} {{__proto__|y}} {{first_name}}', 'x y Ivan'],
    ] as const) {
      const sent = await sentTemplate(t, { followUpBody });
      await deliver(t, inbound(sent.contact.phone, { quotedMsgId: sent.providerMessageId }));
      expect(await followUpsOf(t, sent.run.id)).toMatchObject([{ status: 'pending', body }]);
    }
  });

  it('queues no follow-up without a follow-up body, or when it does not render', async () => {
    const none = await sentTemplate(t, { followUpBody: null });
    await deliver(t, inbound(none.contact.phone, { quotedMsgId: none.providerMessageId }));
    expect(await followUpsOf(t, none.run.id)).toEqual([]);
    const missing = await sentTemplate(t, { followUpBody: 'Hi {{nickname}}', attributes: {} });
    await deliver(t, inbound(missing.contact.phone, { quotedMsgId: missing.providerMessageId }));
    expect(await followUpsOf(t, missing.run.id)).toEqual([]);
    expect((await messageById(t, missing.message.id)).repliedAt).not.toBeNull();
    // longer than WhatsApp takes in a text message: the provider would refuse it
    const long = await sentTemplate(t, {
      followUpBody: 'Thanks {{note}}',
      attributes: { note: 'n'.repeat(4090) },
    });
    await deliver(t, inbound(long.contact.phone, { quotedMsgId: long.providerMessageId }));
    expect(await followUpsOf(t, long.run.id)).toEqual([]);
  });
});
