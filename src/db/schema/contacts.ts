import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const lists = pgTable('lists', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  description: text('description'),
  createdAt: createdAt(),
});

/** One row per phone: the phone (E.164) is the natural key every import merges on. */
export const contacts = pgTable(
  'contacts',
  {
    // Time-ordered (version 7) ids, made by the import (src/db/uuid.ts) or by this default
    // (migration 0001): an audience snapshot walks contacts in id order, and time-ordered ids keep
    // that walk and its message inserts on neighbouring pages instead of random ones.
    id: uuid('id').primaryKey().default(sql`uuid_v7()`),
    // unique: import merge and webhook lookup by phone (`WHERE phone = $1`, `ON CONFLICT (phone)`).
    phone: text('phone').notNull().unique(),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    /** The WhatsApp profile name the person gave, from their latest message (Cloud API). */
    profileName: varchar('profile_name', { length: 256 }),
    /** Meta's business-scoped user id (`user_id`, e.g. `US.13491…`), when a webhook carried one. */
    bsuid: varchar('bsuid', { length: 128 }),
    /** The import that created the contact: a retried import still counts it as created. */
    createdByImportId: uuid('created_by_import_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // a message from a person known only by their BSUID (no phone in the webhook)
    uniqueIndex('contacts_bsuid_uq').on(t.bsuid).where(sql`${t.bsuid} is not null`),
  ],
);

/**
 * Membership of contacts in lists. No foreign keys on purpose: their per-row triggers doubled
 * the cost of an import (16 µs a row measured). Lists are deleted with their memberships in
 * one transaction (deleteList), and contacts are never deleted.
 */
export const listMembers = pgTable(
  'list_members',
  {
    listId: uuid('list_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // primary key: a list's contacts in id order (cursor pagination, contactCount, the
    // audience snapshot `WHERE list_id = ANY($1)`), and membership upserts.
    primaryKey({ columns: [t.listId, t.contactId] }),
  ],
);

export const importStatus = pgEnum('import_status', ['queued', 'running', 'completed', 'failed']);

/**
 * Why a row of an import was rejected, as a word a script can count on: a row with too few or
 * too many fields, a value or row over its limit, a quote never closed, a phone that is no
 * possible number, and one written without a country code in an import without a default country.
 */
export const IMPORT_ERROR_KINDS = [
  'fieldCount',
  'tooLong',
  'unclosedQuote',
  'invalidPhone',
  'missingCountry',
] as const;
export type ImportErrorKind = (typeof IMPORT_ERROR_KINDS)[number];

/**
 * A rejected row: its data row number, the line of the file it starts on (the header is line
 * 1), its kind and reason. Errors stored before lines and kinds were recorded have neither.
 */
export type ImportError = {
  row: number;
  line?: number;
  kind?: ImportErrorKind;
  value: string;
  reason: string;
};

export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listId: uuid('list_id')
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    status: importStatus('status').notNull().default('queued'),
    /** phoneColumn, defaultCountry, delimiter as given on the request. */
    options: jsonb('options').$type<Record<string, string>>().notNull().default({}),
    rows: integer('rows').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    duplicates: integer('duplicates').notNull().default(0),
    invalid: integer('invalid').notNull().default(0),
    errors: jsonb('errors').$type<ImportError[]>().notNull().default([]),
    /** Rejected rows by kind, all of them (`errors` keeps the first 1,000). */
    errorCounts: jsonb('error_counts')
      .$type<Partial<Record<ImportErrorKind, number>>>()
      .notNull()
      .default({}),
    /** Why the whole import failed, when it did. */
    failure: text('failure'),
    /**
     * Attempts started. An attempt's number is its lease: it writes the row only while the row
     * still holds that number (see contacts/import/import-lease.ts).
     */
    attempts: integer('attempts').notNull().default(0),
    /** When the latest attempt started after an earlier one stopped without finishing. */
    restartedAt: timestamp('restarted_at', { withTimezone: true }),
    /** A running attempt renews this; once it is past, a worker starts the import again. */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    // the imports of a list (list deletion, history).
    index('imports_list_idx').on(t.listId),
    // the recovery sweep: running imports whose lease lapsed.
    index('imports_running_lease_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'running'`),
  ],
);

/**
 * An upload's text, in order, kept until its import job has read it: the API process that
 * receives a file and the worker that imports it may run on different machines. Text, not bytes:
 * the upload is checked to be UTF-8 without NUL as it arrives, and bytea travels as hex (a
 * 2 MB string per MB of file, each way). Chunks are small (64 Ki characters) so that their strings
 * stay in the young generation of the JavaScript heap; storage is EXTERNAL (not compressed):
 * the rows live minutes, and compressing them cost the database more than it saved.
 */
export const importUploads = pgTable(
  'import_uploads',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: text('data').notNull(),
  },
  // primary key: the job reads an upload's chunks in order.
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);

/** keyword: a STOP reply; api: an operator; provider: the provider said the person stopped marketing (131050). */
export const optOutSource = pgEnum('opt_out_source', ['keyword', 'api', 'provider']);

/**
 * Keyed on the phone, not the contact: a number can be opted out before any list holds it, and
 * stays out when a later import brings it in.
 */
export const optOuts = pgTable(
  'opt_outs',
  {
    phone: text('phone').primaryKey(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    source: optOutSource('source').notNull(),
    /** The campaign a keyword reply was attributed to (stats `optedOut`). */
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    /** The run of the message that reply was attributed to (stats `optedOut` of a run). */
    runId: uuid('run_id'),
    optedOutAt: timestamp('opted_out_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // GET /v1/opt-outs newest first with a cursor.
    index('opt_outs_opted_out_at_idx').on(t.optedOutAt.desc(), t.phone),
    // stats: opt-outs attributed to a campaign.
    index('opt_outs_campaign_idx').on(t.campaignId).where(sql`${t.campaignId} is not null`),
    // stats of a run: opt-outs attributed to it.
    index('opt_outs_run_idx').on(t.runId).where(sql`${t.runId} is not null`),
  ],
);
