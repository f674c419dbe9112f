import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/** What a user may do: docs/design.md, rule 27 (src/access/permissions.ts holds the table). */
export const userRole = pgEnum('user_role', ['admin', 'marketer', 'analyst']);

/** The people who sign in to the console or hold personal API tokens. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased: sign-in compares it exactly. */
    email: varchar('email', { length: 254 }).notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    role: userRole('role').notNull(),
    /** `scrypt$N$r$p$salt$hash` (src/users/passwords.ts). */
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [
    // sign-in: `WHERE email = $1`; and one account per address.
    uniqueIndex('users_email_idx').on(t.email),
    check('users_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * Console sessions, in PostgreSQL so that every API process reads the same ones. The cookie holds
 * a random token; only its SHA-256 is stored, so a copy of this table signs no one in.
 */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Sent back in every state-changing form and in `X-CSRF-Token` (docs/design.md, rule 28). */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** The absolute end, whatever the activity: SESSION_MAX_HOURS after the sign-in. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // a user's sessions end together when the user is disabled: `WHERE user_id = $1`.
    index('sessions_user_idx').on(t.userId),
    // housekeeping: `DELETE ... WHERE expires_at < now()`.
    index('sessions_expires_idx').on(t.expiresAt),
  ],
);

/** Personal API tokens: each acts with its user's role. Only the token's SHA-256 is stored. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 100 }).notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    // every API call with a personal token: `WHERE token_hash = $1`.
    uniqueIndex('api_tokens_hash_idx').on(t.tokenHash),
    // a user's tokens page: `WHERE user_id = $1`.
    index('api_tokens_user_idx').on(t.userId),
  ],
);

/** Failed sign-ins, per account and per address, for the throttle (docs/design.md, rule 29). */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** `account:<email>` or `address:<ip>`. */
    key: varchar('key', { length: 300 }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // the throttle: `WHERE key = $1 AND at > now() - interval '1 minute'`.
    index('login_failures_key_idx').on(t.key, t.at),
  ],
);

/** Who did what to what, and when (docs/design.md, rule 30). Kept AUDIT_RETENTION_DAYS. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorKind: text('actor_kind', { enum: ['user', 'token', 'machine', 'anonymous'] }).notNull(),
    /** Kept when the user is deleted later: the trail must not lose who did it. */
    userId: uuid('user_id'),
    tokenId: uuid('token_id'),
    email: varchar('email', { length: 254 }),
    action: varchar('action', { length: 60 }).notNull(),
    targetType: varchar('target_type', { length: 40 }).notNull(),
    targetId: varchar('target_id', { length: 200 }),
    /** At most a few fields naming the change; never a password, token or message body. */
    detail: jsonb('detail').notNull().default({}),
  },
  (t) => [
    // the audit page and GET /v1/audit: newest first, optionally from/to.
    index('audit_events_at_idx').on(t.at, t.id),
    // `?action=`: `WHERE action = $1 ORDER BY at DESC`.
    index('audit_events_action_idx').on(t.action, t.at),
  ],
);
