import { beforeAll, describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { useTestService } from './helpers/service';

const t = useTestService();
beforeAll(async () => {
  // rows with chosen timestamps around midnight UTC of 2020-01-02 (direct inserts: the dispatcher
  // cannot send in the past); a follow-up, which the overview leaves out, and one row outside.
  const { sql } = t.service.ctx.database;
  const rows = [
    [
      'template',
      'read',
      '2020-01-01T22:10:00Z',
      '2020-01-01T22:11:00Z',
      '2020-01-02T00:30:00Z',
      '2020-01-02T01:05:00Z',
      null,
    ],
    ['template', 'delivered', '2020-01-01T23:59:59Z', '2020-01-02T00:00:01Z', null, null, null],
    ['template', 'sent', '2020-01-02T00:00:00Z', null, null, null, null],
    ['template', 'failed', null, null, null, null, '2020-01-01T23:00:00Z'],
    ['followup', 'sent', '2020-01-02T00:20:00Z', null, null, null, null],
    ['template', 'sent', '2020-01-02T02:00:00Z', null, null, null, null],
  ] as const;
  for (const [kind, status, sent, delivered, read, replied, failed] of rows)
    await sql`
      insert into messages (phone, kind, status, sent_at, delivered_at, read_at, replied_at, failed_at)
      values ('+4915000000', ${kind}::message_kind, ${status}::message_status, ${sent}::timestamptz,
        ${delivered}::timestamptz, ${read}::timestamptz, ${replied}::timestamptz,
        ${failed}::timestamptz)`;
});

type Json = Record<string, unknown>;

const zero = { sent: 0, delivered: 0, read: 0, replied: 0, failed: 0 };

describe('GET /v1/stats/overview', () => {
  it('buckets by UTC hour across the day boundary', async () => {
    const response = await api(t).get(
      '/v1/stats/overview?from=2020-01-01T22:00:00Z&to=2020-01-02T02:00:00Z&interval=hour',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2020-01-01T22:00:00.000Z',
      to: '2020-01-02T02:00:00.000Z',
      interval: 'hour',
      timezone: 'UTC',
      totals: { sent: 3, delivered: 2, read: 1, replied: 1, failed: 1 },
      series: [
        { start: '2020-01-01T22:00:00Z', ...zero, sent: 1, delivered: 1 },
        { start: '2020-01-01T23:00:00Z', ...zero, sent: 1, failed: 1 },
        { start: '2020-01-02T00:00:00Z', ...zero, sent: 1, delivered: 1, read: 1 },
        { start: '2020-01-02T01:00:00Z', ...zero, replied: 1 },
      ],
      // none of these rows was coded or priced; no PRICE_CARD in this service
      byErrorCode: {},
      byPricingCategory: {},
      estimatedCost: null,
    });
  });

  it('buckets by UTC day', async () => {
    const response = await api(t).get(
      '/v1/stats/overview?from=2020-01-01T12:00:00%2B02:00&to=2020-01-03T00:00:00Z&interval=day',
    );
    expect(response.status).toBe(200);
    expect(response.body.series).toEqual([
      { start: '2020-01-01T00:00:00Z', ...zero, sent: 2, delivered: 1, failed: 1 },
      { start: '2020-01-02T00:00:00Z', ...zero, sent: 2, delivered: 1, read: 1, replied: 1 },
    ]);
  });

  it('covers the last 30 days by the day without dates', async () => {
    const { sql } = t.service.ctx.database;
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    for (const sent of [daysAgo(1), daysAgo(29), daysAgo(31)])
      await sql`
        insert into messages (phone, kind, status, sent_at)
        values ('+4915000001', 'template', 'sent', ${sent}::timestamptz)`;
    const before = Date.now();
    const response = await api(t).get('/v1/stats/overview');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const from = Date.parse(String(response.body.from));
    const to = Date.parse(String(response.body.to));
    // counted by quarter hour: `to` is now's quarter hour's end, `from` 30 days before, taken back
    const quarter = 15 * 60_000;
    expect(to % quarter).toBe(0);
    expect(from % quarter).toBe(0);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(Date.now() + quarter);
    expect(to - from).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(to - from).toBeLessThanOrEqual(30 * 86_400_000 + quarter);
    expect(response.body.interval).toBe('day');
    expect(response.body.totals).toEqual({ ...zero, sent: 2 });
    // one bucket per UTC day the period touches: 31, but 30 when it runs midnight to midnight
    // (a test between 23:45 and 24:00 UTC)
    const day = 86_400_000;
    const days = Math.floor((to - 1) / day) - Math.floor(from / day) + 1;
    expect(days).toBe(to % day === 0 ? 30 : 31);
    expect((response.body.series as unknown[]).length).toBe(days);
  });

  it("takes a date without a time as that day's start in UTC", async () => {
    const response = await api(t).get('/v1/stats/overview?from=2020-01-02&to=2020-01-03');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      from: '2020-01-02T00:00:00.000Z',
      to: '2020-01-03T00:00:00.000Z',
      totals: { ...zero, sent: 2, delivered: 1, read: 1, replied: 1 },
    });
    const onlyFrom = await api(t).get('/v1/stats/overview?from=2020-01-01&interval=day');
    expect(onlyFrom.status).toBe(400); // up to now: too many days
    const onlyTo = await api(t).get('/v1/stats/overview?to=2020-01-03');
    expect(onlyTo.body).toMatchObject({ from: '2019-12-04T00:00:00.000Z' });
    expect(onlyTo.body.totals).toEqual({ sent: 4, delivered: 2, read: 1, replied: 1, failed: 1 });
  });

  it('refuses a reversed range, too many buckets and a bad interval', async () => {
    const get = (q: string) => api(t).get(`/v1/stats/overview?${q}`);
    expect((await get('from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z')).status).toBe(400);
    expect((await get('from=2020-01-01T00:00:00Z&to=2020-01-01T00:00:00Z')).status).toBe(400);
    const many = await get('from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z&interval=hour');
    expect(many.status).toBe(400);
    expect(
      (await get('from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&interval=week')).status,
    ).toBe(400);
    expect((await get('from=yesterday&to=2020-01-02T00:00:00Z')).status).toBe(400);
    expect((await get('from=2020-01-02T09:00:00&to=2020-01-03')).status).toBe(400);
    expect((await get('from=2999-01-01')).status).toBe(400); // later than now
  });

  it('takes the period back and on to whole quarter hours, and says so', async () => {
    const response = await api(t).get(
      '/v1/stats/overview?from=2020-01-01T22:10:30Z&to=2020-01-02T00:00:01Z&interval=hour',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      from: '2020-01-01T22:00:00.000Z',
      to: '2020-01-02T00:15:00.000Z',
      totals: { sent: 3, delivered: 2, read: 0, replied: 0, failed: 1 },
    });
  });

  it("buckets by the days and hours of a time zone, a date alone being that day's start there", async () => {
    // Paris is UTC+1 in January: its 2 January runs 2020-01-01T23:00Z to 2020-01-02T23:00Z
    const paris = await api(t).get(
      '/v1/stats/overview?from=2020-01-01&to=2020-01-03&timezone=Europe/Paris',
    );
    expect(paris.status, JSON.stringify(paris.body)).toBe(200);
    expect(paris.body).toMatchObject({
      from: '2019-12-31T23:00:00.000Z',
      to: '2020-01-02T23:00:00.000Z',
      timezone: 'Europe/Paris',
    });
    expect(paris.body.series).toEqual([
      { start: '2019-12-31T23:00:00Z', ...zero, sent: 1, delivered: 1 },
      {
        start: '2020-01-01T23:00:00Z',
        ...zero,
        sent: 3,
        delivered: 1,
        read: 1,
        replied: 1,
        failed: 1,
      },
    ]);
    // Kolkata is UTC+05:30: its hours start at half past in UTC
    const kolkata = await api(t).get(
      '/v1/stats/overview?from=2020-01-01T22:30:00Z&to=2020-01-02T00:30:00Z&interval=hour&timezone=Asia/Kolkata',
    );
    expect(kolkata.body.series).toEqual([
      { start: '2020-01-01T22:30:00Z', ...zero, failed: 1 },
      { start: '2020-01-01T23:30:00Z', ...zero, sent: 2, delivered: 1 },
    ]);
    const wrong = await api(t).get('/v1/stats/overview?timezone=Mars/Olympus');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'query.timezone', message: expect.any(String) }]);
  });

  it('has days of 23 and 25 hours when the clocks change', async () => {
    const { sql } = t.service.ctx.database;
    // Paris went to summer time on 2021-03-28 (02:00 → 03:00) and back on 2021-10-31
    // 28 March ends at 22:00Z after 23 hours; 31 October at 23:00Z after 25
    for (const sent of ['2021-03-28T21:30:00Z', '2021-03-28T22:30:00Z', '2021-10-31T22:30:00Z'])
      await sql`
        insert into messages (phone, kind, status, sent_at)
        values ('+4915000002', 'template', 'sent', ${sent}::timestamptz)`;
    const spring = await api(t).get(
      '/v1/stats/overview?from=2021-03-28&to=2021-03-30&timezone=Europe/Paris',
    );
    expect((spring.body.series as Json[]).map((b) => [b.start, b.sent])).toEqual([
      ['2021-03-27T23:00:00Z', 1],
      ['2021-03-28T22:00:00Z', 1],
    ]);
    const autumn = await api(t).get(
      '/v1/stats/overview?from=2021-10-31&to=2021-11-02&timezone=Europe/Paris',
    );
    expect((autumn.body.series as Json[]).map((b) => [b.start, b.sent])).toEqual([
      ['2021-10-30T22:00:00Z', 1],
      ['2021-10-31T23:00:00Z', 0],
    ]);
  });
});
