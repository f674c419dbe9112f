import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, campaignSetup, createCampaign, type Json } from './helpers/api';
import { statsOf, statusOf } from './helpers/console-campaigns';
import { useTestService, waitFor } from './helpers/service';

const t = useTestService();
let templateId: string;
let listId: string;
beforeAll(async () => {
  ({ templateId, listId } = await campaignSetup(t, 40));
});

const ids = (page: Json) => (page.data as Json[]).map((campaign) => campaign.id);

describe('GET /v1/campaigns?status=', () => {
  it('lists only the campaigns in the states asked for, paged by the same cursor', async () => {
    const draftA = (await createCampaign(t, { name: 'a', templateId, listIds: [listId] })).id;
    const draftB = (await createCampaign(t, { name: 'b', templateId, listIds: [listId] })).id;
    const at = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = (await createCampaign(t, { templateId, listIds: [listId], schedule: { at } }))
      .id;
    const cancelled = (await createCampaign(t, { templateId, listIds: [listId] })).id;
    expect((await api(t).post(`/v1/campaigns/${cancelled}/cancel`)).status).toBe(200);

    const drafts = await api(t).get('/v1/campaigns?status=draft&limit=1');
    expect(ids(drafts.body)).toEqual([draftB]);
    const next = await api(t).get(
      `/v1/campaigns?status=draft&limit=1&cursor=${drafts.body.nextCursor}`,
    );
    expect(ids(next.body)).toEqual([draftA]);
    const two = await api(t).get('/v1/campaigns?status=scheduled,cancelled');
    expect(ids(two.body)).toEqual([cancelled, scheduled]);

    const bad = await api(t).get('/v1/campaigns?status=running,finished');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Json[])[0]?.path).toBe('query.status');
  });
});

describe('GET /v1/campaigns/{id}/progress', () => {
  it('gives the latest run sent out of its audience, the measured rate and the time left', async () => {
    const draft = (await createCampaign(t, { templateId, listIds: [listId] })).id;
    expect((await api(t).get(`/v1/campaigns/${draft}/progress`)).body).toMatchObject({
      status: 'draft',
      run: null,
      sendRate: 0,
      secondsLeft: null,
    });

    const id = String(
      (await createCampaign(t, { templateId, listIds: [listId], ratePerSecond: 4 })).id,
    );
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    const running = await waitFor(
      async () => {
        const { body } = await api(t).get(`/v1/campaigns/${id}/progress`);
        const run = body.run as Json | null;
        return Number(run?.sent) >= 8 && body.status === 'running' ? body : undefined;
      },
      { what: 'eight sends', timeoutMs: 20_000 },
    );
    const run = running.run as { audience: number; sent: number; pending: number };
    expect(run.audience).toBe(40);
    expect(running.sendRate).toBeGreaterThan(0);
    expect(running.sendRate).toBeLessThanOrEqual(4 * 1.5);
    expect(running.secondsLeft).toBeCloseTo(run.pending / Number(running.sendRate), 5);

    await waitFor(async () => (await statusOf(t, id)) === 'completed', { timeoutMs: 30_000 });
    const done = (await api(t).get(`/v1/campaigns/${id}/progress`)).body;
    const stats = await statsOf(t, id);
    expect(done).toMatchObject({
      status: 'completed',
      sent: stats.sent,
      replied: stats.replied,
      replyRate: stats.replyRate,
      run: { status: 'completed', audience: 40, sent: 40, pending: 0, failed: 0, unknown: 0 },
      sendRate: 0,
      secondsLeft: null,
    });

    expect((await api(t).get(`/v1/campaigns/${randomUUID()}/progress`)).status).toBe(404);
  }, 60_000);
});

describe('GET /v1/campaigns/{id}/messages?format=csv', () => {
  it('downloads the CSV export without an Accept header, with the filter', async () => {
    const id = String((await createCampaign(t, { templateId, listIds: [listId] })).id);
    expect((await api(t).post(`/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const response = await t.request(`/v1/campaigns/${id}/messages?format=csv&status=pending`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    expect((await response.text()).trim().split('\n')[0]).toMatch(/^id,runId,/);
    const json = await t.request(`/v1/campaigns/${id}/messages?format=json`);
    expect(json.headers.get('content-type')).toContain('application/json');
  });
});
