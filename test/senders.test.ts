// Sending numbers through the API (docs/design.md, rules 31 and 32): who may change them, what
// their fields take, credentials that no answer, log line or audit event ever shows, DELETE's
// 409s, and campaigns' senderId.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, campaigns, senders } from '../src/db/schema';
import { api, campaignSetup, createCampaign, type Json } from './helpers/api';
import { captureLogger, useTestService } from './helpers/service';
import { userWithToken } from './helpers/users';

const log = captureLogger('debug');
// API only: nothing here sends.
const t = useTestService({ env: { ROLE: 'api' }, logger: log.logger });

/** Every secret this file stores: none may appear in an answer, the log or the audit trail. */
const secrets = {
  chatToken: 'chat-token-SECRET-4f1c9a',
  chatWebhookSecret: 'chat-webhook-SECRET-77d0',
  accessToken: 'EAAG-access-token-SECRET-9b2e',
  appSecret: 'app-secret-SECRET-c3d4',
  verifyToken: 'verify-token-SECRET-51aa',
  replacedToken: 'replaced-token-SECRET-0e0e',
};
const chatApi = {
  name: 'Brand DE',
  provider: 'chat-api',
  credentials: {
    url: 'https://gateway.example/instance42',
    token: secrets.chatToken,
    webhookSecret: secrets.chatWebhookSecret,
  },
};
const cloudCredentials = (phoneNumberId: string) => ({
  phoneNumberId,
  businessAccountId: '102290129340398',
  accessToken: secrets.accessToken,
  appSecret: secrets.appSecret,
  verifyToken: secrets.verifyToken,
});
const cloudApi = (phoneNumberId: string): Json => ({
  name: 'Brand US',
  provider: 'cloud-api',
  ratePerSecond: 80,
  messagingLimit24h: 1000,
  displayPhoneNumber: '+1 555-0100',
  credentials: cloudCredentials(phoneNumberId),
});

/** Every text a reader of this service could see: answers so far are checked as they come. */
const seen: string[] = [];
async function call(method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown) {
  const client = api(t);
  const response = await {
    get: () => client.get(path),
    post: () => client.post(path, body),
    patch: () => client.patch(path, body),
    delete: () => client.delete(path),
  }[method]();
  seen.push(JSON.stringify(response.body ?? null));
  return response;
}

