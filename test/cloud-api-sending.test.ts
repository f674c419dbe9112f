import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, createCampaign, type Json, startCampaign } from './helpers/api';
import { factories } from './helpers/factories';
import { FakeGraph, metaError } from './helpers/fake-graph';
import { startTestService, type TestService, waitFor } from './helpers/service';

// The service sends through Meta's Cloud API (WHATSAPP_* set, CHAT_API_URL unset) to a fake
// Graph API: the dispatcher and the sender as they are, with the Cloud API's outcomes.
let graph: FakeGraph;
let t: TestService;
beforeAll(async () => {
  graph = await FakeGraph.start();
  t = await startTestService({
    env: {
      CHAT_API_URL: '',
      CHAT_API_TOKEN: '',
      WHATSAPP_ACCESS_TOKEN: graph.token,
      WHATSAPP_PHONE_NUMBER_ID: graph.phoneNumberId,
      WHATSAPP_BUSINESS_ACCOUNT_ID: graph.businessAccountId,
      WHATSAPP_APP_SECRET: 'app-secret-of-the-test-0123',
      WHATSAPP_VERIFY_TOKEN: 'verify-token-of-the-test',
      GRAPH_API_URL: graph.url,
      SEND_RATE_PER_SECOND: '100',
    },
  });
});
afterEach(() => graph.reset());
afterAll(async () => {
  await t?.stop();
  await graph?.stop();
});

type Row = {
  phone: string;
  status: string;
  error: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  attempts: number;
  wait: number;
};

/** The campaign's message rows by phone digits, with how long a pending one still waits (ms). */
async function rows(campaignId: string): Promise<Map<string, Row>> {
  const found = await t.service.ctx.database.sql<Row[]>`
    select phone, status, error, error_code as "errorCode", error_title as "errorTitle", attempts,
      coalesce(extract(epoch from next_attempt_at - updated_at) * 1000, 0)::int as wait
    from messages where campaign_id = ${campaignId}`;
  return new Map(found.map((row) => [row.phone.slice(1), row]));
}

/** The lines of this service's /metrics. */
async function scrapeMetrics(): Promise<string[]> {
  return (await (await t.request('/metrics')).text()).split('\n');
}

async function campaignOf(id: string): Promise<Json> {
  return (await api(t).get(`/v1/campaigns/${id}`)).body;
}

