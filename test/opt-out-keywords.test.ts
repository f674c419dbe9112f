import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, optOuts } from '../src/db/schema';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';
import { deliver, followUpsOf, inbound, messageById, sentTemplate } from './helpers/webhooks';

// API only: rows these tests plant must not be sent by a dispatcher meanwhile; the default
// keywords with two added in other languages
const t = useTestService({
  env: {
    ROLE: 'api',
    OPT_OUT_KEYWORDS: 'STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT,OPTOUT,ALTO,СТОП',
  },
});

const db = () => t.service.ctx.database.db;
describe('opt-out keywords', () => {
  it.each([
    'STOP',
    'stop',
    '  Stop  ',
    '\tUNSUBSCRIBE\n',
    'optout',
    'Quit',
    // the first word, after punctuation, whitespace and case
    'Stop.',
    'STOP!!',
    'stop 🙏',
    ' Stop please',
    'stop please',
    '"Stop", thanks',
    '¡Alto!',
    'alto por favor',
    'Стоп',
    'стоп, пожалуйста',
    'ＳＴＯＰ',
    // the first word is `End`: a false positive the first-word rule accepts (docs/decisions.md)
    'End of story, I love it',
  ])(
    '%j opts the contact out, skips its pending messages and queues no follow-up',
    async (text) => {
      const { run, contact, providerMessageId, campaign } = await sentTemplate(t);
      // a pending manual message to the same phone
      const [pending] = await db()
        .insert(messages)
        .values({ phone: contact.phone, contactId: contact.id, kind: 'manual', body: 'hi' })
        .returning();
      await deliver(t, inbound(contact.phone, { body: text, quotedMsgId: providerMessageId }));
      const [optOut] = await db().select().from(optOuts).where(eq(optOuts.phone, contact.phone));
      expect(optOut).toMatchObject({
        source: 'keyword',
        campaignId: campaign.id,
        contactId: contact.id,
      });
      expect(await followUpsOf(t, run.id)).toEqual([]);
      expect(pending && (await messageById(t, pending.id))).toMatchObject({
        status: 'skipped',
        error: 'opted out',
      });
    },
  );

  it("skips the contact's pending template rows in every active run", async () => {
    const f = factories(t);
    const first = await sentTemplate(t);
    const second = await sentTemplate(t);
    // the first contact is also pending in the second run
    const [pending] = await db()
      .insert(messages)
      .values({
        runId: second.run.id,
        campaignId: second.campaign.id,
        contactId: first.contact.id,
        phone: first.contact.phone,
        kind: 'template',
      })
      .returning();
    const bystander = await f.contact({});
    const [untouched] = await db()
      .insert(messages)
      .values({
        runId: second.run.id,
        campaignId: second.campaign.id,
        contactId: bystander.id,
        phone: bystander.phone,
      })
      .returning();
    await deliver(t, inbound(first.contact.phone, { body: 'STOP' }));
    expect(pending && (await messageById(t, pending.id))?.status).toBe('skipped');
    expect(untouched && (await messageById(t, untouched.id))?.status).toBe('pending');
  });

  it.each(['please stop', 'S T O P', 'Stopping by later?', 'nonstop', '🛑', 'Altos'])(
    '%j is not a keyword',
    async (text) => {
      const { run, contact, providerMessageId } = await sentTemplate(t);
      await deliver(t, inbound(contact.phone, { body: text, quotedMsgId: providerMessageId }));
      expect(await db().select().from(optOuts).where(eq(optOuts.phone, contact.phone))).toEqual([]);
      expect(await followUpsOf(t, run.id)).toHaveLength(1);
    },
  );

  it('a follow-up is never queued after a STOP, even for a later reply', async () => {
    const { run, contact, providerMessageId } = await sentTemplate(t);
    await deliver(t, inbound(contact.phone, { body: 'STOP', quotedMsgId: providerMessageId }));
    await deliver(t, inbound(contact.phone, { body: 'ok', quotedMsgId: providerMessageId }));
    expect(await followUpsOf(t, run.id)).toEqual([]);
  });
});
