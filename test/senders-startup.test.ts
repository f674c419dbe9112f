// What every start does with the senders (docs/design.md, rules 31 and 32): the default sender
// kept in step with the environment, stored credentials refused without SECRETS_KEY on a server
// database, and a wrong key or an altered blob making that sender unusable, not the service.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { senders } from '../src/db/schema';
import { resolveSecrets } from '../src/secrets';
import { api, type Json } from './helpers/api';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { captureLogger, type TestService, useServicePerTest } from './helpers/service';

let database: TestDatabase | undefined;
// Registered before the services' own: after-hooks run in reverse, so the database goes last.
afterEach(async () => {
  await database?.drop();
  database = undefined;
});
const start = useServicePerTest();

const cloudEnv = {
  CHAT_API_URL: '',
  CHAT_API_TOKEN: '',
  WHATSAPP_ACCESS_TOKEN: 'EAAG-env-access-token-SECRET',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398',
  WHATSAPP_APP_SECRET: 'env-app-secret-SECRET',
  WHATSAPP_VERIFY_TOKEN: 'env-verify-token-SECRET',
};

/** A service on the file's one database (several starts in a row keep its rows). */
async function startOn(
  env: Record<string, string>,
  logger = captureLogger(),
): Promise<TestService> {
  database ??= await createTestDatabase();
  return start({ database, env: { ROLE: 'api', ...env }, logger: logger.logger });
}

async function defaultSenderOf(t: TestService): Promise<Json> {
  const page = await api(t).get('/v1/senders');
  return (page.body.data as Json[]).find((sender) => sender.isDefault === true) as Json;
}

/** Stops a service before the next start on the database (its fake provider goes after the test). */
async function stopped(t: TestService): Promise<void> {
  await t.service.stop();
}

describe('the default sender', () => {
  it('follows the environment at every start, keeping its id, its name and a pause', async () => {
    const first = await startOn({});
    const chat = await defaultSenderOf(first);
    expect(chat).toMatchObject({ name: 'Default', provider: 'chat-api', ratePerSecond: 20 });
    await api(first).patch(`/v1/senders/${chat.id}`, { name: 'Main', status: 'paused' });
    await stopped(first);

    const second = await startOn({
      ...cloudEnv,
      SEND_RATE_PER_SECOND: '50',
      MESSAGING_LIMIT_24H: '1000',
    });
    expect(await defaultSenderOf(second)).toMatchObject({
      id: chat.id,
      name: 'Main',
      provider: 'cloud-api',
      status: 'paused',
      ratePerSecond: 50,
      messagingLimit24h: 1000,
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
    });
    // credentials of the environment stay there, never in the table
    const [row] = await second.service.ctx.database.db
      .select()
      .from(senders)
      .where(eq(senders.id, String(chat.id)));
    expect(row?.credentials).toBeNull();
    await second.service.ctx.database.db
      .update(senders)
      .set({ status: 'auth_failed', statusReason: 'the token expired' })
      .where(eq(senders.id, String(chat.id)));
    await stopped(second);

    // a restart is how the default sender's credentials are replaced: active again
    const third = await startOn({ CHAT_API_URL: '', CHAT_API_TOKEN: '' });
    expect(await defaultSenderOf(third)).toMatchObject({
      id: chat.id,
      provider: 'sandbox',
      status: 'active',
      statusReason: null,
      ratePerSecond: 20,
      messagingLimit24h: null,
      phoneNumberId: null,
      businessAccountId: null,
    });
    const defaults = await third.service.ctx.database.db
      .select()
      .from(senders)
      .where(eq(senders.isDefault, true));
    expect(defaults).toHaveLength(1);
  });

  it('agrees across processes that start together', async () => {
    database = await createTestDatabase();
    const both = await Promise.all([startOn(cloudEnv), startOn(cloudEnv)]);
    const defaults = await both[0].service.ctx.database.db
      .select()
      .from(senders)
      .where(eq(senders.isDefault, true));
    expect(defaults.map((d) => d.provider)).toEqual(['cloud-api']);
  });
});

