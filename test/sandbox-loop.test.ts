import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { conversations, messages } from '../src/db/schema';
import { factories } from './helpers/factories';
import { useTestService, waitFor } from './helpers/service';

const t = useTestService({
  env: { CHAT_API_URL: '', CHAT_API_TOKEN: '' },
  sandbox: { ackDelayMs: 20, replyRate: 1, stopRate: 0 },
});

it("the sandbox provider's acks and replies go through the webhook: read, replied, window open", async () => {
  const { ctx } = t.service;
  expect(ctx.provider.name).toBe('sandbox');
  const f = factories(t);
  const contact = await f.contact({ first_name: 'Ivan' }, '+79995253422');
  const outcome = await ctx.provider.sendTemplate({
    to: '+79995253422',
    template: { name: 'promo', language: 'en', namespace: 'ns', policy: 'deterministic' },
    parameters: { format: 'positional', body: [] },
  });
  if (outcome.kind !== 'accepted') throw new Error(`sandbox refused: ${outcome.kind}`);
  const [row] = await ctx.database.db
    .insert(messages)
    .values({
      contactId: contact.id,
      phone: contact.phone,
      status: 'sent',
      sentAt: new Date(),
      providerMessageId: outcome.providerMessageId,
    })
    .returning();
  if (!row) throw new Error('no row');
  const read = await waitFor(
    async () => {
      const [current] = await ctx.database.db
        .select()
        .from(messages)
        .where(eq(messages.id, row.id));
      return current?.status === 'read' ? current : undefined;
    },
    { what: 'the sandbox ack to mark the message read' },
  );
  expect(read.deliveredAt).not.toBeNull();
  const conversation = await waitFor(
    async () => {
      const [current] = await ctx.database.db
        .select()
        .from(conversations)
        .where(eq(conversations.phone, contact.phone));
      return current;
    },
    { what: 'the sandbox reply to open a window' },
  );
  expect(conversation.windowExpiresAt.getTime()).toBeGreaterThan(Date.now());
});
