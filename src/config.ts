import { readFileSync } from 'node:fs';
import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { parseFrequencyCap } from './delivery/frequency-cap';
import { parseQuietHours } from './delivery/send-window';
import { MAX_PRICE_CARD_BYTES, type PriceCard, parsePriceCard } from './stats/price-card';
import { firstWord } from './webhooks/opt-out-keyword';

/**
 * The whole configuration of the service, parsed from the environment once at start.
 * This module is the only reader of `process.env`: everything else receives a `Config`.
 */

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A text setting of at most `max` characters. */
const optionalString = (max: number) =>
  z.preprocess(emptyToUndefined, z.string().max(max).optional());
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));
/** A whole number within bounds: a limit too small or too large to make sense is refused. */
const boundedInt = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const secret = z.preprocess(
  emptyToUndefined,
  z.string().min(16, 'must be at least 16 characters long').optional(),
);

/** One of Meta's numeric ids (a phone number's, a business account's). */
const metaId = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^[0-9]{1,64}$/, "must be Meta's numeric id")
    .optional(),
);

const urlString = (protocols: string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(
        (value) => {
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
        `must be a URL starting with ${protocols.join(' or ')}//`,
      )
      .optional(),
  );

export const Role = z.enum(['api', 'worker', 'all']);
export type Role = z.infer<typeof Role>;

export const Config = z
  .object({
    PORT: z.preprocess(emptyToUndefined, port.default(3000)),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    DATABASE_URL: urlString(['postgres:', 'postgresql:']),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    /**
     * The port of the embedded PostgreSQL on 127.0.0.1, so that analysts' tools keep their
     * address. Set: that port, or the start fails if it is taken; 0: a free port at each start.
     * Unset: 5433, else the first free one up to 5442 (src/db/embedded-port.ts).
     */
    EMBEDDED_PG_PORT: z.preprocess(emptyToUndefined, port.optional()),
    API_TOKEN: secret,
    WEBHOOK_SECRET: secret,
    /**
     * The first admin, created at a start that finds no user (docs/design.md, rule 27). Without
     * them, `admin@localhost` gets a generated password, printed once on the terminal.
     */
    ADMIN_EMAIL: z.preprocess(emptyToUndefined, z.email().max(254).optional()),
    ADMIN_PASSWORD: z.preprocess(
      emptyToUndefined,
      z.string().min(12, 'must be at least 12 characters long').max(200).optional(),
    ),
    /** A console session ends after this long without a request (docs/design.md, rule 28). */
    SESSION_IDLE_MINUTES: boundedInt(5, 7 * 24 * 60, 8 * 60),
    /** A console session ends this long after its sign-in, however active. */
    SESSION_MAX_HOURS: boundedInt(1, 90 * 24, 7 * 24),
    /**
     * Failed sign-ins allowed per minute for one account and for one client address, each; the
     * next attempt is a 429 until the minute has passed (docs/design.md, rule 29).
     */
    LOGIN_MAX_FAILURES_PER_MINUTE: boundedInt(1, 100, 5),
    /**
     * Live console pages (server-sent events) open at once, all of them together; past it a new
     * one is a 429 and the page still shows its figures, without updates (src/console/live.ts).
     */
    LIVE_MAX_STREAMS: boundedInt(1, 100_000, 2000),
    /** A live stream closes after this long; the browser reconnects by itself. */
    LIVE_STREAM_MAX_MINUTES: boundedInt(1, 24 * 60, 60),
    /** Audit events older than this are deleted by the housekeeping (docs/design.md, rule 30). */
    AUDIT_RETENTION_DAYS: boundedInt(1, 3650, 365),
    /** Personal API tokens one user may hold; one more is a 409 until they revoke one. */
    TOKENS_PER_USER_MAX: boundedInt(1, 1000, 20),
    /**
     * The default sender (docs/design.md, rule 31) is a chat-api gateway when these are set, a
     * Cloud API number with the WHATSAPP_ ones below, else the sandbox; never both.
     */
    CHAT_API_URL: urlString(['http:', 'https:']),
    CHAT_API_TOKEN: optionalString(1024),
    /** The Cloud API number of the default sender: all five together, or none. */
    WHATSAPP_ACCESS_TOKEN: optionalString(4096),
    WHATSAPP_PHONE_NUMBER_ID: metaId,
    WHATSAPP_BUSINESS_ACCOUNT_ID: metaId,
    WHATSAPP_APP_SECRET: optionalString(256),
    WHATSAPP_VERIFY_TOKEN: optionalString(256),
    /**
     * The key that seals the senders' stored credentials (AES-256-GCM, src/senders/
     * credentials-cipher.ts): a random secret of at least 32 characters (`openssl rand -hex
     * 32`). Generated into DATA_DIR on the embedded database; on an external one, required once
     * a sender has stored credentials.
     */
    SECRETS_KEY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .min(32, 'must be at least 32 characters long')
        .max(1024, 'must be at most 1024 characters long')
        .optional(),
    ),
    /**
     * Meta's Graph API, which the Cloud API provider calls (src/provider/cloud-api.ts); tests
     * point it at a fake server.
     */
    GRAPH_API_URL: z.preprocess(
      emptyToUndefined,
      urlString(['http:', 'https:']).default('https://graph.facebook.com'),
    ),
    /**
     * The Graph API version in every Cloud API path: `v` and two numbers. The default is the
     * current one when the provider was written (docs/decisions.md, The Cloud API provider).
     */
    GRAPH_API_VERSION: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^v\d{1,3}\.\d{1,3}$/, 'must be a Graph API version such as v26.0')
        .default('v26.0'),
    ),
    /**
     * A worker process silent for this long is dead: the rows it had `sending` become `unknown`,
     * its dispatch leases lapse, and so does the lease of an import it was running (which then
     * starts again on a live worker). Heartbeats and lease renewals come every 2 s.
     */
    WORKER_TIMEOUT_SECONDS: positiveInt(20),
    /**
     * Runs one process dispatches at once. With several worker processes, 1 spreads the runs
     * over them (a run waits for a free process); one process alone needs as many as the
     * campaigns that run at the same time, or they take turns of 15 s.
     */
    DISPATCH_CONCURRENCY: positiveInt(4),
    /**
     * Seconds between the `info` lines that sum up the webhook traffic (each request is logged
     * at `debug` only). 1 to 3600.
     */
    WEBHOOK_LOG_SUMMARY_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(1).max(3600).default(60),
    ),
    /** Days an applied webhook event is kept (its body, for a look after the fact). */
    WEBHOOK_EVENTS_RETENTION_DAYS: positiveInt(7),
    /**
     * Seconds the webhooks keep the senders' webhook secrets (Cloud API app secrets and verify
     * tokens, chat-api senders' webhook secrets) before reading them again: a changed or deleted
     * sender's old secret is refused at most this long after. A signature or token that matches
     * none reads them again at once (at most once a second), so a new sender's first post is
     * taken. 0 to 300.
     */
    WEBHOOK_SENDERS_CACHE_SECONDS: boundedInt(0, 300, 10),
    /** How long a provider call may take before its outcome is `unknown`. */
    PROVIDER_TIMEOUT_SECONDS: positiveInt(15),
    /**
     * Sends a second for the whole account. At least 0.01 (one every 100 s): a smaller rate
     * spaced sends beyond the largest timestamp PostgreSQL stores, and the dispatcher looped.
     */
    SEND_RATE_PER_SECOND: z.preprocess(
      emptyToUndefined,
      z.coerce.number().min(0.01).max(10_000).default(20),
    ),
    SEND_MAX_ATTEMPTS: positiveInt(5),
    REPLY_ATTRIBUTION_HOURS: positiveInt(72),
    MISSED_RUN_GRACE_MINUTES: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(0).default(60),
    ),
    /**
     * The least time between two firings of one campaign's schedule (a cron pattern that fires
     * more often is refused), and between two sends of one campaign's template to one phone (a
     * recipient sent to more recently is skipped). 0 turns both off. At most a week.
     */
    MIN_SCHEDULE_INTERVAL_MINUTES: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(0).max(10_080).default(60),
    ),
    /**
     * Minutes between two syncs of every Cloud API sender's templates from Meta (the workers'
     * housekeeping queues one `template-sync` job a period, whatever the number of processes:
     * src/templates/template-sync.job.ts). 0 turns it off; otherwise 5 (Meta's Graph API limits
     * the calls of a business account: a sync a minute is waste) to 720 (pg-boss throttles a
     * job to one per period only for periods up to its archive interval, 12 hours).
     */
    TEMPLATE_SYNC_MINUTES: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number()
        .int()
        .min(0)
        .max(720)
        .refine((minutes) => minutes === 0 || minutes >= 5, 'must be 0 (off) or 5 to 720')
        .default(60),
    ),
    /**
     * Distinct phones the default sender sends templates to in any rolling 24 hours (docs/
     * design.md, rule 14); unset: no limit. At most 10,000,000, as a sender's own limit.
     */
    MESSAGING_LIMIT_24H: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().positive().max(10_000_000).optional(),
    ),
    /**
     * Share of a campaign's audience (percent) its preview may skip (a placeholder without
     * fallback whose attribute is missing) before starting or scheduling it needs
     * `{"acceptSkips": true}`.
     */
    MAX_SKIPPED_PERCENT: z.preprocess(
      emptyToUndefined,
      z.coerce.number().min(0).max(100).default(10),
    ),
    /**
     * Comma-separated words; a customer's message whose first word is one of them opts the
     * phone out (src/webhooks/opt-out-keyword.ts). Each must be one word (letters, marks, digits,
     * any script), or it could never be a first word.
     */
    OPT_OUT_KEYWORDS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT,OPTOUT')
        .transform((value) =>
          value
            .split(',')
            .map((keyword) => keyword.trim().normalize('NFKC').toUpperCase())
            .filter((keyword) => keyword.length > 0),
        )
        .refine((keywords) => keywords.length > 0, 'must name at least one keyword')
        .refine(
          (keywords) => keywords.every((keyword) => firstWord(keyword) === keyword),
          'each keyword must be one word of letters or digits (no spaces or punctuation)',
        ),
    ),
    DEFAULT_COUNTRY: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .transform((value) => value.toUpperCase())
        .refine(isSupportedCountry, 'must be an ISO 3166 alpha-2 country code such as DE')
        .transform((value) => value as CountryCode)
        .optional(),
    ),
    ROLE: z.preprocess(emptyToUndefined, Role.default('all')),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    /** Largest JSON body accepted on the API, in bytes. */
    MAX_JSON_BODY_BYTES: positiveInt(1024 * 1024),
    /** Largest CSV upload accepted, in bytes. */
    MAX_UPLOAD_BYTES: positiveInt(100 * 1024 * 1024),
    /**
     * Most bytes of stored values (contacts' attributes, templates' parameters) one page of a
     * list carries: the page ends early, with its `nextCursor`, rather than pass it.
     */
    LIST_PAGE_MAX_BYTES: boundedInt(64 * 1024, 256 * 1024 * 1024, 4 * 1024 * 1024),
    /**
     * CSV uploads one API process receives at once; one more is answered 429 with Retry-After.
     * Each is spooled to a temporary file of up to MAX_UPLOAD_BYTES while it arrives.
     */
    UPLOADS_MAX_CONCURRENT: boundedInt(1, 1000, 10),
    /** CSV exports of messages one API process streams at once; one more is answered 429. */
    EXPORTS_MAX_CONCURRENT: boundedInt(1, 1000, 10),
    /** An upload that sends no byte for this long is cut (408) and stores nothing. */
    UPLOAD_IDLE_TIMEOUT_SECONDS: boundedInt(1, 3600, 30),
    /**
     * Connections of the pool that uploads and exports write and read through, apart from the
     * service's own pool (10), so that however many of them run, the webhook, the workers and
     * /readyz keep theirs.
     */
    BULK_POOL_SIZE: boundedInt(1, 100, 3),
    /** Rows an import stages before it merges them into contacts (see contacts/import/import-csv.ts). */
    IMPORT_SEGMENT_ROWS: positiveInt(100_000),
    /**
     * With it, `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`; without it, anyone who
     * reaches the port may scrape (see METRICS_PORT).
     */
    METRICS_TOKEN: secret,
    /**
     * A second listener (every role, workers too) that serves `/metrics` alone; the main port
     * then answers it 404, so the port that faces the internet shows no figures.
     */
    METRICS_PORT: z.preprocess(emptyToUndefined, port.optional()),
    /**
     * How old the campaign figures of `/metrics` may get: at most one count per interval, from
     * the counter tables, however many scrape.
     */
    METRICS_REFRESH_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(1).max(3600).default(10),
    ),
    /** Longest attribute value an import takes, in characters: a longer one rejects its row. */
    IMPORT_MAX_VALUE_CHARS: boundedInt(1, 65_536, 1024),
    /**
     * Most attribute columns (all but the phone) a file may have: more fails the import. A
     * messages export takes at most as many attribute columns (a 400 past them).
     */
    IMPORT_MAX_COLUMNS: boundedInt(1, 10_000, 100),
    /**
     * Longest row an import takes, in characters (its fields and delimiters): a longer one is
     * rejected, and the parser never holds more than this of one row.
     */
    IMPORT_MAX_ROW_CHARS: boundedInt(1024, 16 * 1024 * 1024, 32_768),
    /**
     * Longest rendered template parameter, in characters: WhatsApp takes 1,024 in a template
     * with a header or buttons, 32,768 when the body is its only component. A longer one is
     * skipped before the send (templates/provider-rules.ts).
     */
    TEMPLATE_PARAMETER_MAX_CHARS: boundedInt(1, 32_768, 1024),
    /**
     * The longest a graceful shutdown takes, from the signal to the exit: work in flight gets it
     * less its last 5 s (at most half), which close the queue, the pool and the database.
     */
    SHUTDOWN_TIMEOUT_SECONDS: positiveInt(30),
    /**
     * The default frequency cap, `<max>/<days>d` (`2/7d`: at most two marketing templates to one
     * phone in any rolling seven days, across all campaigns); unset: none. A campaign may set
     * its own or none (delivery/frequency-cap.ts; docs/design.md, rule 35).
     */
    FREQUENCY_CAP: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .max(32)
        .transform((text, ctx) => {
          const cap = parseFrequencyCap(text);
          if ('problem' in cap) {
            ctx.addIssue({ code: 'custom', message: cap.problem });
            return z.NEVER;
          }
          return cap;
        })
        .optional(),
    ),
    /**
     * The default quiet hours, `21:00-08:00`: no marketing template is sent between them in its
     * recipient's local time, unless the campaign sets its own `sendWindow` or none; unset:
     * none (delivery/send-window.ts; docs/design.md, rule 37).
     */
    QUIET_HOURS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .max(32)
        .transform((text, ctx) => {
          const window = parseQuietHours(text);
          if ('problem' in window) {
            ctx.addIssue({ code: 'custom', message: window.problem });
            return z.NEVER;
          }
          return window;
        })
        .optional(),
    ),
    /**
     * The path of a CSV price card (`country_calling_code,category,price,currency`), read once at
     * start: with it the stats estimate what the billable messages cost (stats/price-card.ts).
     */
    PRICE_CARD: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .max(4096)
        .transform((path, ctx): PriceCard => {
          let text: string;
          try {
            const bytes = readFileSync(path);
            if (bytes.length > MAX_PRICE_CARD_BYTES) throw new Error('too large');
            text = bytes.toString('utf8');
          } catch (error) {
            ctx.addIssue({
              code: 'custom',
              message: `cannot read the price card ${path} (a file of at most ${MAX_PRICE_CARD_BYTES.toLocaleString('en')} bytes): ${(error as Error).message}`,
            });
            return z.NEVER;
          }
          const card = parsePriceCard(text);
          if ('problem' in card) {
            ctx.addIssue({ code: 'custom', message: `${path}: ${card.problem}` });
            return z.NEVER;
          }
          return card;
        })
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    // On an external database the service cannot keep generated secrets anywhere safe that
    // every process shares, so they must be given.
    if (env.DATABASE_URL) {
      for (const name of ['API_TOKEN', 'WEBHOOK_SECRET'] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required when DATABASE_URL is set',
          });
        }
      }
    }
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_PORT'], message: 'must differ from PORT' });
    }
    const whatsapp = [
      'WHATSAPP_ACCESS_TOKEN',
      'WHATSAPP_PHONE_NUMBER_ID',
      'WHATSAPP_BUSINESS_ACCOUNT_ID',
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
    ] as const;
    const whatsappSet = whatsapp.filter((name) => env[name] !== undefined);
    if (whatsappSet.length > 0) {
      for (const name of whatsapp.filter((name) => env[name] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is required when ${whatsappSet.join(', ')} ${whatsappSet.length > 1 ? 'are' : 'is'} set: the Cloud API number needs all five`,
        });
      }
      if (env.CHAT_API_URL || env.CHAT_API_TOKEN) {
        ctx.addIssue({
          code: 'custom',
          path: ['CHAT_API_URL'],
          message: `the default sender is either a chat-api gateway (CHAT_API_URL, CHAT_API_TOKEN) or a Cloud API number (${whatsapp.join(', ')}), not both; add the other one through /v1/senders`,
        });
      }
    }
    if (env.CHAT_API_URL && !env.CHAT_API_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['CHAT_API_TOKEN'],
        message: 'is required when CHAT_API_URL is set',
      });
    }
  });
export type Config = z.infer<typeof Config>;

export class ConfigError extends Error {
  constructor(readonly problems: { name: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.name}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses an environment (by default the process's own) into a Config, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Config.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      name: issue.path.join('.') || '(environment)',
      message: issue.message,
    })),
  );
}