describe('stored credentials at start', () => {
  const credentials = { url: 'https://gateway.example/i1', token: 'stored-token-SECRET-a1b2' };

  async function withStoredSender(): Promise<string> {
    const t = await startOn({});
    const created = await api(t).post('/v1/senders', {
      name: 'Stored',
      provider: 'chat-api',
      credentials,
    });
    expect(created.status).toBe(201);
    await stopped(t);
    return String(created.body.id);
  }

  it('refuse a server database start without SECRETS_KEY, saying what to do', async () => {
    database = await createTestDatabase();
    const empty = await startOn({ SECRETS_KEY: '' });
    // without stored credentials there is nothing to refuse, but nothing can be stored either
    const refused = await api(empty).post('/v1/senders', {
      name: 'x',
      provider: 'chat-api',
      credentials,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/SECRETS_KEY/);
    await stopped(empty);

    await withStoredSender();
    await expect(startOn({ SECRETS_KEY: '' })).rejects.toThrow(
      /SECRETS_KEY is not set, but 1 sender\(s\) have credentials stored/,
    );
  });

  it('make a sender unusable under a wrong key, with its reason, and usable again under the right one', async () => {
    const id = await withStoredSender();
    const log = captureLogger();
    const wrong = await startOn({ SECRETS_KEY: 'another-key-0123456789abcdef0123456789' }, log);
    const sender = (await api(wrong).get(`/v1/senders/${id}`)).body;
    expect(sender).toMatchObject({ status: 'auth_failed' });
    expect(sender.statusReason).toMatch(/stored under another SECRETS_KEY/);
    expect(log.lines().some((line) => line.senderId === id && line.reason === 'wrong_key')).toBe(
      true,
    );
    expect(JSON.stringify(log.lines())).not.toContain(credentials.token);
    await stopped(wrong);

    const right = await startOn({});
    expect((await api(right).get(`/v1/senders/${id}`)).body).toMatchObject({
      status: 'active',
      statusReason: null,
    });
  });

  it('make a sender whose blob was altered unusable, and start all the same', async () => {
    const id = await withStoredSender();
    const t = await startOn({});
    const { db } = t.service.ctx.database;
    const [row] = await db.select().from(senders).where(eq(senders.id, id));
    const altered = Buffer.from(row?.credentials ?? Buffer.alloc(0));
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 0xff;
    await db.update(senders).set({ credentials: altered }).where(eq(senders.id, id));
    await stopped(t);

    const again = await startOn({});
    const sender = (await api(again).get(`/v1/senders/${id}`)).body;
    expect(sender).toMatchObject({ status: 'auth_failed' });
    expect(sender.statusReason).toMatch(/damaged/);
    // replacing the credentials makes it usable
    const replaced = await api(again).patch(`/v1/senders/${id}`, { credentials });
    expect(replaced.body).toMatchObject({ status: 'active', statusReason: null });
  });
});

describe('SECRETS_KEY on the embedded database', () => {
  it('is generated once into the data folder, shown once, and read back after', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wa-secrets-key-'));
    const shown = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const config = loadConfig({
        DATA_DIR: dataDir,
        API_TOKEN: 'a'.repeat(20),
        WEBHOOK_SECRET: 'b'.repeat(20),
      });
      const first = await resolveSecrets(config);
      const file = path.join(dataDir, 'secrets-key');
      const key = (await readFile(file, 'utf8')).trim();
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(shown.mock.calls.map(([text]) => String(text)).join('')).toContain(
        `SECRETS_KEY=${key}`,
      );
      shown.mockClear();
      const second = await resolveSecrets(config);
      expect(shown).not.toHaveBeenCalled();
      expect(second.credentialsKey?.id.equals(first.credentialsKey?.id ?? Buffer.alloc(0))).toBe(
        true,
      );
      // SECRETS_KEY from the environment wins; a server database without it has none
      const given = await resolveSecrets(
        loadConfig({ DATA_DIR: dataDir, SECRETS_KEY: 'k'.repeat(32) }),
      );
      expect(given.credentialsKey?.id.equals(first.credentialsKey?.id ?? Buffer.alloc(0))).toBe(
        false,
      );
      const server = loadConfig({
        DATABASE_URL: 'postgres://db/app',
        API_TOKEN: 'a'.repeat(20),
        WEBHOOK_SECRET: 'b'.repeat(20),
      });
      expect((await resolveSecrets(server)).credentialsKey).toBeUndefined();
    } finally {
      shown.mockRestore();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