describe('a campaign through the Cloud API provider', () => {
  it('sends each recipient once in Meta’s shape and keeps the wamids', async () => {
    expect(t.service.ctx.provider.name).toBe('cloud-api');
    const id = await startCampaign(t, 5);
    await waitFor(async () => (await campaignOf(id)).status === 'completed', {
      what: 'the campaign to complete',
    });
    const sends = graph.sends();
    expect(sends).toHaveLength(5);
    expect(sends.every((s) => s.bearer === graph.token)).toBe(true);
    expect(sends[0]?.body).toMatchObject({
      messaging_product: 'whatsapp',
      type: 'template',
      template: {
        name: 'promo',
        language: { code: 'en' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: expect.any(String) }] }],
      },
    });
    const stored = await t.service.ctx.database.sql<{ id: string }[]>`
      select provider_message_id as id from messages where campaign_id = ${id}`;
    expect(stored.every((row) => row.id.startsWith('wamid.'))).toBe(true);
  });

  it('holds out the experiment group, fails and opts out who stopped marketing, and holds back only the recipient over the pair rate', async () => {
    // an outcome: neither waiting nor in flight (a row caught `sending` has none yet)
    const settledRow = (status: string | undefined) =>
      status !== undefined && status !== 'pending' && status !== 'sending';
    const [holdout, optedOut, paired, plain] = [
      '4915110000001',
      '4915110000002',
      '4915110000003',
      '4915110000004',
    ];
    graph.answerFor(holdout, metaError(130472, "User's number is part of an experiment"));
    graph.answerFor(optedOut, metaError(131050, 'User has stopped marketing messages'));
    graph.answerFor(paired, metaError(131056, 'Pair rate limit hit'));
    const f = factories(t);
    const listId = await f.list();
    for (const phone of [holdout, optedOut, paired, plain])
      await f.addToList(listId, (await f.contact({ first_name: 'Ann' }, `+${phone}`)).id);
    const campaign = await createCampaign(t, {
      templateId: await f.template(['{{first_name}}']),
      listIds: [listId],
    });
    const id = String(campaign.id);
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    const settled = await waitFor(
      async () => {
        // (a row whose slot came too late on a busy machine goes back untried: wait for each)
        const now = await rows(id);
        return now.get(plain)?.status === 'sent' &&
          now.get(paired)?.attempts === 1 &&
          settledRow(now.get(holdout)?.status) &&
          settledRow(now.get(optedOut)?.status)
          ? now
          : undefined;
      },
      { what: 'every recipient to have an outcome' },
    );
    expect(settled.get(holdout)).toMatchObject({
      status: 'held_out',
      error: "User's number is part of an experiment (130472)",
      errorCode: 130472,
    });
    expect(settled.get(optedOut)).toMatchObject({
      status: 'failed',
      error: 'User has stopped marketing messages (131050)',
      errorCode: 131050,
      errorTitle: 'User has stopped marketing messages',
    });
    // the person stopped marketing messages: nothing more goes to them, by any campaign
    const optOut = await waitFor(
      async () => {
        const [row] = await t.service.ctx.database.sql<{ source: string }[]>`
          select source from opt_outs where phone = ${`+${optedOut}`}`;
        return row;
      },
      { what: 'the opt-out' },
    );
    expect(optOut.source).toBe('provider');
    const waiting = settled.get(paired);
    expect(waiting).toMatchObject({ status: 'pending', error: 'Pair rate limit hit (131056)' });
    expect(waiting?.wait).toBeGreaterThanOrEqual(5900);
    graph.reset();
    await waitFor(async () => (await campaignOf(id)).status === 'completed', {
      timeoutMs: 20_000,
      what: 'the limited recipient to be sent after its wait',
    });
    expect((await rows(id)).get(paired)?.status).toBe('sent');
  });

  it('sends each campaign through its own sender, and holds only the sender whose token Meta refuses until it is replaced', async () => {
    const second = { phoneNumberId: '106540352242999', token: 'EAAsecondNumberToken0123456789' };
    graph.addNumber(second.phoneNumberId, second.token);
    const credentials = {
      phoneNumberId: second.phoneNumberId,
      businessAccountId: graph.businessAccountId,
      accessToken: 'EAAexpiredToken0123456789',
      appSecret: 'second-app-secret-0123',
      verifyToken: 'second-verify-token',
    };
    const created = await api(t).post('/v1/senders', {
      name: 'Second number',
      provider: 'cloud-api',
      ratePerSecond: 50,
      credentials,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const senderId = String(created.body.id);
    const f = factories(t);
    const listId = await f.list('second number');
    for (const n of [1, 2, 3])
      await f.addToList(listId, (await f.contact({ first_name: 'Bo' }, `+49151200000${n}`)).id);
    const onSecond = await createCampaign(t, {
      templateId: await f.template(['{{first_name}}']),
      listIds: [listId],
      senderId,
    });
    expect((await api(t).post(`/v1/campaigns/${onSecond.id}/start`)).status).toBe(200);
    const held = await waitFor(
      async () => {
        const sender = (await api(t).get(`/v1/senders/${senderId}`)).body;
        return sender.status === 'auth_failed' ? sender : undefined;
      },
      { what: 'the second sender to be held' },
    );
    expect(String(held.statusReason)).toContain('190');
    const defaultId = await t.service.ctx.senders.defaultId();
    const status = (id: string, value: string) =>
      ['active', 'paused', 'auth_failed'].map(
        (each) => `wa_sender_status{sender="${id}",status="${each}"} ${each === value ? 1 : 0}`,
      );
    const heldMetrics = await scrapeMetrics();
    expect(heldMetrics).toEqual(
      expect.arrayContaining([...status(senderId, 'auth_failed'), ...status(defaultId, 'active')]),
    );
    expect(
      heldMetrics.some((line) =>
        line.startsWith(`wa_sends_total{sender="${senderId}",kind="template",outcome="auth"} `),
      ),
    ).toBe(true);
    // the default number goes on meanwhile
    const onDefault = await startCampaign(t, 3);
    await waitFor(async () => (await campaignOf(onDefault)).status === 'completed', {
      what: 'the default sender to send its campaign',
    });
    expect((await campaignOf(String(onSecond.id))).status).toBe('running');
    const waiting = [...(await rows(String(onSecond.id))).values()];
    expect(waiting.map((row) => [row.status, row.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
    ]);

    const fixed = await api(t).patch(`/v1/senders/${senderId}`, {
      credentials: { ...credentials, accessToken: second.token },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe('active');
    await waitFor(async () => (await campaignOf(String(onSecond.id))).status === 'completed', {
      timeoutMs: 20_000,
      what: 'the second sender to send once its token is replaced',
    });
    // the sends, their latency and the status, each number on its own
    // the status as of the next housekeeping round
    const sentMetrics = await waitFor(
      async () => {
        const lines = await scrapeMetrics();
        return status(senderId, 'active').every((line) => lines.includes(line)) ? lines : undefined;
      },
      { what: 'wa_sender_status to show the second sender active again' },
    );
    // (the default number's counts include this file's other tests: the service is shared)
    expect(sentMetrics).toContain(
      `wa_sends_total{sender="${senderId}",kind="template",outcome="accepted"} 3`,
    );
    for (const sender of [senderId, defaultId])
      for (const series of [
        `wa_sends_total{sender="${sender}",kind="template",outcome="accepted"} `,
        `wa_provider_request_duration_seconds_count{sender="${sender}",operation="sendTemplate"} `,
        `wa_send_rate_per_second{sender="${sender}"} `,
      ])
        expect(
          sentMetrics.some((line) => line.startsWith(series)),
          series,
        ).toBe(true);
    const throughSecond = graph
      .sends()
      .filter((send) => send.path.startsWith(second.phoneNumberId) && send.status === 200);
    expect(throughSecond).toHaveLength(3);
    expect(throughSecond.every((send) => send.bearer === second.token)).toBe(true);
    const [stored] = await t.service.ctx.database.sql<{ n: number }[]>`
      select count(*)::int as n from messages
      where campaign_id = ${String(onSecond.id)} and sender_id = ${senderId} and status = 'sent'`;
    expect(stored?.n).toBe(3);
  }, 40_000);

  it('retries by error code, and the marketing limit (131049) only a day after it failed', async () => {
    const [dayOld, recent, undeliverable, plain] = [
      '4915130000001',
      '4915130000002',
      '4915130000003',
      '4915130000004',
    ];
    const limited = metaError(131049, 'This message was not delivered');
    graph.answerFor(dayOld, limited);
    graph.answerFor(recent, limited);
    graph.answerFor(undeliverable, metaError(131026, 'Message undeliverable'));
    const f = factories(t);
    const listId = await f.list('retry by code');
    for (const phone of [dayOld, recent, undeliverable, plain])
      await f.addToList(listId, (await f.contact({ first_name: 'Cy' }, `+${phone}`)).id);
    const campaign = await createCampaign(t, {
      templateId: await f.template(['{{first_name}}']),
      listIds: [listId],
    });
    const id = String(campaign.id);
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => (await campaignOf(id)).status === 'completed', {
      what: 'the first run to end',
    });
    const statusOf = async () =>
      Object.fromEntries([...(await rows(id))].map(([phone, row]) => [phone, row.status]));
    expect(await statusOf()).toEqual({
      [dayOld]: 'failed',
      [recent]: 'failed',
      [undeliverable]: 'failed',
      [plain]: 'sent',
    });
    // one marketing-limit failure a day and an hour old, the other an hour old
    const { sql } = t.service.ctx.database;
    await sql`update messages set failed_at = now() - interval '25 hours'
      where campaign_id = ${id} and phone = ${`+${dayOld}`}`;
    await sql`update messages set failed_at = now() - interval '1 hour'
      where campaign_id = ${id} and phone = ${`+${recent}`}`;
    graph.reset();

    const byCode = await api(t).post(`/v1/campaigns/${id}/retry`, { errorCodes: [131049] });
    expect(byCode.status, JSON.stringify(byCode.body)).toBe(202);
    expect(byCode.body).toMatchObject({ requeued: 1, runId: expect.any(String) });
    const [waiting] = byCode.body.waiting as Json[];
    expect(byCode.body.waiting).toHaveLength(1);
    expect(waiting).toMatchObject({ errorCode: 131049, messages: 1 });
    expect(String(waiting?.reason)).toContain('24 hours');
    // the recent one may go again 23 hours from now
    const retryIn = Date.parse(String(waiting?.retryFrom)) - Date.now();
    expect(retryIn).toBeGreaterThan(23 * 3_600_000 - 60_000);
    expect(retryIn).toBeLessThan(23 * 3_600_000 + 60_000);
    await waitFor(async () => (await campaignOf(id)).status === 'completed', {
      what: 'the retried message to be sent',
    });
    expect(await statusOf()).toEqual({
      [dayOld]: 'sent',
      [recent]: 'failed',
      [undeliverable]: 'failed',
      [plain]: 'sent',
    });
    expect((await rows(id)).get(dayOld)).toMatchObject({ errorCode: null, errorTitle: null });

    // by status alone, the marketing limit's rule still holds
    const byStatus = await api(t).post(`/v1/campaigns/${id}/retry`, { statuses: ['failed'] });
    expect(byStatus.status).toBe(202);
    expect(byStatus.body.requeued).toBe(1);
    expect(byStatus.body.waiting).toMatchObject([{ errorCode: 131049, messages: 1 }]);
    await waitFor(async () => (await campaignOf(id)).status === 'completed', {
      what: 'the undeliverable one to be sent again',
    });
    expect((await statusOf())[undeliverable]).toBe('sent');

    for (const body of [
      { errorCodes: [131049], statuses: ['unknown'] },
      { errorCodes: [] },
      { errorCodes: Array.from({ length: 21 }, (_, i) => 131000 + i) },
      { errorCodes: [-1] },
      { errorCodes: [2 ** 31] },
      { errorCodes: ['131049'] },
    ]) {
      const refused = await api(t).post(`/v1/campaigns/${id}/retry`, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    expect((await statusOf())[recent]).toBe('failed');
  }, 30_000);

  it('pauses the campaign with the reason when Meta refuses the template, failing nobody', async () => {
    graph.failNext(metaError(132015, 'Template is paused'), 50);
    const id = await startCampaign(t, 3);
    const paused = await waitFor(
      async () => {
        const campaign = await campaignOf(id);
        return campaign.status === 'paused' ? campaign : undefined;
      },
      { what: 'the campaign to pause' },
    );
    expect(paused.pausedReason).toBe(
      'the provider refused the template: Template is paused (132015)',
    );
    await waitFor(
      async () => [...(await rows(id)).values()].every((row) => row.status === 'pending'),
      { what: 'the rows handed back' },
    );
    const stats = (await api(t).get(`/v1/campaigns/${id}/stats`)).body;
    expect(stats).toMatchObject({ failed: 0, sent: 0, pending: 3 });
  });
});
