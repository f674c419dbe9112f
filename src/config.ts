import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';

/**
 * The whole configuration of the service, parsed from the environment once at start.
 * This module is the only reader of `process.env`: everything else receives a `Config`.
 */

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

/** A whole number within bounds: a limit too small or too large to make sense is refused. */
const intBetween = (min: number, max: number, fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

const secret = z.preprocess(
  emptyToUndefined,
  z.string().min(16, 'must be at least 16 characters long').optional(),
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
    PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    DATABASE_URL: urlString(['postgres:', 'postgresql:']),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    API_TOKEN: secret,
    WEBHOOK_SECRET: secret,
    CHAT_API_URL: urlString(['http:', 'https:']),
    CHAT_API_TOKEN: optionalString,
    /**
     * A worker process silent for this long is dead: the rows it had `sending` become `unknown`
     * and its dispatch leases lapse. Heartbeats come every 2 s.
     */
    WORKER_TIMEOUT_SECONDS: positiveInt(20),
    /**
     * Runs one process dispatches at once. With several worker processes, 1 spreads the runs
     * over them (a run waits for a free process); one process alone needs as many as the
     * campaigns that run at the same time, or they take turns of 15 s.
     */
    DISPATCH_CONCURRENCY: positiveInt(4),
    /** Days an applied webhook event is kept (its body, for a look after the fact). */
    WEBHOOK_EVENTS_RETENTION_DAYS: positiveInt(7),
    /** How long a provider call may take before its outcome is `unknown`. */
    PROVIDER_TIMEOUT_SECONDS: positiveInt(15),
    SEND_RATE_PER_SECOND: z.preprocess(
      emptyToUndefined,
      z.coerce.number().positive().max(10_000).default(20),
    ),
    SEND_MAX_ATTEMPTS: positiveInt(5),
    REPLY_ATTRIBUTION_HOURS: positiveInt(72),
    MISSED_RUN_GRACE_MINUTES: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().min(0).default(60),
    ),
    MESSAGING_LIMIT_24H: z.preprocess(
      emptyToUndefined,
      z.coerce.number().int().positive().optional(),
    ),
    OPT_OUT_KEYWORDS: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT,OPTOUT')
        .transform((value) =>
          value
            .split(',')
            .map((keyword) => keyword.trim().toUpperCase())
            .filter((keyword) => keyword.length > 0),
        )
        .refine((keywords) => keywords.length > 0, 'must name at least one keyword'),
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
     * CSV uploads one API process receives at once; one more is answered 429 with Retry-After.
     * Each is spooled to a temporary file of up to MAX_UPLOAD_BYTES while it arrives.
     */
    UPLOADS_MAX_CONCURRENT: intBetween(1, 1000, 10),
    /** CSV exports of messages one API process streams at once; one more is answered 429. */
    EXPORTS_MAX_CONCURRENT: intBetween(1, 1000, 10),
    /** An upload that sends no byte for this long is cut (408) and stores nothing. */
    UPLOAD_IDLE_TIMEOUT_SECONDS: intBetween(1, 3600, 30),
    /**
     * Connections of the pool that uploads and exports write and read through, apart from the
     * service's own pool (10), so that however many of them run, the webhook, the workers and
     * /readyz keep theirs.
     */
    BULK_POOL_SIZE: intBetween(1, 100, 3),
    /** Rows an import stages before it merges them into contacts (see import-csv.ts). */
    IMPORT_SEGMENT_ROWS: positiveInt(100_000),
    /** How long a graceful shutdown waits for in-flight work before it gives up. */
    SHUTDOWN_TIMEOUT_SECONDS: positiveInt(30),
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
