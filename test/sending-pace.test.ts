// Timing-sensitive: `npm test` runs this file on its own, after the others, so that no other
// test file competes for the two cores while it measures a pace.
import { describe, expect, it } from 'vitest';
import { api, startCampaign, waitCompleted } from './helpers/api';
import { busiestSecond, pace } from './helpers/pace';
import { useServicePerTest, waitFor } from './helpers/service';

const startService = useServicePerTest();

describe('pacing', () => {
  it('sends a run at its rate, within a few per cent, never above it in any second', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '1000' } });
    const id = await startCampaign(t, 250, { ratePerSecond: 50 });
    await waitCompleted(t, id);
    const times = t.provider.sends().map((s) => s.receivedAt);
    expect(times).toHaveLength(250);
    const seconds = ((times.at(-1) as number) - (times[0] as number)) / 1000;
    // 250 at 50/s: 249 intervals of 20 ms (the benchmark holds ±3% on a quiet machine)
    expect(seconds).toBeGreaterThan(4.98 * 0.95);
    expect(seconds).toBeLessThan(4.98 * 1.05);
    expect(busiestSecond(times)).toBeLessThanOrEqual(Math.floor(50 * 1.05));
  }, 40_000);

  it('shares the account limit between two campaigns running at once', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '40' } });
    const a = await startCampaign(t, 80, { ratePerSecond: 100 });
    const b = await startCampaign(t, 80, { ratePerSecond: 100 });
    await waitCompleted(t, a);
    await waitCompleted(t, b);
    const times = t.provider.sends().map((s) => s.receivedAt);
    expect(times).toHaveLength(160);
    expect(busiestSecond(times)).toBeLessThanOrEqual(42);
    expect(((times.at(-1) as number) - (times[0] as number)) / 1000).toBeGreaterThan(
      159 / 40 - 0.2,
    );
  }, 40_000);

  it('keeps the pace past rows opted out since the snapshot', async () => {
    // Such rows are taken and closed as `skipped` in the claim. Counting only the rows to send,
    // a claim with one of them looked like the run's end: the rest of the grant went unused and
    // the dispatch slept half a second, so a quarter opted out made this run four times slower.
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '50' } });
    const id = await startCampaign(t, 100);
    expect((await api(t).post(`/v1/campaigns/${id}/pause`)).status).toBe(200);
    const { sql } = t.service.ctx.database;
    await waitFor(
      async () =>
        (
          await sql<{ n: number }[]>`
            select count(*)::int as n from messages
            where campaign_id = ${id} and status in ('pending', 'sending')`
        )[0]?.n ===
        100 - t.provider.sends().length,
      { what: 'the sends in flight to settle' },
    );
    await sql`
      insert into opt_outs (phone, source)
      select phone, 'api' from messages
      where campaign_id = ${id} and status = 'pending' and id % 4 = 0`;
    const [pending] = await sql<{ send: number; skip: number }[]>`
      select count(*) filter (where o.phone is null)::int as send,
        count(*) filter (where o.phone is not null)::int as skip
      from messages m left join opt_outs o on o.phone = m.phone
      where m.campaign_id = ${id} and m.status = 'pending'`;
    expect(pending?.skip).toBeGreaterThan(15);
    const resumedAt = Date.now();
    expect((await api(t).post(`/v1/campaigns/${id}/resume`)).status).toBe(200);
    await waitCompleted(t, id);
    const times = t.provider
      .sends()
      .map((s) => s.receivedAt)
      .filter((at) => at >= resumedAt);
    expect(times).toHaveLength(pending?.send ?? -1);
    const { seconds } = pace(times);
    expect(seconds).toBeLessThan((((pending?.send ?? 0) - 1) / 50) * 1.1);
  }, 40_000);

  it('obeys Retry-After on a 429, without counting it as an attempt', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '100', SEND_MAX_ATTEMPTS: '1' } });
    let firstLimitedAt = 0;
    t.provider.respondWith(() => {
      if (!firstLimitedAt && t && t.provider.sends().length > 5) firstLimitedAt = Date.now();
      if (firstLimitedAt && Date.now() - firstLimitedAt < 50)
        return { status: 429, headers: { 'retry-after': '1' } };
      return undefined;
    });
    const id = await startCampaign(t, 30);
    await waitCompleted(t, id);
    // Requests already on their way may still arrive; after them, nothing until a second has passed.
    const during = t.provider
      .sends()
      .filter((s) => s.receivedAt > firstLimitedAt + 100 && s.receivedAt < firstLimitedAt + 950);
    expect(during).toHaveLength(0);
    expect(t.provider.sends().some((s) => s.receivedAt >= firstLimitedAt + 950)).toBe(true);
    const [row] = await t.service.ctx.database.sql<{ sent: number; failed: number }[]>`
      select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status = 'failed')::int as failed
      from messages where campaign_id = ${id}`;
    expect(row).toEqual({ sent: 30, failed: 0 });
  }, 30_000);

  it('rides out a provider outage: nothing lost, nobody failed for a retryable reason', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '100' } });
    let outageUntil = 0;
    t.provider.respondWith(() => {
      if (t && t.provider.sends().length === 10) outageUntil = Date.now() + 3000;
      return Date.now() < outageUntil ? { status: 503, body: { error: 'maintenance' } } : undefined;
    });
    const id = await startCampaign(t, 60);
    await waitCompleted(t, id, 40_000);
    const [row] = await t.service.ctx.database.sql<{ sent: number; other: number }[]>`
      select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status <> 'sent')::int as other
      from messages where campaign_id = ${id}`;
    expect(row).toEqual({ sent: 60, other: 0 });
    const accepted = new Set(
      t.provider
        .sends()
        .filter((s) => s.receivedAt >= outageUntil)
        .map((s) => (s.body as { phone: string }).phone),
    );
    expect(accepted.size).toBeGreaterThan(0);
  }, 50_000);

  it('does not count the probes of an outage as attempts: an outage longer than the backoff fails nobody', async () => {
    // Two attempts back off about a second: counted as attempts, the probes of this 4-second
    // outage would use them up and end their rows `failed`.
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '100', SEND_MAX_ATTEMPTS: '2' } });
    let outageUntil = 0;
    t.provider.respondWith(() => {
      if (t && t.provider.sends().length === 5) outageUntil = Date.now() + 4000;
      return Date.now() < outageUntil ? { status: 503, body: { error: 'maintenance' } } : undefined;
    });
    const id = await startCampaign(t, 20);
    await waitCompleted(t, id, 40_000);
    const probes = t.provider.sends().filter((s) => s.status === 503);
    expect(probes.length).toBeGreaterThan(2); // the same rows probed more than twice
    const [row] = await t.service.ctx.database.sql<{ sent: number; other: number }[]>`
      select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status <> 'sent')::int as other
      from messages where campaign_id = ${id}`;
    expect(row).toEqual({ sent: 20, other: 0 });
  }, 50_000);
});
