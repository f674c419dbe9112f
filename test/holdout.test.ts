// Holdout groups (docs/design.md, rule 36): a share of each run's audience, chosen by a hash of
// campaign and contact (the same people in every run), gets nothing and is recorded `held_out`;
// the stats set the holdout's replies beside the treated group's, with the uplift's interval.
import { describe, expect, it } from 'vitest';
import { HOLDOUT_REASON, inHoldout } from '../src/campaigns/queries';
import { uplift } from '../src/stats/uplift';
import { api, campaignSetup, createCampaign, type Json, waitCompleted } from './helpers/api';
import { type TestService, useServicePerTest, waitFor } from './helpers/service';
import { deliver, inbound } from './helpers/webhooks';

const startService = useServicePerTest();

async function rowsOf(t: TestService, runId: string) {
  return t.service.ctx.database.sql<{ phone: string; status: string; error: string | null }[]>`
    select phone, status::text, error from messages where run_id = ${runId} order by phone`;
}

async function latestRun(t: TestService, campaignId: string): Promise<Json> {
  const runs = (await api(t).get(`/v1/campaigns/${campaignId}/runs`)).body.data as Json[];
  const [run] = runs;
  if (!run) throw new Error('no run');
  return run;
}

describe('holdoutPercent', () => {
  it('keeps the same share of the audience out in every run, sends them nothing, and measures the uplift', async () => {
    const t = await startService({
      env: { SEND_RATE_PER_SECOND: '500', MIN_SCHEDULE_INTERVAL_MINUTES: '0' },
    });
    const { templateId, listId } = await campaignSetup(t, 300);
    const campaign = await createCampaign(t, {
      templateId,
      listIds: [listId],
      holdoutPercent: 20,
      // a recurring campaign, started by hand twice: two runs of one campaign
      schedule: { cron: '0 9 1 1 *', timezone: 'UTC' },
    });
    expect(campaign.holdoutPercent).toBe(20);
    const id = String(campaign.id);
    // the launch preview draws the same people the snapshot will: no slot, limit or cost for them
    const preview = (await api(t).get(`/v1/campaigns/${id}/preview`)).body;
    expect(preview.audience).toBe(300);
    expect(preview.eligible).toBe(300 - Number(preview.heldOut));
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(async () => (await latestRun(t, id)).status === 'completed', {
      what: 'the first run',
    });
    const first = await rowsOf(t, String((await latestRun(t, id)).id));
    const held = first.filter((row) => row.status === 'held_out');
    // 20% of 300, give or take what a hash gives (a binomial's 4 standard deviations: ±28)
    expect(held.length).toBeGreaterThan(60 - 28);
    expect(held.length).toBeLessThan(60 + 28);
    expect(held.every((row) => row.error === HOLDOUT_REASON)).toBe(true);
    expect(held).toHaveLength(Number(preview.heldOut));
    expect(first.filter((row) => row.status === 'sent')).toHaveLength(300 - held.length);
    const heldPhones = new Set(held.map((row) => row.phone));
    const sentTo = new Set(
      t.provider.sends().map((r) => `+${String((r.body as { phone: string }).phone)}`),
    );
    expect([...heldPhones].some((phone) => sentTo.has(phone))).toBe(false);

    // some of each group write to us: 6 of the holdout, 60 of the treated
    const treatedPhones = first.filter((row) => row.status === 'sent').map((row) => row.phone);
    for (const phone of [...heldPhones].slice(0, 6)) await deliver(t, inbound(phone));
    // an opt-out is no answer: it does not count as writing to us
    const stopped = [...heldPhones][7] ?? '';
    await deliver(t, inbound(stopped, { body: 'STOP' }));
    for (const phone of treatedPhones.slice(0, 60)) await deliver(t, inbound(phone));
    const stats = (await api(t).get(`/v1/campaigns/${id}/stats`)).body;
    expect(stats).toMatchObject({ heldOut: held.length, holdoutReplied: 6 });
    const expected = uplift(
      { size: treatedPhones.length, replied: 60 },
      { size: held.length, replied: 6 },
    );
    expect(stats.uplift).toEqual(expected);
    expect((stats.uplift as { difference: number }).difference).toBeCloseTo(
      60 / treatedPhones.length - 6 / held.length,
      12,
    );

    // once it has run, its holdout stays the same people: another share is refused
    const changed = await api(t).patch(`/v1/campaigns/${id}`, { holdoutPercent: 30 });
    expect(changed.status).toBe(409);
    expect(changed.body.detail).toContain('must stay the same people in every run');
    expect((await api(t).patch(`/v1/campaigns/${id}`, { holdoutPercent: 20 })).status).toBe(200);

    // the second run keeps exactly the same people out
    expect((await api(t).post(`/v1/campaigns/${id}/start`)).status).toBe(200);
    await waitFor(
      async () => {
        const run = await latestRun(t, id);
        return run.status === 'completed' && run.id !== undefined;
      },
      { what: 'the second run' },
    );
    const runs = (await api(t).get(`/v1/campaigns/${id}/runs`)).body.data as Json[];
    expect(runs).toHaveLength(2);
    const second = await rowsOf(t, String(runs[0]?.id));
    // (but the one who opted out, who is in no run any more)
    expect(new Set(second.filter((r) => r.status === 'held_out').map((r) => r.phone))).toEqual(
      new Set([...heldPhones].filter((phone) => phone !== stopped)),
    );
  }, 90_000);

  it('draws the same people as the rule states it (the first 28 bits of md5(campaign:contact) below the share of 2^28), at every share', async () => {
    const t = await startService();
    const { sql } = t.service.ctx.database;
    const campaignId = '0193f1d2-aaaa-7bbb-8ccc-000000000001';
    for (const percent of [1, 10, 33, 50]) {
      const [row] = await sql<{ differ: number; held: number }[]>`
        select count(*) filter (where ${inHoldout(sql, campaignId, percent, sql`id`)}
            <> ((('x' || substr(md5(${campaignId}::text || ':' || id::text), 1, 7))::bit(28)::int
              < ${Math.round((percent / 100) * 2 ** 28)})))::int as differ,
          count(*) filter (where ${inHoldout(sql, campaignId, percent, sql`id`)})::int as held
        from (select gen_random_uuid() as id from generate_series(1, 20000)) u`;
      expect(row?.differ, `${percent}%`).toBe(0);
      // within 4 standard deviations of the share
      const sd = Math.sqrt(20000 * (percent / 100) * (1 - percent / 100));
      expect(Math.abs((row?.held ?? 0) - 200 * percent)).toBeLessThan(4 * sd);
    }
  });

  it('leaves the holdout figures null, not zero, for a campaign without one', async () => {
    const t = await startService({ env: { SEND_RATE_PER_SECOND: '500' } });
    const { templateId, listId } = await campaignSetup(t, 5);
    const campaign = await createCampaign(t, { templateId, listIds: [listId] });
    expect(campaign.holdoutPercent).toBe(0);
    expect((await api(t).post(`/v1/campaigns/${String(campaign.id)}/start`)).status).toBe(200);
    await waitCompleted(t, String(campaign.id));
    const stats = (await api(t).get(`/v1/campaigns/${String(campaign.id)}/stats`)).body;
    expect(stats).toMatchObject({ sent: 5, heldOut: null, holdoutReplied: null, uplift: null });
  });

  it.each([51, -1, 2.5, '10'])('refuses holdoutPercent %j with a 422', async (holdoutPercent) => {
    const t = await startService({ env: { ROLE: 'api' } });
    const { templateId, listId } = await campaignSetup(t, 1);
    const refused = await api(t).post('/v1/campaigns', {
      name: 'Bad holdout',
      templateId,
      listIds: [listId],
      holdoutPercent,
    });
    expect(refused.status).toBe(422);
    expect((refused.body.errors as Json[]).map((e) => e.path)).toEqual(['holdoutPercent']);
  });
});
