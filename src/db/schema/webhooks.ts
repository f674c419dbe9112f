import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns';
import { contacts } from './contacts';
import { messages } from './messages';
import { senders } from './senders';

/** Every webhook body as received, stored before it is applied and before the 200. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    body: jsonb('body').notNull(),
    /** Whose format the body is in: a chat-api gateway's, or Meta's Cloud API's. */
    source: text('source').$type<'chat-api' | 'cloud-api'>().notNull().default('chat-api'),
    /** The sender whose webhook received it (null: the default sender, or before senders). */
    senderId: uuid('sender_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /** Why applying the event failed, kept for an operator to look at. */
    error: text('error'),
  },
  (t) => [
    // the re-apply sweep: `WHERE processed_at IS NULL ORDER BY id`.
    index('webhook_events_unprocessed_idx').on(t.id).where(sql`${t.processedAt} is null`),
  ],
);

/** Messages of the chat posted by the provider: customers' replies and the business's own. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // unique: the same provider message delivered twenty times is stored once.
    providerMessageId: text('provider_message_id').notNull().unique(),
    phone: text('phone').notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    fromMe: boolean('from_me').notNull(),
    type: text('type').notNull(),
    body: text('body'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    quotedMessageId: text('quoted_message_id'),
    /** The campaign message this reply is attributed to (docs/design.md, rule 17). */
    attributedMessageId: bigint('attributed_message_id', { mode: 'number' }).references(
      () => messages.id,
      { onDelete: 'set null' },
    ),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    isOptOut: boolean('is_opt_out').notNull().default(false),
    /**
     * The payload of a quick-reply button the customer tapped, or the id of an interactive
     * reply (Meta's Cloud API); `body` holds its text. Meta's bound, as the webhook takes it.
     */
    payload: varchar('payload', { length: 4096 }),
    /** The sending number the customer wrote to (null: the default sender, rows before 0017). */
    senderId: uuid('sender_id').references(() => senders.id),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // a phone's conversation history: `WHERE phone = $1 ORDER BY sent_at`.
    index('inbound_messages_phone_idx').on(t.phone, t.sentAt),
    // stats: replies attributed to a campaign.
    index('inbound_messages_campaign_idx').on(t.campaignId).where(sql`${t.campaignId} is not null`),
  ],
);

/**
 * The free 24-hour window of each phone that wrote to us, across our numbers: its end is the
 * latest of the phone's windows (conversation_windows), which is what the conversations list,
 * the console and the stats' open windows show.
 */
export const conversations = pgTable(
  'conversations',
  {
    phone: text('phone').primaryKey(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }).notNull(),
    windowExpiresAt: timestamp('window_expires_at', { withTimezone: true }).notNull(),
    /** The campaign of the latest attributed reply. */
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    /** The run of the message the latest attributed reply was attributed to. */
    runId: uuid('run_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /v1/conversations?open=true: `WHERE window_expires_at > now()`.
    index('conversations_window_idx').on(t.windowExpiresAt),
    // stats `windowsOpen` of a campaign or a run: `WHERE campaign_id = $1 AND window_expires_at
    // > now()`, an index range instead of every open window of every campaign.
    index('conversations_campaign_window_idx')
      .on(t.campaignId, t.windowExpiresAt)
      .where(sql`${t.campaignId} is not null`),
    index('conversations_run_window_idx')
      .on(t.runId, t.windowExpiresAt)
      .where(sql`${t.runId} is not null`),
  ],
);

/**
 * A phone's window with one sending number (docs/design.md, rule 34): a customer who wrote to
 * one number opened the free window of that number only. Free-form messages and follow-ups go
 * out through the sender whose window is open; past the 24-hour messaging limit a template may
 * still go to a phone inside the window of the run's sender.
 */
export const conversationWindows = pgTable(
  'conversation_windows',
  {
    phone: text('phone').notNull(),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => senders.id),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }).notNull(),
    windowExpiresAt: timestamp('window_expires_at', { withTimezone: true }).notNull(),
  },
  // every read is by phone, or by phone and sender: the key's prefix.
  (t) => [primaryKey({ columns: [t.phone, t.senderId] })],
);
