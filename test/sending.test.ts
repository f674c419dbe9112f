import { describe, expect, it } from 'vitest';
import { api, type Json, startCampaign, waitCompleted } from './helpers/api';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';

const startService = useServicePerTest();

async function statuses(t: TestService, campaignId: string) {
  const rows = await t.service.ctx.database.sql<{ status: string; count: number }[]>`
    select status, count(*)::int as count from messages where campaign_id = ${campaignId} group by status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

async function waitForCampaign(t: TestService, id: string, status: string, timeoutMs = 20_000) {
  return waitFor(
    async () => {
      const campaign = await api(t).get(`/v1/campaigns/${id}`);
      return campaign.body.status === status ? campaign.body : undefined;
    },
    { timeoutMs, what: `campaign ${id} to be ${status}` },
  );
}

describe('sending engine', () => {
  it('sends every pending message once, in the provider shape, and completes the run', async () => {
    const t = await startService({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    const id = await startCampaign(t, 30);
    await waitForCampaign(t, id, 'completed');
    const sends = t.provider.sends();
    expect(sends).toHaveLength(30);
    expect(new Set(sends.map((s) => (s.body as { phone: string }).phone)).size).toBe(30);
    expect(sends[0]?.body).toMatchObject({
      template: 'promo',
      namespace: 'ns',
      language: { code: 'en', policy: 'deterministic' },
      params: [{ type: 'body', parameters: [{ type: 'text' }] }],
    });
    expect(await statuses(t, id)).toEqual({ sent: 30 });
    const [run] = (await api(t).get(`/v1/campaigns/${id}/runs`)).body.data as Json[];
    expect(run?.status).toBe('completed');
    const metrics = await (await t.request('/metrics')).text();
    const sender = await t.service.ctx.senders.defaultId();
    expect(metrics).toContain(
      `wa_sends_total{sender="${sender}",kind="template",outcome="accepted"} 30`,
    );
    expect(metrics).toContain(
      `wa_provider_request_duration_seconds_count{sender="${sender}",operation="sendTemplate"} 30`,
    );
    expect(metrics).toContain('wa_pending_messages');
    expect(metrics).toMatch(new RegExp(`wa_send_rate_per_second\\{sender="${sender}"\\} \\d+`));
  });

  it('gives up on a message the provider chokes on with a 5xx, in one run after another', async () => {
    // Each run's one row fails alone, no outage: each uses up its attempts. The first, left
    // among the failing rows once it gave up, made the second look like an outage, retried for good.
    const t = await startService({ env: { SEND_MAX_ATTEMPTS: '2' } });
    t.provider.respondWith(() => ({ status: 503, body: { error: 'choked' } }));
    for (const run of ['first', 'second']) {
      const id = await startCampaign(t, 1);
      await waitCompleted(t, id, 20_000);
      const rows = await t.service.ctx.database.sql<{ status: string; attempts: number }[]>`
        select status, attempts from messages where campaign_id = ${id}`;
      expect(rows, run).toEqual([{ status: 'failed', attempts: 2 }]);
    }
  });

  it('stores every outcome class', async () => {
    const t = await startService({ env: { SEND_MAX_ATTEMPTS: '2' } });
    // each recipient gets one behaviour, in the order the provider first sees them
    const behaviour = new Map<string, number>();
    t.provider.respondWith((request) => {
      const phone = String((request.body as { phone?: string }).phone);
      if (!behaviour.has(phone)) behaviour.set(phone, behaviour.size);
      switch (behaviour.get(phone)) {
        case 0:
          return { status: 200, body: { sent: false, message: 'Phone is not valid' } };
        case 1:
          return { status: 200, delayMs: 1500, body: { sent: true, id: 'late' } }; // times out
        case 2:
          return { status: 503 }; // retried, then given up
        default:
          return undefined;
      }
    });
    const id = await startCampaign(t, 4, { ratePerSecond: 100 });
    await waitForCampaign(t, id, 'completed');
    const rows = await t.service.ctx.database.sql<
      { status: string; error: string | null; attempts: number }[]
    >`
      select status, error, attempts from messages where campaign_id = ${id} order by status`;
    const byStatus = (status: string) => rows.filter((r) => r.status === status);
    expect(
      byStatus('failed')
        .map((r) => r.error)
        .sort(),
    ).toEqual(['Phone is not valid', 'provider error 503; gave up after 2 attempts'].sort());
    expect(byStatus('unknown')).toHaveLength(1);
    expect(byStatus('sent').length).toBe(1);
    // the 503 was tried twice (SEND_MAX_ATTEMPTS), the others once
    expect(t.provider.sends()).toHaveLength(5);
  }, 30_000);
});
