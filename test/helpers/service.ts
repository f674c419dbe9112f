import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Config, loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import type { SandboxOptions } from '../../src/provider/sandbox';
import type { RegisteredJob } from '../../src/queue/job';
import { type Service, startService } from '../../src/service';
import { createTestDatabase, type TestDatabase } from './database';
import { FakeProvider } from './fake-provider';

export const TEST_API_TOKEN = 'test-api-token-0123456789';
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
/** SECRETS_KEY of every test service: senders' credentials can be stored on the test server. */
export const TEST_SECRETS_KEY = 'test-secrets-key-0123456789abcdef0123456789abcdef';

/**
 * The first admin of every test service and child service (ADMIN_EMAIL, ADMIN_PASSWORD), so
 * that no start generates a password and prints it.
 */
export const testAdmin = {
  email: 'admin@example.com',
  password: 'test-admin-password-0123',
} as const;

/** The environment that names the first admin: testAdmin. */
export const testAdminEnv = { ADMIN_EMAIL: testAdmin.email, ADMIN_PASSWORD: testAdmin.password };

/** A logger whose lines a test can read. */
export function captureLogger(level = 'info'): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines: () => lines.map((l) => JSON.parse(l)) };
}

export type TestService = {
  service: Service;
  database: TestDatabase;
  provider: FakeProvider;
  config: Config;
  baseUrl: string;
  /** fetch against the service, with the bearer token unless `auth: false`. */
  request(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  stop(): Promise<void>;
};

export type TestServiceOptions = {
  env?: Record<string, string>;
  logger?: Logger;
  jobs?: RegisteredJob[];
  /** Sandbox provider options (with `env: { CHAT_API_URL: '' }`). */
  sandbox?: Omit<SandboxOptions, 'webhookUrl' | 'stopping'>;
  /** Another instance on this database (several processes on one PostgreSQL); not dropped. */
  database?: TestDatabase;
};

/**
 * The real service on its own fresh database, listening on a free port, with a fake chat-api
 * provider: what every integration test talks to over real HTTP.
 */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const owned = !options.database;
  const database = options.database ?? (await createTestDatabase());
  const provider = await FakeProvider.start();
  const config = loadConfig({
    DATABASE_URL: database.url,
    API_TOKEN: TEST_API_TOKEN,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    SECRETS_KEY: TEST_SECRETS_KEY,
    CHAT_API_URL: provider.url,
    CHAT_API_TOKEN: provider.token,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_SECONDS: '10',
    PROVIDER_TIMEOUT_SECONDS: '1',
    // Off: the suite's schedules fire every two seconds, and its campaigns run again at once.
    // test/schedule-interval.test.ts runs with the default.
    MIN_SCHEDULE_INTERVAL_MINUTES: '0',
    // Off: a sync at start would add Graph API requests to the tests that count them.
    // test/template-sync.test.ts turns it on.
    TEMPLATE_SYNC_MINUTES: '0',
    ...testAdminEnv,
    ...options.env,
  });
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const service = await startService(config, logger, {
    jobs: options.jobs,
    sandbox: options.sandbox,
  });
  const baseUrl = `http://127.0.0.1:${service.port}`;
  return {
    service,
    database,
    provider,
    config,
    baseUrl,
    request: (path, init = {}) => {
      const { auth = true, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth && !headers.has('authorization'))
        headers.set('authorization', `Bearer ${TEST_API_TOKEN}`);
      return fetch(`${baseUrl}${path}`, { ...rest, headers });
    },
    stop: async () => {
      await service.stop();
      await provider.stop();
      if (owned) await database.drop();
    },
  };
}

/**
 * The service of a test file (or of a describe block): started before its tests, stopped after
 * them. Call it where the tests are declared; its fields are read when a hook or a test runs, so
 * helpers take it as they take a started service. A setup of the file's own goes in a
 * `beforeAll` registered after it, which runs after the start.
 */
export function useTestService(options: TestServiceOptions = {}): TestService {
  let started: TestService | undefined;
  beforeAll(async () => {
    started = await startTestService(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): TestService => {
    if (!started) throw new Error('the test service starts in beforeAll: use it in a hook or test');
    return started;
  };
  return {
    get service() {
      return current().service;
    },
    get database() {
      return current().database;
    },
    get provider() {
      return current().provider;
    },
    get config() {
      return current().config;
    },
    get baseUrl() {
      return current().baseUrl;
    },
    request: (path, init) => current().request(path, init),
    stop: () => current().stop(),
  };
}

/**
 * For files whose tests each need a service of their own settings: answers a function that
 * starts one, and stops every service it started after each test, passed or failed.
 */
export function useServicePerTest(): (options?: TestServiceOptions) => Promise<TestService> {
  const started: TestService[] = [];
  afterEach(async () => {
    for (const service of started.splice(0).reverse()) await service.stop();
  });
  return async (options) => {
    const service = await startTestService(options);
    started.push(service);
    return service;
  };
}

/** Polls until `check` returns a truthy value (tests wait for conditions, not fixed sleeps). */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