async function createSender(body: Json): Promise<Json> {
  const created = await call('post', '/v1/senders', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

let defaultSender: Json;
beforeAll(async () => {
  const page = await call('get', '/v1/senders');
  defaultSender = (page.body.data as Json[]).find((s) => s.isDefault === true) as Json;
});

describe('creating and reading senders', () => {
  it('answers each sender without its credentials, and stores them sealed', async () => {
    const chat = await createSender(chatApi);
    expect(chat).toEqual({
      id: expect.any(String),
      name: 'Brand DE',
      provider: 'chat-api',
      isDefault: false,
      ratePerSecond: 20,
      messagingLimit24h: null,
      status: 'active',
      statusReason: null,
      phoneNumberId: null,
      displayPhoneNumber: null,
      businessAccountId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const cloud = await createSender(cloudApi('106540352242922'));
    expect(cloud).toMatchObject({
      provider: 'cloud-api',
      ratePerSecond: 80,
      messagingLimit24h: 1000,
      phoneNumberId: '106540352242922',
      businessAccountId: '102290129340398',
      displayPhoneNumber: '+1 555-0100',
    });
    const sandbox = await createSender({ name: 'Test number', provider: 'sandbox' });
    expect((await call('get', `/v1/senders/${cloud.id}`)).body).toEqual(cloud);
    const listed = (await call('get', '/v1/senders')).body.data as Json[];
    expect(listed.map((s) => s.id)).toEqual([sandbox.id, cloud.id, chat.id, defaultSender.id]);

    const rows = await t.service.ctx.database.db.select().from(senders);
    const stored = (id: unknown) => rows.find((row) => row.id === id)?.credentials;
    expect(stored(sandbox.id)).toBeNull();
    for (const id of [chat.id, cloud.id]) {
      const blob = stored(id);
      expect(blob?.[0]).toBe(1);
      for (const secret of Object.values(secrets))
        expect(blob?.toString('latin1')).not.toContain(secret);
    }
  });

  it("is the default sender of the environment, the test service's fake gateway", () => {
    expect(defaultSender).toMatchObject({
      name: 'Default',
      provider: 'chat-api',
      isDefault: true,
      ratePerSecond: t.config.SEND_RATE_PER_SECOND,
      messagingLimit24h: null,
      status: 'active',
    });
  });

  it("refuses credentials that are not the provider's with a 422 naming each field, and stores nothing", async () => {
    const before = (await t.service.ctx.database.db.select().from(senders)).length;
    const cases: [Json, string[]][] = [
      [{ provider: 'chat-api', credentials: undefined }, ['credentials']],
      [{ provider: 'chat-api', credentials: { url: 'https://gw.example' } }, ['credentials.token']],
      [
        { provider: 'chat-api', credentials: { url: 'ftp://gw.example', token: 't' } },
        ['credentials.url'],
      ],
      [
        { provider: 'chat-api', credentials: { ...chatApi.credentials, accessToken: 'x' } },
        ['credentials.accessToken'],
      ],
      [
        {
          provider: 'cloud-api',
          credentials: { ...cloudCredentials('1'), accessToken: undefined, appSecret: '' },
        },
        ['credentials.accessToken', 'credentials.appSecret'],
      ],
      [
        { provider: 'cloud-api', credentials: { ...cloudCredentials('12a'), verifyToken: 'v' } },
        ['credentials.phoneNumberId'],
      ],
      [{ provider: 'sandbox', credentials: { token: 'x' } }, ['credentials']],
      [{ provider: 'whatsapp-web' }, ['provider']],
      [{ provider: 'sandbox', name: '' }, ['name']],
      [{ provider: 'sandbox', name: 'n'.repeat(201) }, ['name']],
      [{ provider: 'sandbox', ratePerSecond: 0.001 }, ['ratePerSecond']],
      [{ provider: 'sandbox', ratePerSecond: 10_001 }, ['ratePerSecond']],
      [{ provider: 'sandbox', messagingLimit24h: 0 }, ['messagingLimit24h']],
      [{ provider: 'sandbox', messagingLimit24h: 10_000_001 }, ['messagingLimit24h']],
      [{ provider: 'sandbox', isDefault: true }, ['(root)']],
    ];
    for (const [change, paths] of cases) {
      const response = await call('post', '/v1/senders', { name: 'n', ...change });
      expect(response.status, JSON.stringify(change)).toBe(422);
      expect(response.body.code).toBe('validation_failed');
      const named = (response.body.errors as { path: string }[]).map((e) => e.path);
      for (const path of paths) expect(named, JSON.stringify(change)).toContain(path);
    }
    expect((await t.service.ctx.database.db.select().from(senders)).length).toBe(before);
  });

  it('refuses a Cloud API number that another sender has with a 409', async () => {
    await createSender(cloudApi('106540352242001'));
    const again = await call('post', '/v1/senders', cloudApi('106540352242001'));
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([
      { path: 'credentials.phoneNumberId', message: expect.any(String) },
    ]);
  });
});

describe('changing senders', () => {
  it('renames, paces, limits, pauses and resumes; an empty body changes nothing', async () => {
    const sender = await createSender(chatApi);
    const changed = await call('patch', `/v1/senders/${sender.id}`, {
      name: 'Renamed',
      ratePerSecond: 5,
      messagingLimit24h: 250,
      status: 'paused',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Renamed',
      ratePerSecond: 5,
      messagingLimit24h: 250,
      status: 'paused',
    });
    const unchanged = await call('patch', `/v1/senders/${sender.id}`, {});
    expect(unchanged.body).toMatchObject({ name: 'Renamed', status: 'paused' });
    const resumed = await call('patch', `/v1/senders/${sender.id}`, {
      status: 'active',
      messagingLimit24h: null,
    });
    expect(resumed.body).toMatchObject({ status: 'active', messagingLimit24h: null });
    for (const body of [{ status: 'auth_failed' }, { provider: 'sandbox' }, { isDefault: true }]) {
      expect((await call('patch', `/v1/senders/${sender.id}`, body)).status).toBe(422);
    }
  });

  it('replaces the credentials as a whole set, which brings an auth_failed sender back', async () => {
    const sender = await createSender(chatApi);
    const { db } = t.service.ctx.database;
    const id = String(sender.id);
    await db
      .update(senders)
      .set({ status: 'auth_failed', statusReason: 'the gateway answered 401' })
      .where(eq(senders.id, id));
    const before = (await db.select().from(senders).where(eq(senders.id, id)))[0]?.credentials;
    const partial = await call('patch', `/v1/senders/${id}`, { credentials: { token: 'only' } });
    expect(partial.status).toBe(422);
    expect((partial.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'credentials.url',
    ]);
    const replaced = await call('patch', `/v1/senders/${id}`, {
      credentials: { url: 'https://gateway.example/instance43', token: secrets.replacedToken },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ status: 'active', statusReason: null });
    const after = (await db.select().from(senders).where(eq(senders.id, id)))[0]?.credentials;
    expect(after && before && after.equals(before)).toBe(false);
    const opened = t.service.ctx.secrets.credentialsKey?.open(id, after ?? Buffer.alloc(0));
    expect(opened).toEqual({
      url: 'https://gateway.example/instance43',
      token: secrets.replacedToken,
    });
  });

  it("refuses the default sender's credentials, pace and limit: the environment's", async () => {
    const path = `/v1/senders/${defaultSender.id}`;
    for (const body of [
      { credentials: chatApi.credentials },
      { ratePerSecond: 5 },
      { messagingLimit24h: 100 },
    ]) {
      const refused = await call('patch', path, body);
      expect(refused.status, JSON.stringify(body)).toBe(409);
      expect(refused.body.detail).toMatch(/environment/);
    }
    const renamed = await call('patch', path, { name: 'Main number' });
    expect(renamed.body).toMatchObject({ name: 'Main number', isDefault: true });
  });
});

describe('deleting senders', () => {
  it('is a 409 for the default sender', async () => {
    const refused = await call('delete', `/v1/senders/${defaultSender.id}`);
    expect(refused.status).toBe(409);
    expect((await call('get', `/v1/senders/${defaultSender.id}`)).status).toBe(200);
  });

  it('is a 409 while a campaign not finished uses it, then deletes it for good', async () => {
    const sender = await createSender(chatApi);
    const { templateId, listId } = await campaignSetup(t);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      senderId: sender.id,
    });
    const refused = await call('delete', `/v1/senders/${sender.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(String(campaign.id));
    expect((await call('post', `/v1/campaigns/${campaign.id}/cancel`)).status).toBe(200);
    expect((await call('delete', `/v1/senders/${sender.id}`)).status).toBe(204);
    expect((await call('get', `/v1/senders/${sender.id}`)).status).toBe(404);
    expect((await call('delete', `/v1/senders/${sender.id}`)).status).toBe(404);
    const listed = (await call('get', '/v1/senders')).body.data as Json[];
    expect(listed.map((s) => s.id)).not.toContain(sender.id);
    // the finished campaign keeps naming it; the credentials are gone
    expect((await call('get', `/v1/campaigns/${campaign.id}`)).body.senderId).toBe(sender.id);
    const [row] = await t.service.ctx.database.db
      .select()
      .from(senders)
      .where(eq(senders.id, String(sender.id)));
    expect(row?.credentials).toBeNull();
    // and a campaign cannot be moved onto it
    expect(
      (
        await call('post', '/v1/campaigns', {
          name: 'c',
          templateId,
          listIds: [listId],
          senderId: sender.id,
        })
      ).status,
    ).toBe(422);
  });
});

describe("campaigns' sender", () => {
  it('is the default sender unless named; one that does not exist is a 422', async () => {
    const { templateId, listId } = await campaignSetup(t);
    const plain = await createCampaign(t, { templateId, listIds: [listId] });
    expect(plain.senderId).toBe(defaultSender.id);
    const sender = await createSender({ name: 'Second', provider: 'sandbox' });
    const named = await createCampaign(t, { templateId, listIds: [listId], senderId: sender.id });
    expect(named.senderId).toBe(sender.id);
    expect((await call('get', `/v1/campaigns/${named.id}`)).body.senderId).toBe(sender.id);
    for (const senderId of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const refused = await call('post', '/v1/campaigns', {
        name: 'c',
        templateId,
        listIds: [listId],
        senderId,
      });
      expect(refused.status).toBe(422);
      expect((refused.body.errors as { path: string }[]).map((e) => e.path)).toEqual(['senderId']);
    }
  });

  it('changes by PATCH while draft or scheduled, not while paused', async () => {
    const { templateId, listId } = await campaignSetup(t);
    const campaign = await createCampaign(t, { templateId, listIds: [listId] });
    const sender = await createSender({ name: 'Third', provider: 'sandbox' });
    const moved = await call('patch', `/v1/campaigns/${campaign.id}`, { senderId: sender.id });
    expect(moved.status).toBe(200);
    expect(moved.body.senderId).toBe(sender.id);
    const unknown = await call('patch', `/v1/campaigns/${campaign.id}`, {
      senderId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(422);
    const { db } = t.service.ctx.database;
    await db
      .update(campaigns)
      .set({ status: 'paused' })
      .where(eq(campaigns.id, String(campaign.id)));
    const paused = await call('patch', `/v1/campaigns/${campaign.id}`, {
      senderId: defaultSender.id,
    });
    expect(paused.status).toBe(409);
  });
});

describe('roles', () => {
  it('let every role read senders, and only admins change them', async () => {
    const sender = await createSender({ name: 'Roles', provider: 'sandbox' });
    for (const role of ['analyst', 'marketer'] as const) {
      const { as } = await userWithToken(t, role);
      expect((await api(t, as).get('/v1/senders')).status).toBe(200);
      expect((await api(t, as).get(`/v1/senders/${sender.id}`)).status).toBe(200);
      for (const refused of [
        await api(t, as).post('/v1/senders', chatApi),
        await api(t, as).patch(`/v1/senders/${sender.id}`, { name: 'x' }),
        await api(t, as).delete(`/v1/senders/${sender.id}`),
      ]) {
        expect(refused.status, role).toBe(403);
        expect(refused.body.code).toBe('forbidden');
      }
    }
    const admin = await userWithToken(t, 'admin');
    expect((await api(t, admin.as).patch(`/v1/senders/${sender.id}`, { name: 'ok' })).status).toBe(
      200,
    );
  });
});

describe('the audit trail and the log', () => {
  it('record sender changes by the names of their fields, never a credential', async () => {
    const sender = await createSender(chatApi);
    await call('patch', `/v1/senders/${sender.id}`, {
      credentials: { url: 'https://gateway.example/x', token: secrets.replacedToken },
    });
    const events = await t.service.ctx.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, String(sender.id)));
    expect(events.map((e) => [e.action, e.detail])).toEqual(
      expect.arrayContaining([
        ['sender.create', {}],
        ['sender.update', { fields: ['credentials'] }],
      ]),
    );
    seen.push(JSON.stringify((await call('get', '/v1/audit?limit=1000')).body));
  });

  it('never show a credential: not in an answer, an audit event or a log line', async () => {
    const lines = log.lines().map((line) => JSON.stringify(line));
    expect(lines.length).toBeGreaterThan(20);
    const everything = [...seen, ...lines].join('\n');
    for (const secret of Object.values(secrets)) expect(everything).not.toContain(secret);
  });
});
