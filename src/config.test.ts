import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

function problemsOf(env: Record<string, string>): { name: string; message: string }[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('refuses a Meta id that is not digits', () => {
    expect(
      problemsOf({
        WHATSAPP_ACCESS_TOKEN: 'EAAx',
        WHATSAPP_PHONE_NUMBER_ID: '+1 555',
        WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
        WHATSAPP_APP_SECRET: 'app-secret-0123456789',
        WHATSAPP_VERIFY_TOKEN: 'verify-token-0123',
      }),
    ).toEqual([{ name: 'WHATSAPP_PHONE_NUMBER_ID', message: "must be Meta's numeric id" }]);
  });

  it('takes a Graph API URL and version, and refuses malformed ones', () => {
    expect(
      loadConfig({ GRAPH_API_URL: 'http://127.0.0.1:9/', GRAPH_API_VERSION: 'v27.0' }),
    ).toMatchObject({ GRAPH_API_URL: 'http://127.0.0.1:9/', GRAPH_API_VERSION: 'v27.0' });
    expect(problemsOf({ GRAPH_API_URL: 'ftp://graph', GRAPH_API_VERSION: '26' })).toEqual([
      { name: 'GRAPH_API_URL', message: 'must be a URL starting with http: or https://' },
      { name: 'GRAPH_API_VERSION', message: 'must be a Graph API version such as v26.0' },
    ]);
  });

  it('reads FREQUENCY_CAP as <max>/<days>d, and refuses anything else', () => {
    expect(loadConfig({ FREQUENCY_CAP: '2/7d' }).FREQUENCY_CAP).toEqual({ max: 2, days: 7 });
    expect(loadConfig({ FREQUENCY_CAP: '' }).FREQUENCY_CAP).toBeUndefined();
    expect(problemsOf({ FREQUENCY_CAP: 'twice a week' })).toEqual([
      {
        name: 'FREQUENCY_CAP',
        message: 'must be <max>/<days>d, such as 2/7d (max 1 to 100, days 1 to 365)',
      },
    ]);
  });

  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      SEND_RATE_PER_SECOND: 20,
      SEND_MAX_ATTEMPTS: 5,
      REPLY_ATTRIBUTION_HOURS: 72,
      MISSED_RUN_GRACE_MINUTES: 60,
      MIN_SCHEDULE_INTERVAL_MINUTES: 60,
      ROLE: 'all',
      LOG_LEVEL: 'info',
      GRAPH_API_URL: 'https://graph.facebook.com',
      GRAPH_API_VERSION: 'v26.0',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.MESSAGING_LIMIT_24H).toBeUndefined();
    expect(config.OPT_OUT_KEYWORDS).toEqual([
      'STOP',
      'STOPALL',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      'OPTOUT',
    ]);
  });

  it('parses every variable of the table', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      DATA_DIR: '/var/lib/app',
      API_TOKEN: 'a'.repeat(32),
      WEBHOOK_SECRET: 'b'.repeat(32),
      CHAT_API_URL: 'https://api.chat-api.com/instance777',
      CHAT_API_TOKEN: 'tok',
      SEND_RATE_PER_SECOND: '12.5',
      SEND_MAX_ATTEMPTS: '3',
      REPLY_ATTRIBUTION_HOURS: '24',
      MISSED_RUN_GRACE_MINUTES: '0',
      MESSAGING_LIMIT_24H: '1000',
      OPT_OUT_KEYWORDS: ' stop , Arret,, стоп',
      DEFAULT_COUNTRY: 'de',
      ROLE: 'worker',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      SEND_RATE_PER_SECOND: 12.5,
      SEND_MAX_ATTEMPTS: 3,
      MISSED_RUN_GRACE_MINUTES: 0,
      MESSAGING_LIMIT_24H: 1000,
      OPT_OUT_KEYWORDS: ['STOP', 'ARRET', 'СТОП'],
      DEFAULT_COUNTRY: 'DE',
      ROLE: 'worker',
    });
  });

  it('bounds the limits on slow clients, with their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      UPLOADS_MAX_CONCURRENT: 10,
      EXPORTS_MAX_CONCURRENT: 10,
      UPLOAD_IDLE_TIMEOUT_SECONDS: 30,
      BULK_POOL_SIZE: 3,
    });
    expect(loadConfig({ UPLOAD_IDLE_TIMEOUT_SECONDS: '2' }).UPLOAD_IDLE_TIMEOUT_SECONDS).toBe(2);
    const problems = problemsOf({
      UPLOADS_MAX_CONCURRENT: '0',
      EXPORTS_MAX_CONCURRENT: '1.5',
      UPLOAD_IDLE_TIMEOUT_SECONDS: '86400',
      BULK_POOL_SIZE: '500',
    });
    expect(problems.map((p) => p.name).sort()).toEqual([
      'BULK_POOL_SIZE',
      'EXPORTS_MAX_CONCURRENT',
      'UPLOADS_MAX_CONCURRENT',
      'UPLOAD_IDLE_TIMEOUT_SECONDS',
    ]);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      SEND_RATE_PER_SECOND: '-1',
      ROLE: 'scheduler',
      DATABASE_URL: 'mysql://x',
      DEFAULT_COUNTRY: 'Germany',
      CHAT_API_URL: 'not a url',
    });
    expect(problems.map((p) => p.name).sort()).toEqual(
      [
        'CHAT_API_URL',
        'DATABASE_URL',
        'DEFAULT_COUNTRY',
        'PORT',
        'ROLE',
        'SEND_RATE_PER_SECOND',
      ].sort(),
    );
  });

  it('requires the secrets on an external database, and a token with a provider URL', () => {
    const problems = problemsOf({
      DATABASE_URL: 'postgres://localhost/app',
      CHAT_API_URL: 'https://api.chat-api.com/instance1',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { name: 'API_TOKEN', message: 'is required when DATABASE_URL is set' },
        { name: 'WEBHOOK_SECRET', message: 'is required when DATABASE_URL is set' },
        { name: 'CHAT_API_TOKEN', message: 'is required when CHAT_API_URL is set' },
      ]),
    );
  });

  it('refuses short secrets and treats empty values as unset', () => {
    expect(problemsOf({ API_TOKEN: 'short' })).toEqual([
      { name: 'API_TOKEN', message: 'must be at least 16 characters long' },
    ]);
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).PORT).toBe(3000);
  });

  it('bounds the metrics settings: a long token, a port of its own, a refresh of 1 s to 1 h', () => {
    expect(loadConfig({})).toMatchObject({ METRICS_REFRESH_SECONDS: 10 });
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9100', METRICS_TOKEN: 'm'.repeat(16) })).toMatchObject({
      METRICS_PORT: 9100,
      METRICS_TOKEN: 'm'.repeat(16),
    });
    const problems = (env: Record<string, string>) => problemsOf(env).map((p) => p.name);
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual(['METRICS_TOKEN']);
    expect(problems({ PORT: '9100', METRICS_PORT: '9100' })).toEqual(['METRICS_PORT']);
    expect(problems({ METRICS_REFRESH_SECONDS: '0' })).toEqual(['METRICS_REFRESH_SECONDS']);
    expect(problems({ METRICS_REFRESH_SECONDS: '3601' })).toEqual(['METRICS_REFRESH_SECONDS']);
  });

  it('takes the embedded PostgreSQL port: unset (the default with its fallback), 0 or a port', () => {
    expect(loadConfig({}).EMBEDDED_PG_PORT).toBeUndefined();
    expect(loadConfig({ EMBEDDED_PG_PORT: '0' }).EMBEDDED_PG_PORT).toBe(0);
    expect(loadConfig({ EMBEDDED_PG_PORT: '5544' }).EMBEDDED_PG_PORT).toBe(5544);
    for (const bad of ['65536', '-1', 'pg']) {
      expect(problemsOf({ EMBEDDED_PG_PORT: bad }).map((p) => p.name)).toEqual([
        'EMBEDDED_PG_PORT',
      ]);
    }
  });

  it('bounds the send rate and the schedule interval', () => {
    expect(problemsOf({ SEND_RATE_PER_SECOND: '1e-300' }).map((p) => p.name)).toEqual([
      'SEND_RATE_PER_SECOND',
    ]);
    expect(problemsOf({ MIN_SCHEDULE_INTERVAL_MINUTES: '10081' }).map((p) => p.name)).toEqual([
      'MIN_SCHEDULE_INTERVAL_MINUTES',
    ]);
    expect(loadConfig({ MIN_SCHEDULE_INTERVAL_MINUTES: '0' }).MIN_SCHEDULE_INTERVAL_MINUTES).toBe(
      0,
    );
  });

  it('refuses an opt-out keyword that is not one word', () => {
    for (const value of ['STOP,opt out', 'STOP,OPT-OUT', 'stop!'])
      expect(problemsOf({ OPT_OUT_KEYWORDS: value }).map((p) => p.name)).toEqual([
        'OPT_OUT_KEYWORDS',
      ]);
  });

  it('explains the problems in its message', () => {
    expect(() => loadConfig({ SEND_MAX_ATTEMPTS: '0' })).toThrow(/SEND_MAX_ATTEMPTS: /);
  });

  describe('the default sender', () => {
    const cloud = {
      WHATSAPP_ACCESS_TOKEN: 'EAAG-token',
      WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
      WHATSAPP_APP_SECRET: 'app-secret',
      WHATSAPP_VERIFY_TOKEN: 'verify-token',
    };

    it('takes a Cloud API number with all five WHATSAPP_ variables', () => {
      expect(loadConfig(cloud)).toMatchObject(cloud);
    });

    it('refuses part of them, naming each one missing', () => {
      expect(
        problemsOf({ WHATSAPP_ACCESS_TOKEN: 'EAAG-token', WHATSAPP_PHONE_NUMBER_ID: '1' }).map(
          (p) => p.name,
        ),
      ).toEqual(['WHATSAPP_BUSINESS_ACCOUNT_ID', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN']);
      expect(problemsOf({ ...cloud, WHATSAPP_PHONE_NUMBER_ID: '+1 555' })[0]?.name).toBe(
        'WHATSAPP_PHONE_NUMBER_ID',
      );
    });

    it('refuses a gateway and a Cloud API number at once, naming both', () => {
      const problems = problemsOf({
        ...cloud,
        CHAT_API_URL: 'https://gw.example/i1',
        CHAT_API_TOKEN: 'tok',
      });
      expect(problems).toEqual([
        {
          name: 'CHAT_API_URL',
          message: expect.stringMatching(/CHAT_API_URL.*WHATSAPP_ACCESS_TOKEN/),
        },
      ]);
    });

    it('bounds SECRETS_KEY and MESSAGING_LIMIT_24H', () => {
      expect(problemsOf({ SECRETS_KEY: 'short' }).map((p) => p.name)).toEqual(['SECRETS_KEY']);
      expect(loadConfig({ SECRETS_KEY: 'k'.repeat(32) }).SECRETS_KEY).toBe('k'.repeat(32));
      expect(problemsOf({ MESSAGING_LIMIT_24H: '10000001' }).map((p) => p.name)).toEqual([
        'MESSAGING_LIMIT_24H',
      ]);
    });
  });
});
