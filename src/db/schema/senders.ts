import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/** drizzle's pg-core has no bytea; postgres.js reads and writes it as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const senderProvider = pgEnum('sender_provider', ['chat-api', 'cloud-api', 'sandbox']);
export const senderStatus = pgEnum('sender_status', ['active', 'paused', 'auth_failed']);

/**
 * The bounds of a sender's pace: those of SEND_RATE_PER_SECOND, which the default sender takes
 * (docs/decisions.md, "Senders"). Below 0.01 a send's slot lies beyond the largest timestamp.
 */
export const SENDER_RATE_BOUNDS = { min: 0.01, max: 10_000 } as const;
/** The most distinct phones a sender's 24-hour limit may name: above Meta's highest finite tier. */
export const MESSAGING_LIMIT_MAX = 10_000_000;
/** The largest sealed credentials blob (src/senders/credentials-cipher.ts): the API's bounds fit. */
export const CREDENTIALS_MAX_BYTES = 16_384;

/**
 * A sending number (docs/design.md, rule 31): a provider account campaigns send through. The
 * default one follows the environment at every start (src/senders/default-sender.ts); its
 * credentials are the environment's and are never stored here. Soft-deleted, as templates are,
 * so that finished campaigns keep naming theirs.
 */
export const senders = pgTable(
  'senders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 200 }).notNull(),
    provider: senderProvider('provider').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    ratePerSecond: doublePrecision('rate_per_second').notNull().default(20),
    /** Distinct phones sent a template in any rolling 24 hours; null: no limit. */
    messagingLimit24h: integer('messaging_limit_24h'),
    status: senderStatus('status').notNull().default('active'),
    /** Why the sender is paused or auth_failed, in words. */
    statusReason: varchar('status_reason', { length: 500 }),
    /** Meta's id of the number (cloud-api): webhook entries are routed by it. */
    phoneNumberId: varchar('phone_number_id', { length: 64 }),
    displayPhoneNumber: varchar('display_phone_number', { length: 32 }),
    businessAccountId: varchar('business_account_id', { length: 64 }),
    /** The provider's credentials, sealed (AES-256-GCM under SECRETS_KEY); null for the sandbox and the default sender. */
    credentials: bytea('credentials'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    // at most one default sender; also the lookup `WHERE is_default` (default_sender_id()).
    uniqueIndex('senders_default_uq').on(t.isDefault).where(sql`${t.isDefault}`),
    // a number is one sender; also the webhook's routing `WHERE phone_number_id = $1`.
    uniqueIndex('senders_phone_number_id_uq')
      .on(t.phoneNumberId)
      .where(sql`${t.phoneNumberId} is not null and ${t.deletedAt} is null`),
    // GET /v1/senders newest first with a cursor.
    index('senders_created_idx').on(t.createdAt.desc(), t.id),
    check(
      'senders_rate_per_second_range',
      sql`${t.ratePerSecond} between ${sql.raw(String(SENDER_RATE_BOUNDS.min))} and ${sql.raw(String(SENDER_RATE_BOUNDS.max))}`,
    ),
    check(
      'senders_messaging_limit_range',
      sql`${t.messagingLimit24h} is null or ${t.messagingLimit24h} between 1 and ${sql.raw(String(MESSAGING_LIMIT_MAX))}`,
    ),
    check(
      'senders_credentials_size',
      sql`octet_length(${t.credentials}) <= ${sql.raw(String(CREDENTIALS_MAX_BYTES))}`,
    ),
  ],
);
