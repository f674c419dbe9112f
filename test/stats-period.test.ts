import { describe, expect, it } from 'vitest';
import { api, type Json } from './helpers/api';
import { factories } from './helpers/factories';
import { useTestService } from './helpers/service';
import { countersOffRecount } from './helpers/stats';

// API only: the rows planted here must not be sent by a dispatcher meanwhile.
const t = useTestService({ env: { ROLE: 'api' } });
const sql = () => t.service.ctx.database.sql;

/** A template row that failed at `at` with `error`, on no campaign (the overview counts it). */
const failedAt = (at: string, error: string | null) =>
  sql()`insert into messages (phone, kind, status, failed_at, error)
    values ('+4915000009', 'template', 'failed', ${at}::timestamptz, ${error})`;

describe('GET /v1/stats/failures', () => {
  it("counts a period's failures by reason, most first, as many as the overview's", async () => {
    for (let i = 0; i < 3; i++) await failedAt('2021-05-03T10:00:00Z', 'Phone is not valid');
    await failedAt('2021-05-03T11:20:00Z', '=HYPERLINK("x")');
    await failedAt('2021-05-04T09:00:00Z', null);
    await failedAt('2021-05-06T09:00:00Z', 'after the period');
    // a follow-up's failure is in no figure
    await sql()`insert into messages (phone, kind, status, failed_at, error)
      values ('+4915000009', 'followup', 'failed', '2021-05-03T10:00:00Z', 'Phone is not valid')`;

    const period = 'from=2021-05-03&to=2021-05-05';
    const failures = await api(t).get(`/v1/stats/failures?${period}`);
    expect(failures.status, JSON.stringify(failures.body)).toBe(200);
    expect(failures.body).toEqual({
      from: '2021-05-03T00:00:00.000Z',
      to: '2021-05-05T00:00:00.000Z',
      failed: 5,
      reasons: [
        { reason: 'Phone is not valid', count: 3 },
        { reason: null, count: 1 },
        { reason: '=HYPERLINK("x")', count: 1 },
      ],
      otherReasons: 0,
    });
    const overview = await api(t).get(`/v1/stats/overview?${period}`);
    expect((overview.body.totals as Json).failed).toBe(failures.body.failed);
    expect(await countersOffRecount(sql())).toEqual([]);
  });

  it('lists the 20 most frequent reasons and sums the others', async () => {
    for (let i = 0; i < 25; i++)
      for (let n = 0; n <= i % 3; n++) await failedAt('2021-06-01T08:00:00Z', `reason ${i}`);
    const failures = await api(t).get(
      '/v1/stats/failures?from=2021-06-01T00:00:00Z&to=2021-06-02T00:00:00Z',
    );
    const reasons = failures.body.reasons as { count: number }[];
    expect(reasons).toHaveLength(20);
    expect(reasons.map((r) => r.count)).toEqual(
      [...reasons.map((r) => r.count)].sort((a, b) => b - a),
    );
    const listed = reasons.reduce((sum, r) => sum + r.count, 0);
    // 9 reasons once, 8 twice, 8 three times
    expect(failures.body.failed).toBe(49);
    expect(failures.body.otherReasons).toBe(49 - listed);
  });

  it('answers an empty period with zeros and refuses a reversed one', async () => {
    const empty = await api(t).get('/v1/stats/failures?from=2001-01-01&to=2001-01-02');
    expect(empty.body).toMatchObject({ failed: 0, reasons: [], otherReasons: 0 });
    const reversed = await api(t).get('/v1/stats/failures?from=2021-01-02&to=2021-01-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('bad_request');
  });
});

describe('GET /v1/stats/campaigns', () => {
  /** A campaign whose run ran from `started` to `finished`, with `sent` sent rows and `read` read ones. */
  async function campaignRan(
    name: string,
    started: string,
    finished: string | null,
    figures: { sent: number; read: number; replied?: number },
  ) {
    const f = factories(t);
    const templateId = await f.template();
    const { campaign, run } = await f.campaignWithRun({
      name,
      templateId,
      listIds: [],
      status: finished ? 'completed' : 'running',
    });
    await sql()`update runs set started_at = ${started}::timestamptz,
      finished_at = ${finished}::timestamptz where id = ${run.id}`;
    for (let i = 0; i < figures.sent; i++) {
      const read = i < figures.read;
      const replied = i < (figures.replied ?? 0);
      await sql()`insert into messages (run_id, campaign_id, phone, kind, status, sent_at, read_at, delivered_at, replied_at)
        values (${run.id}, ${campaign.id}, ${`+49151000${name.length}${i}`}, 'template',
          ${read ? 'read' : 'sent'}::message_status, ${started}::timestamptz,
          ${read ? started : null}::timestamptz, ${read ? started : null}::timestamptz,
          ${replied ? started : null}::timestamptz)`;
    }
    return campaign.id;
  }

  it('ranks the campaigns sending in the period, each with the figures of its own stats', async () => {
    const spring = await campaignRan('Spring', '2022-03-01T09:00:00Z', '2022-03-01T10:00:00Z', {
      sent: 3,
      read: 1,
      replied: 1,
    });
    const summer = await campaignRan('Summer', '2022-03-10T09:00:00Z', null, { sent: 5, read: 4 });
    // under way since before the period, finished inside it
    const winter = await campaignRan('Winter', '2022-02-20T09:00:00Z', '2022-03-02T00:00:00Z', {
      sent: 1,
      read: 0,
    });
    // finished before the period, and started after it
    await campaignRan('Autumn', '2022-01-01T09:00:00Z', '2022-01-02T09:00:00Z', {
      sent: 9,
      read: 9,
    });
    await campaignRan('Later', '2022-04-01T09:00:00Z', null, { sent: 9, read: 9 });

    const period = 'from=2022-03-01&to=2022-04-01';
    const ranked = await api(t).get(`/v1/stats/campaigns?${period}`);
    expect(ranked.status, JSON.stringify(ranked.body)).toBe(200);
    const data = ranked.body.data as Json[];
    expect(data.map((c) => c.name)).toEqual(['Summer', 'Spring', 'Winter']);
    for (const item of data) {
      const stats = await api(t).get(`/v1/campaigns/${String(item.campaignId)}/stats`);
      const { campaignId, name, status, ...figures } = item;
      // the comparison carries the Stats; a campaign's own stats add Meta's codes and prices,
      // its holdout's figures and the expired
      const {
        byErrorCode,
        byPricingCategory,
        estimatedCost,
        expired,
        heldOut,
        holdoutReplied,
        uplift,
        ...common
      } = stats.body;
      expect(figures, String(name)).toEqual(common);
    }
    expect(data[0]).toMatchObject({ campaignId: summer, status: 'running', sent: 5, read: 4 });
    expect(ranked.body).toMatchObject({
      from: '2022-03-01T00:00:00.000Z',
      to: '2022-04-01T00:00:00.000Z',
      nextCursor: null,
    });

    const byReadRate = await api(t).get(`/v1/stats/campaigns?${period}&sort=readRate&order=asc`);
    expect((byReadRate.body.data as Json[]).map((c) => c.campaignId)).toEqual([
      winter,
      spring,
      summer,
    ]);
    const byName = await api(t).get(`/v1/stats/campaigns?${period}&sort=name&order=asc&limit=2`);
    expect((byName.body.data as Json[]).map((c) => c.name)).toEqual(['Spring', 'Summer']);
    const next = await api(t).get(
      `/v1/stats/campaigns?${period}&sort=name&order=asc&limit=2&cursor=${String(byName.body.nextCursor)}`,
    );
    expect((next.body.data as Json[]).map((c) => c.name)).toEqual(['Winter']);
    expect(next.body.nextCursor).toBeNull();
  });

  it('refuses a sort it does not know and a cursor it did not give', async () => {
    expect((await api(t).get('/v1/stats/campaigns?sort=phone')).status).toBe(400);
    expect((await api(t).get('/v1/stats/campaigns?cursor=nonsense')).status).toBe(400);
  });
});
