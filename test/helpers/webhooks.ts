import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { messages } from '../../src/db/schema';
import { factories } from './factories';
import { TEST_WEBHOOK_SECRET, type TestService, waitFor } from './service';

export type Json = Record<string, unknown>;

/** A webhook body of test/fixtures/webhooks, parsed: the provider's exact shapes. */
export function webhookFixture(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), 'utf8'),
  ) as Json;
}

export function postWebhook(
  t: TestService,
  body: unknown,
  secret: string | null = TEST_WEBHOOK_SECRET,
): Promise<Response> {
  const query = secret === null ? '' : `?secret=${encodeURIComponent(secret)}`;
  return t.request(`/webhooks/chat-api${query}`, {
    method: 'POST',
    auth: false,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Waits until every stored webhook event has been applied. */
export async function waitApplied(t: TestService, timeoutMs?: number): Promise<void> {
  const { sql } = t.service.ctx.database;
  await waitFor(
    async () => {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from webhook_events where processed_at is null`;
      return row?.n === 0;
    },
    { what: 'webhook events to be applied', ...(timeoutMs ? { timeoutMs } : {}) },
  );
}

/** Posts, expects 200, waits for the apply. */
export async function deliver(t: TestService, body: unknown): Promise<void> {
  const response = await postWebhook(t, body);
  if (response.status !== 200)
    throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  await waitApplied(t);
}

export const chatIdOf = (phone: string) => `${phone.replace(/\D/g, '')}@c.us`;

export function ack(id: string, phone: string, status: string): Json {
  return { ack: [{ id, chatId: chatIdOf(phone), status }], instanceId: '777' };
}

/** A customer's message in the exact chat-api shape (the fixture with other values). */
export function inbound(
  phone: string,
  fields: {
    body?: string;
    quotedMsgId?: string | null;
    time?: number;
    fromMe?: boolean;
    /** The provider's message id; by default a new one (an echo of our send has the send's). */
    id?: string;
  } = {},
): Json {
  const [template] = webhookFixture('message-reply').messages as Json[];
  const chatId = chatIdOf(phone);
  return {
    messages: [
      {
        ...template,
        id: fields.id ?? `false_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`,
        author: chatId,
        chatId,
        body: fields.body ?? 'Yes please',
        fromMe: fields.fromMe ?? false,
        time: fields.time ?? Math.floor(Date.now() / 1000),
        quotedMsgId: fields.quotedMsgId ?? null,
      },
    ],
    instanceId: '777',
  };
}

/**
 * A campaign, a run and a contact with a template message sent to it (the dispatcher is not on
 * this branch): what acks and replies refer to.
 */
export async function sentTemplate(
  t: TestService,
  options: {
    followUpBody?: string | null;
    sentHoursAgo?: number;
    status?: 'pending' | 'sending' | 'sent' | 'unknown';
    attributes?: Record<string, string>;
    phone?: string;
  } = {},
) {
  const { db } = t.service.ctx.database;
  const f = factories(t);
  const templateId = await f.template(['{{first_name}}']);
  const contact = await f.contact(
    options.attributes ?? { first_name: 'Ivan' },
    options.phone ?? `+7999${randomInt(1_000_000, 9_999_999)}`,
  );
  const { campaign, run } = await f.campaignWithRun({
    name: 'Spring sale',
    templateId,
    listIds: [],
    status: 'running',
    followUpBody:
      options.followUpBody === undefined ? 'Thanks {{first_name}}!' : options.followUpBody,
  });
  const status = options.status ?? 'sent';
  const providerMessageId = `true_${chatIdOf(contact.phone)}_${randomBytes(10).toString('hex').toUpperCase()}`;
  const sentAt =
    status === 'sent' ? new Date(Date.now() - (options.sentHoursAgo ?? 0) * 3_600_000) : null;
  const [message] = await db
    .insert(messages)
    .values({
      runId: run.id,
      campaignId: campaign.id,
      contactId: contact.id,
      phone: contact.phone,
      kind: 'template',
      status,
      providerMessageId,
      sentAt,
      attempts: 1,
    })
    .returning();
  if (!message) throw new Error('no message');
  return { campaign, run, contact, message, providerMessageId };
}

export async function messageById(t: TestService, id: number) {
  const { db } = t.service.ctx.database;
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  if (!row) throw new Error(`no message ${id}`);
  return row;
}

/** The follow-up rows of a run (at most one per contact). */
export function followUpsOf(t: TestService, runId: string) {
  return t.service.ctx.database.db
    .select()
    .from(messages)
    .where(and(eq(messages.runId, runId), eq(messages.kind, 'followup')));
}
